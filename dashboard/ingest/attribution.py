"""Who made a claim and who relayed it: actors and groups of the data folder, named in a sentence.

"X told TASS", "As reported by TASS, X said", "according to the commander of ...", "..., explains X":
the claimant is the actor named closest to the verb of saying; a news agency or outlet that was told,
or that reported it, is the relay (the document's own outlet is neither: "told Izvestia" in Izvestia).
"he", "she", "the expert" and "the organization" refer back to the last speaker of that kind. A
speaker the data does not know becomes a proposed actor, flagged for review.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from dashboard.values import slug, split_ids

SPEECH_VERBS = (
    r"said|says|say|claimed|claims|stated|states|noted|notes|added|adds|emphasi[sz]ed|emphasi[sz]es|asserted|"
    r"asserts|highlighted|highlights|estimated|estimates|warned|warns|believes|believe|explains|explained|"
    r"described|describes|characteri[sz]ed|told|tells|revealed|reveals|denied|denies|rejected|rejects|"
    r"elaborated|criticized|criticised|expressed|concluded|argued|argues|announced|reported|insisted|"
    r"accused|cautioned|stressed|confirmed|acknowledged|draws attention|pointed out|expressed concern"
)
# Verbs of saying are matched in lower case only: "States" in a headline is not a verb.
_SPEECH = re.compile(rf"\b(?:{SPEECH_VERBS})\b")


def speech_verb(sentence: str) -> re.Match[str] | None:
    """The first verb of saying in ``sentence`` ("said", "told", "according to" is not one)."""
    return _SPEECH.search(sentence)


_DENIAL = re.compile(r"\b(?:denied|denies|deny|rejected|rejects|dismissed|refuted)\b", re.IGNORECASE)
_ASSESSMENT = re.compile(
    r"\b(?:believes?|estimated|estimates|assess(?:es|ed)?|thinks|considers|probably|"
    r"we realize|we realise)\b",
    re.IGNORECASE,
)
# Ranks and titles before a name: "Colonel General Rustam Nazarzoda" is the person Rustam Nazarzoda.
_TITLES = (
    r"Colonel General|Lieutenant General|Major General|General|Colonel|Major|President|Prime Minister|"
    r"Minister|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Mawlawi|Mullah|Mufti|Sheikh|Ambassador|Senator"
)
_RELAY_OUTLET_KINDS = ("news_agency", "news_outlet")
# Subjects that refer back to an earlier speaker, and the kinds of actor they can mean.
_BACK_REFERENCES = [
    (
        r"\b(?:he|she|him|her|his)\b|\bthe (?:[\w-]+ ){0,3}"
        r"(?:official|expert|minister|general|chief|researcher|"
        r"analyst|president|secretary|speaker|envoy|commander|head|spokesman|spokeswoman|diplomat)\b",
        ("person",),
    ),
    (
        r"\bthe (?:organi[sz]ation|alliance|bloc|secretariat|committee|agency|service|council|department)\b",
        ("organisation",),
    ),
    (r"\bthe (?:report|document|study)\b", ("report",)),
    (r"\bthe (?:regime|government|ministry|authorities)\b", ("government", "organisation")),
]


@dataclass(frozen=True)
class Actor:
    """An actor row with the names it can be called by."""

    id: str
    name: str
    kind: str
    role: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    """Where a sentence names an actor or a group."""

    id: str
    start: int
    end: int
    text: str


@dataclass
class Attribution:
    """Claimant and relays of one sentence, with what a reviewer should check."""

    claimant: str = ""
    claimant_name: str = ""
    relayed_by: list[str] = field(default_factory=list)
    stance: str = "assertion"
    how: str = ""  # named, role, back-reference, outlet (unattributed), proposed
    proposed: dict[str, str] | None = None  # an actors.csv row for an unknown speaker


def _aliases(name: str, kind: str, role: str) -> list[str]:
    out = [name]
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip().strip('"“”')
    out.append(bare)
    out += re.findall(r"\(([^)]+)\)", name)
    if kind == "person" and "unnamed" not in role.lower() and " " in bare:
        out.append(bare.split()[-1])  # "Shoigu"
    if kind in ("person", "government") and "unnamed" in role.lower() or kind == "government":
        out.append(re.sub(r"\s*\([^)]*\)", "", role).strip())
    return [a for a in dict.fromkeys(a.strip() for a in out) if len(a) >= 2]


def _alias_regex(aliases: dict[str, str]) -> re.Pattern[str]:
    """Whole-word regex over aliases; short all-capital ones ("IS", "JA") only match in capitals."""
    parts = []
    for alias in sorted(aliases, key=len, reverse=True):
        body = re.escape(alias).replace("'", "['’]").replace("’", "['’]")
        if len(alias) <= 4 and alias.isupper():
            parts.append(f"(?-i:{body})")
        else:
            parts.append(body)
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


class People:
    """Actors and groups of a data folder, and the matching of them in sentences."""

    def __init__(
        self, actors: list[Actor], groups: list[tuple[str, str, tuple[str, ...]]], outlet: str
    ) -> None:
        self.actors = {a.id: a for a in actors}
        self._actor_alias = {}
        for a in actors:
            for alias in a.aliases:
                self._actor_alias.setdefault(_norm(alias), a.id)
        self._actor_re = _alias_regex({a: i for a, i in self._actor_alias.items()}) if actors else None
        self.groups = {gid: kind for gid, kind, _ in groups}
        self._group_alias: dict[str, str] = {}
        for gid, _, names in groups:
            for n in names:
                self._group_alias.setdefault(_norm(n), gid)
        self._group_names = {n: gid for gid, _, names in groups for n in names}
        self._group_re = _alias_regex(self._group_names) if groups else None
        self.outlet_actor = self._outlet(outlet)
        self.last_speaker: dict[str, str] = {}  # actor kind -> last claimant of that kind
        self.last_claimant = ""

    @classmethod
    def from_rows(
        cls, actor_rows: Iterable[dict[str, str]], group_rows: Iterable[dict[str, str]], outlet: str
    ) -> People:
        """The people of ``actors.csv`` and ``groups.csv`` rows, for an article of ``outlet``."""
        actors: list[Actor] = []
        for row in actor_rows:
            role = row.get("role", "") or ""
            aliases = tuple(_aliases(row["name"], row["kind"], role))
            actors.append(Actor(row["id"], row["name"], row["kind"], role, aliases))
        groups: list[tuple[str, str, tuple[str, ...]]] = []
        for row in group_rows:
            names = [row["name"], re.sub(r"\s*\([^)]*\)", "", row["name"]).strip()]
            names += re.findall(r"\(([^)]+)\)", row["name"])
            names += split_ids(row.get("alt_names"))
            groups.append((row["id"], row["kind"], tuple(dict.fromkeys(names))))
        return cls(actors, groups, outlet)

    def _outlet(self, outlet: str) -> str:
        if not outlet:
            return ""
        outlets = {a.id: a.name for a in self.actors.values() if a.kind in _RELAY_OUTLET_KINDS}
        if not outlets:
            return ""
        hit = process.extractOne(outlet, outlets, scorer=fuzz.partial_ratio, score_cutoff=90)
        return hit[2] if hit else ""

    def actor_mentions(self, sentence: str) -> list[Mention]:
        """Actors named in ``sentence``."""
        if self._actor_re is None:
            return []
        return [
            Mention(self._actor_alias[_norm(m.group(0))], m.start(), m.end(), m.group(0))
            for m in self._actor_re.finditer(sentence)
        ]

    def group_mentions(self, sentence: str) -> list[Mention]:
        """Groups named in ``sentence``."""
        if self._group_re is None:
            return []
        out = []
        for m in self._group_re.finditer(sentence):
            gid = self._group_alias.get(_norm(m.group(0)))
            if gid:
                out.append(Mention(gid, m.start(), m.end(), m.group(0)))
        return out

    def attribute(self, sentence: str) -> Attribution:
        """Find who says what ``sentence`` states, and who relays it; remember the speaker."""
        result = Attribution()
        mentions = self.actor_mentions(sentence)
        relays = self._relays(sentence, mentions)
        result.relayed_by = [r for r in relays if r != self.outlet_actor]
        speakers = [m for m in mentions if m.id not in relays]
        verbs = list(_SPEECH.finditer(sentence))
        according = re.search(r"\baccording to (?P<who>[^,.;]+)", sentence, re.IGNORECASE)
        if according:
            inside = [m for m in speakers if according.start("who") <= m.start < according.end("who")]
            if inside:
                self._set(result, inside[0].id, inside[0].text, "named")
            else:
                self._subject(result, according.group("who"))
        elif verbs:
            self._from_verbs(result, sentence, verbs, speakers, relays)
        elif speakers and re.search(r"[“\"]", sentence):
            self._set(result, speakers[0].id, speakers[0].text, "named")
        if not result.claimant and result.relayed_by:
            # "as reported by the media": the relay is all the sentence names as a source
            relay = result.relayed_by[0]
            self._set(result, relay, self.actors[relay].name, "relay only")
        if not result.claimant and re.match(r"\s*[“\"]", sentence) and self.last_claimant:
            self._set(
                result,
                self.last_claimant,
                self.actors[self.last_claimant].name
                if self.last_claimant in self.actors
                else self.last_claimant,
                "back-reference",
            )
        if _DENIAL.search(sentence):
            result.stance = "denial"
        elif _ASSESSMENT.search(sentence):
            result.stance = "assessment"
        return result

    def unattributed(self, outlet_name: str) -> Attribution:
        """The claimant of a statement the article makes itself: its outlet."""
        if self.outlet_actor:
            return Attribution(
                self.outlet_actor, self.actors[self.outlet_actor].name, how="outlet (unattributed)"
            )
        actor_id = slug(outlet_name) or "outlet"
        proposed = {
            "id": actor_id,
            "name": outlet_name,
            "kind": "news_outlet",
            "role": "",
            "affiliation": outlet_name,
            "country": "",
            "notes": "Proposed by ingest: the article's outlet, stating a figure itself.",
        }
        return Attribution(
            actor_id, outlet_name, how="outlet (unattributed), proposed actor", proposed=proposed
        )

    def _from_verbs(
        self,
        result: Attribution,
        sentence: str,
        verbs: list[re.Match[str]],
        speakers: list[Mention],
        relays: list[str],
    ) -> None:
        """The speaker of the first verb of saying whose subject is not a relay."""
        for v in verbs:
            before = [
                m
                for m in speakers
                if m.end <= v.start() and not re.search(r"\bthat\b|[“”\"]", sentence[m.end : v.start()])
            ]
            if before:
                persons = [
                    m for m in before if self.actors[m.id].kind == "person" and v.start() - m.end < 120
                ]
                # a person nearest the verb; otherwise the head of the subject, its first organisation
                best = max(persons, key=lambda m: m.end) if persons else min(before, key=lambda m: m.start)
                self._set(result, best.id, best.text, "named")
                return
            after = [m for m in speakers if 0 <= m.start - v.end() <= 5]
            if after and re.search(r"[,”\"]\s*$", sentence[: v.start()]):
                self._set(result, after[0].id, after[0].text, "named")
                return
        for v in verbs:
            subject = _subject_before(sentence, v.start())
            if not subject and re.search(r"[,”\"]\s*$", sentence[: v.start()]):
                subject = _subject_after(sentence, v.end())
            if subject and not any(self._actor_alias.get(_norm(subject)) == r for r in relays):
                self._subject(result, subject)
                if result.claimant:
                    return

    def _relays(self, sentence: str, mentions: list[Mention]) -> list[str]:
        relays = []
        for m in mentions:
            actor = self.actors[m.id]
            if actor.kind not in _RELAY_OUTLET_KINDS:
                continue
            before = sentence[max(0, m.start - 60) : m.start].lower()
            after = sentence[m.end : m.end + 40].lower()
            if re.search(
                r"\b(?:told|tells|to|by|in|cited by|quoted by|according to|via)\s+(?:the\s+)?"
                r"(?:[\w-]+\s+){0,3}(?:agency,?\s+|outlet,?\s+|newspaper,?\s+)?$",
                before,
            ) or re.match(
                r"\s*(?:news agency\s+)?(?:reported|reports|said|cited|quoted|also highlighted|"
                r"highlighted|wrote)",
                after,
            ):
                relays.append(m.id)
        return list(dict.fromkeys(relays))

    def _subject(self, result: Attribution, phrase: str) -> None:
        phrase = phrase.strip(" ,")
        for pattern, kinds in _BACK_REFERENCES:
            if re.search(pattern, phrase, re.IGNORECASE) and len(phrase.split()) <= 5:
                for kind in kinds:
                    if kind in self.last_speaker:
                        aid = self.last_speaker[kind]
                        if aid not in self.actors:  # a proposed speaker named earlier in the article
                            result.claimant, result.claimant_name, result.how = aid, phrase, "back-reference"
                            return
                        self._set(
                            result,
                            aid,
                            self.actors[aid].name if aid in self.actors else aid,
                            "back-reference",
                        )
                        return
        choices = {}
        for a in self.actors.values():
            for alias in (a.name, a.role):
                if alias:
                    choices[f"{a.id}\t{alias}"] = re.sub(r"\s*\([^)]*\)", "", alias)
        hit = (
            process.extractOne(phrase, choices, scorer=fuzz.token_sort_ratio, score_cutoff=80)
            if choices
            else None
        )
        if hit:
            aid = hit[2].split("\t")[0]
            self._set(result, aid, phrase, f"role({hit[1]:.0f})")
            return
        if not _looks_like_name(phrase) or re.fullmatch(r"(?i)(?:it|they|we|this|that|which|who)", phrase):
            return
        phrase = (
            re.sub(rf"^(?:the\s+)?(?:{_TITLES})\s+", "", phrase, flags=re.IGNORECASE)
            if re.match(rf"(?:the\s+)?(?:{_TITLES})\s+[A-Z]", phrase, re.IGNORECASE)
            else phrase
        )
        actor_id = slug(re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.IGNORECASE))[:40].strip("-")
        if not actor_id:
            return
        is_person = re.fullmatch(r"(?:[A-Z][\w.'’-]+ ){1,3}[A-Z][\w'’-]+", phrase) or re.search(
            r"\b(?:minister|commander|general|president|spokes(?:man|woman|person)|chief|secretary|envoy|official|"
            r"expert|ambassador|governor|head)\b",
            phrase,
            re.IGNORECASE,
        )
        kind = "person" if is_person else "organisation"
        result.claimant, result.claimant_name, result.how = actor_id, phrase, "proposed"
        self.last_speaker[kind] = actor_id  # "the committee" in the next sentence means this speaker
        self.last_claimant = actor_id
        result.proposed = {
            "id": actor_id,
            "name": phrase,
            "kind": kind,
            "role": "",
            "affiliation": "",
            "country": "",
            "notes": "Proposed by ingest: a speaker the data does not know yet.",
        }

    def _set(self, result: Attribution, aid: str, text: str, how: str) -> None:
        result.claimant, result.claimant_name, result.how = aid, text, how
        if aid in self.actors:
            self.last_speaker[self.actors[aid].kind] = aid
            self.last_claimant = aid


def _norm(text: str) -> str:
    return text.lower().replace("’", "'")


def _distance(m: Mention, v: re.Match[str]) -> int:
    # a speaker before the verb (its subject) is preferred to one after it
    return v.start() - m.end if m.end <= v.start() else m.start - v.end() + 20


def _subject_before(sentence: str, verb_start: int) -> str:
    head, previous = sentence[:verb_start].rstrip(), None
    while head != previous:  # "have consistently warned": drop auxiliaries and adverbs before the verb
        previous = head
        head = re.sub(
            r"\s+(?:has|have|had|also|then|once again|repeatedly|consistently|previously|recently|"
            r"publicly|further|not|never|already)\s*$",
            "",
            head,
            flags=re.IGNORECASE,
        ).rstrip()
    parts = re.split(r"[,;:“”\"]|\bthat\b", head)
    return parts[-1].strip() if parts and parts[-1].strip() else ""


def _subject_after(sentence: str, verb_end: int) -> str:
    m = re.match(r"\s*([^,.;]+)", sentence[verb_end:])
    return m.group(1).strip() if m else ""


def _looks_like_name(phrase: str) -> bool:
    """ "Omar Nessar", "the Kabul Police Chief": capitalised words (short function words aside)."""
    words = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.IGNORECASE).split()
    if not 1 <= len(words) <= 6 or words[0].lower() in (
        "its",
        "this",
        "these",
        "those",
        "their",
        "his",
        "her",
    ):
        return False
    return all(w[0].isupper() or w in ("of", "the", "and", "for", "de", "al", "bin") for w in words)
