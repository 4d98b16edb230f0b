"""Match place names in a sentence against the gazetteer (``geodata/places.csv``).

Names and alternative spellings match whole words, longest first, so "Gorno-Badakhshan" never also
yields "Badakhshan". A name several places share (Fayzabad in Badakhshan and in Faryab; Kunduz the
province and the city) is settled by the context: a province or country named nearby, or the word
"city"/"province" beside it; when the context does not settle it, nothing is put on the map and the
reviewer is told. A country named with the name ("Tajikistan's Badakhshan") steers the match to the
place in that country. Close misspellings match through rapidfuzz and say so. Capitalised names in a
place phrase ("in Khost province") that the gazetteer lacks become proposals for new rows, never points.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from dashboard.values import slug, split_ids

#: How close a misspelling must be (rapidfuzz ratio, 0-100) to count as a name of the gazetteer.
FUZZY_CUTOFF = 88

_COUNTRY_WORDS = {
    "AFG": ("afghanistan", "afghan"),
    "TJK": ("tajikistan", "tajik"),
    "UZB": ("uzbekistan", "uzbek"),
    "PAK": ("pakistan", "pakistani"),
    "KGZ": ("kyrgyzstan", "kyrgyz"),
    "KAZ": ("kazakhstan", "kazakh"),
    "RUS": ("russia", "russian"),
}
_KIND_WORDS = {
    "province": ("province", "provinces", "region", "regions", "oblast", "viloyat", "wilayat"),
    "city": ("city", "town", "capital"),
}


@dataclass(frozen=True)
class Place:
    """A gazetteer row, as far as matching needs it."""

    id: str
    name: str
    kind: str
    country: str
    admin1: str
    location_precision: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class PlaceMatch:
    """A place named in a sentence; ``how`` says how sure the match is."""

    place_id: str
    text: str
    start: int
    end: int
    how: str  # exact, alt_name, context(...), fuzzy(NN)


@dataclass(frozen=True)
class Proposal:
    """An unknown place name, proposed as a new gazetteer row for a person to complete."""

    name: str
    kind: str
    country: str
    admin1: str
    reason: str

    @property
    def slug(self) -> str:
        """An id the new row could take."""
        return slug(self.name)


@dataclass
class PlaceResult:
    """What the matcher found in one sentence."""

    matches: list[PlaceMatch] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)  # "Fayzabad: fayzabad-badakhshan or fayzabad-faryab"
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        """Matched place ids in order of first mention, without repeats."""
        out: list[str] = []
        for m in self.matches:
            if m.place_id not in out:
                out.append(m.place_id)
        return out


class PlaceContext:
    """Text around a sentence (its paragraph, the start of the article) that settles shared names.

    Whether it names a province is worked out once per province and remembered, so the sentences of a
    long paragraph share the work instead of each reading the whole paragraph again.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._lower = text.lower()
        self._named: dict[str, bool] = {}

    def __len__(self) -> int:
        return len(self.text)

    def names(self, admin1: str) -> bool:
        """True when the text names the province ``admin1`` as a whole word (any case)."""
        key = admin1.lower()
        if key not in self._named:
            self._named[key] = bool(re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", self._lower))
        return self._named[key]


def _strip_parenthesis(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()


class Gazetteer:
    """The places of a data folder and a matcher over their names."""

    def __init__(self, places: list[Place]) -> None:
        self.places = {p.id: p for p in places}
        self.by_name: dict[str, list[Place]] = {}
        for p in places:
            for n in p.names:
                for key in {n.lower(), _straight(n).lower()}:
                    bucket = self.by_name.setdefault(key, [])
                    if p not in bucket:
                        bucket.append(p)
        names = sorted(self.by_name, key=len, reverse=True)
        # apostrophes match straight or curly: "Tajikistan's southern border" / "Tajikistan’s ..."
        self._regex = re.compile(
            r"(?<![\w-])(?:"
            + "|".join(re.escape(n).replace("'", "['’]").replace("’", "['’]") for n in names)
            + r")(?![\w-])",
            re.IGNORECASE,
        )
        self._admin1 = {p.admin1.lower() for p in places if p.admin1}

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, str]]) -> Gazetteer:
        """The gazetteer of ``places.csv`` rows."""
        places = []
        for row in rows:
            names = [row["name"], _strip_parenthesis(row["name"])]
            names += split_ids(row.get("alt_names"))
            # "Washington" standing for a government is not a place name inside "The Washington Post";
            # the organisation masking in attribution handles that, not the gazetteer.
            precision = int(row.get("location_precision") or 7)
            places.append(
                Place(
                    row["id"],
                    row["name"],
                    row["kind"],
                    row.get("country", ""),
                    row.get("admin1", ""),
                    precision,
                    tuple(dict.fromkeys(names)),
                )
            )
        return cls(places)

    def match(
        self,
        sentence: str,
        context: str | PlaceContext = "",
        masked: list[tuple[int, int]] | None = None,
    ) -> PlaceResult:
        """Places named in ``sentence``; ``context`` (paragraph, article) settles ambiguous names.

        ``masked`` spans (organisation names such as "Islamic Movement of Uzbekistan") are skipped.
        Sentences of one paragraph should share one ``PlaceContext``, so that it is read once.
        """
        if isinstance(context, str):
            context = PlaceContext(context)
        masked = masked or []
        result = PlaceResult()
        taken: list[tuple[int, int]] = []
        for m in self._regex.finditer(sentence):
            if any(a <= m.start() < b for a, b in masked):
                continue
            candidates = self.by_name.get(m.group(0).lower()) or self.by_name[_straight(m.group(0)).lower()]
            taken.append((m.start(), m.end()))
            if len(candidates) > 1 and all(c.kind == "military_base" for c in candidates):
                # one base with several sites ("201st Russian military base"): the name means them all
                for c in candidates:
                    result.matches.append(PlaceMatch(c.id, m.group(0), m.start(), m.end(), "all sites"))
                continue
            place, how = self._choose(candidates, sentence, m.start(), m.end(), context)
            if place is None:
                ids = " or ".join(c.id for c in candidates)
                result.ambiguous.append(f"{m.group(0)}: {ids}")
                continue
            if how == "exact" and m.group(0).lower() != place.name.lower():
                how = "alt_name"
            result.matches.append(PlaceMatch(place.id, m.group(0), m.start(), m.end(), how))
        self._borders(sentence, result)
        self._fuzzy(sentence, taken, masked, result)
        self._propose(sentence, taken, masked, result)
        return result

    def _borders(self, sentence: str, result: PlaceResult) -> None:
        """ "separated from Afghanistan by ... border": the border place between two countries named."""
        if not re.search(r"\bborders?\b", sentence, re.IGNORECASE):
            return
        countries = {self.places[m.place_id].country for m in result.matches} - {""}
        if len(countries) < 2:
            return
        for place in self.places.values():
            if place.kind != "border" or place.id in result.ids:
                continue
            between = {
                code
                for code, words in _COUNTRY_WORDS.items()
                if any(re.search(rf"\b{w}", n.lower()) for n in place.names for w in words)
            }
            if len(between) == 2 and between <= countries:
                names = "/".join(sorted(between))
                result.matches.append(PlaceMatch(place.id, "border", 0, 0, f"context(border {names} named)"))

    def _choose(
        self, candidates: list[Place], sentence: str, start: int, end: int, context: PlaceContext
    ) -> tuple[Place | None, str]:
        near = sentence[max(0, start - 40) : start].lower()
        after = sentence[end : end + 40].lower()
        hinted = _country_hint(near, after)
        if hinted:
            in_country = [c for c in candidates if c.country == hinted]
            if not in_country:
                # "Tajikistan's Badakhshan": the place of that country whose name contains this one
                word = sentence[start:end].lower()
                steer = [
                    p
                    for p in self.places.values()
                    if p.country == hinted
                    and p.kind == "province"
                    and any(word in n.lower() for n in p.names)
                ]
                if len(steer) == 1:
                    return steer[0], f"context({sentence[start:end]} with country {hinted})"
            elif len(in_country) < len(candidates):
                candidates = in_country
        if len(candidates) == 1:
            return candidates[0], "exact"
        # the word beside the name: "Kunduz province" vs "Kunduz city"
        for kind, words in _KIND_WORDS.items():
            if re.match(rf"\s*(?:{'|'.join(words)})\b", after) or re.search(
                rf"\b(?:{'|'.join(words)}) of\s*$", near
            ):
                kinds = ("province",) if kind == "province" else ("city", "town", "capital")
                fitting = [c for c in candidates if c.kind in kinds]
                if len(fitting) == 1:
                    return fitting[0], f"context({kind} word)"
        # a province named nearby: the sentence first, then the wider context
        for scope_name, scope in (("sentence", PlaceContext(sentence)), ("context", context)):
            fitting = [
                c
                for c in candidates
                if c.admin1 and c.admin1.lower() != sentence[start:end].lower() and scope.names(c.admin1)
            ]
            if len(fitting) == 1:
                return fitting[0], f"context({fitting[0].admin1} in {scope_name})"
        # a province and a city of the same name inside it: the name alone means the province
        provinces = [c for c in candidates if c.kind == "province"]
        if len(provinces) == 1 and all(c.admin1 == provinces[0].admin1 for c in candidates):
            return provinces[0], "context(province over its capital)"
        return None, "ambiguous"

    def _fuzzy(
        self, sentence: str, taken: list[tuple[int, int]], masked: list[tuple[int, int]], result: PlaceResult
    ) -> None:
        names = [n for n in self.by_name if len(n) >= 5]
        for m in re.finditer(r"(?<![\w-])[A-Z][a-zâûîēō'’-]{4,}(?:[- ][A-Z][a-z'’-]+)?", sentence):
            if any(a < m.end() and m.start() < b for a, b in taken + masked):
                continue
            word = m.group(0).rstrip("’'")
            hit = process.extractOne(word.lower(), names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if hit is None:
                continue
            name, score, _ = hit
            if word.lower().startswith(name) or name.startswith(word.lower()):
                continue  # "Russian" is not "Russia": an adjective, not a misspelling
            candidates = self.by_name[name]
            place, how = self._choose(candidates, sentence, m.start(), m.end(), PlaceContext(""))
            if place is None:
                result.ambiguous.append(
                    f"{word} (spelled like {name}): " + " or ".join(c.id for c in candidates)
                )
                continue
            result.matches.append(PlaceMatch(place.id, word, m.start(), m.end(), f"fuzzy({score:.0f})"))
            taken.append((m.start(), m.end()))

    def _propose(
        self, sentence: str, taken: list[tuple[int, int]], masked: list[tuple[int, int]], result: PlaceResult
    ) -> None:
        name = r"[A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?"
        patterns = [
            (
                rf"(?P<list>{name}(?:, {name})*(?:,? and {name})?) (?P<kind>provinces?|districts?|region)\b",
                None,
            ),
            (rf"\b(?:the )?(?P<kind>province|district|city|town|village|region) of (?P<list>{name})", None),
        ]
        for pattern, _ in patterns:
            for m in re.finditer(pattern, sentence):
                kind_word = m.group("kind").rstrip("s").lower()
                kind = {"district": "town", "village": "town", "region": "region"}.get(kind_word, kind_word)
                for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("list")):
                    part = part.strip()
                    offset = m.start("list") + m.group("list").find(part)
                    if not part or any(a <= offset < b for a, b in taken + masked):
                        continue
                    if part.lower() in self.by_name or part.lower() in ("the", "these", "those", "its"):
                        continue
                    country = _country_hint(sentence[:offset].lower()[-60:], sentence[offset:].lower()[:60])
                    admin1 = part if kind == "province" else ""
                    reason = f'"{m.group(0)}": not in the gazetteer'
                    if all(p.name != part for p in result.proposals):
                        result.proposals.append(Proposal(part, kind, country or "", admin1, reason))


def _straight(text: str) -> str:
    return text.replace("’", "'")


def _country_hint(before: str, after: str) -> str:
    """A country named right before ("Tajikistan's", "Afghan") or after (", Tajikistan") a name."""
    for code, words in _COUNTRY_WORDS.items():
        for word in words:
            if re.search(rf"\b{word}(?:’s|'s)?\s*$", before) or re.match(rf",?\s*(?:in\s+)?{word}\b", after):
                return code
    return ""
