"""Turn an article into draft rows for review: one row per report of a figure, an event or an assertion.

Rows have the flat columns of ``export csv`` (``model.FLAT_COLUMNS``) plus the quote's offsets, a status
(``draft`` when everything was found, ``needs_review`` with the reasons in ``review`` otherwise), the
place matches and proposals. Ids are provisional (``n-c001``, ``n-e001``) unless the row reports a claim
already in the data (same claimant, figure and group), whose id it then carries.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from dashboard.ingest import classify
from dashboard.ingest.attribution import _SPEECH, Attribution, People
from dashboard.ingest.dating import DateMention, Published, find_dates
from dashboard.ingest.figures import Figure, extract_figures
from dashboard.ingest.places import Gazetteer, PlaceResult
from dashboard.ingest.reader import Article, read_article
from dashboard.ingest.sentences import Sentence, split_sentences
from dashboard.model import FLAT_COLUMNS, UNIT_LABELS

_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]+(?:,\s*[A-Z][A-Za-z .'’-]+)?,?\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2},?\s*(?:\d{4}\s*)?)?"
    r"(?:\([^)]{1,40}\)\s*)?[-–—]+\s*"
)

#: Columns a draft adds to the flat export columns.
DRAFT_EXTRA: tuple[str, ...] = (
    "quote_start",  # offset of the quote in the article text
    "quote_end",
    "status",  # draft / needs_review (ingest); accepted / rejected (the reviewer)
    "review",  # why a reviewer must look
    "event",  # id of the draft or existing event a figure belongs to
    "place_matches",  # how each place was matched: "badakhshan=exact;kunduz=context(...)"
    "proposed_places",  # unknown place names proposed as new gazetteer rows (see the .places.csv file)
    "author",
    "published_basis",
    "language",
    "translation_note",
    "article_path",  # the article file the offsets refer to
    "article_sha256",  # digest of that file's bytes
)
DRAFT_COLUMNS: tuple[str, ...] = FLAT_COLUMNS + DRAFT_EXTRA

ACTOR_COLUMNS = ("id", "name", "kind", "role", "affiliation", "country", "notes")
PLACE_COLUMNS = (
    "id",
    "name",
    "kind",
    "country",
    "admin1",
    "lat",
    "lon",
    "location_precision",
    "geometry_ref",
    "alt_names",
    "geonames_id",
    "notes",
)
_PRECISION_BY_KIND = {
    "country": 6,
    "province": 4,
    "city": 1,
    "capital": 1,
    "town": 2,
    "military_base": 2,
    "border": 5,
    "river": 5,
    "region": 7,
}


@dataclass
class DocumentInfo:
    """What the reviewer says about the article on the command line."""

    published: str
    outlet: str = ""
    title: str = ""
    url: str = ""
    author: str = ""
    published_basis: str = ""
    language: str = "en"
    translation_note: str = ""


@dataclass
class Draft:
    """The draft rows of one article and the proposals that go with them."""

    article: Article
    rows: list[dict[str, str]] = field(default_factory=list)
    proposed_actors: dict[str, dict[str, str]] = field(default_factory=dict)
    proposed_places: dict[str, dict[str, str]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """How many rows of each kind and status."""
        out: dict[str, int] = {}
        for row in self.rows:
            for key in (row["kind"], row["status"]):
                out[key] = out.get(key, 0) + 1
        return out


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(value)


def _existing_claims(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / "claims.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def same_claim(a: dict[str, str], b: dict[str, str]) -> bool:
    """Same claimant, figure (low/best/high and unit) and group: one claim reported again."""
    if not a.get("unit") or a.get("unit") != b.get("unit") or a.get("claimant") != b.get("claimant"):
        return False
    if set(filter(None, (a.get("group") or "").split(";"))) != set(
        filter(None, (b.get("group") or "").split(";"))
    ):
        return False
    return all(_same_number(a.get(k, ""), b.get(k, "")) for k in ("figure_low", "figure_best", "figure_high"))


def _same_number(x: str, y: str) -> bool:
    if not x and not y:
        return True
    try:
        return float(x) == float(y)
    except ValueError:
        return False


def build_draft(article_path: Path, info: DocumentInfo, data_dir: Path) -> Draft:
    """Read the article and propose its figures, dated events and assertions as draft rows."""
    article = read_article(article_path)
    published = Published.parse(info.published)
    gazetteer = Gazetteer.load(data_dir / "places.csv")
    people = People.load(data_dir, info.outlet)
    existing = _existing_claims(data_dir)
    draft = Draft(article)
    sentences = split_sentences(article.text)
    paragraphs: dict[int, str] = {}
    for s in sentences:
        paragraphs[s.paragraph] = paragraphs.get(s.paragraph, "") + " " + s.text
    counters = {"claim": 0, "event": 0}
    story = _Story()
    for sentence in sentences:
        _Sentence(
            draft,
            sentence,
            article,
            published,
            info,
            gazetteer,
            people,
            existing,
            counters,
            paragraphs[sentence.paragraph],
            story,
        ).run()
    return draft


@dataclass
class _Story:
    """What earlier sentences established: the date of each event told, the last speaker's date."""

    event_dates: dict[str, DateMention] = field(default_factory=dict)
    speaker: str = ""
    speaker_date: DateMention | None = None


class _Sentence:
    """The draft rows of one sentence."""

    def __init__(
        self,
        draft: Draft,
        sentence: Sentence,
        article: Article,
        published: Published,
        info: DocumentInfo,
        gazetteer: Gazetteer,
        people: People,
        existing: list[dict[str, str]],
        counters: dict[str, int],
        paragraph: str,
        story: _Story,
    ) -> None:
        self.draft, self.s, self.article, self.pub, self.info = draft, sentence, article, published, info
        self.gazetteer, self.people, self.existing, self.counters = gazetteer, people, existing, counters
        text = sentence.text
        dateline = _DATELINE.match(text)
        # "DUSHANBE, June 12 (Agency) -": where and when the wire was filed, not what it reports
        self.body_start = dateline.end() if dateline else 0
        self.figures = [f for f in extract_figures(text) if f.start >= self.body_start]
        self.dates = [d for d in find_dates(text, published) if d.start >= self.body_start]
        actor_spans = [(m.start, m.end) for m in people.actor_mentions(text)]
        self.groups = people.group_mentions(text)
        masked = actor_spans + [(g.start, g.end) for g in self.groups] + [(0, self.body_start)]
        self.places = gazetteer.match(text, paragraph + " " + article.text[:4000], masked)
        self.attribution: Attribution = people.attribute(text)
        self.speech = _SPEECH.search(text)
        self.story = story
        self.inherited = self._inherited_date()

    def _inherited_date(self) -> DateMention | None:
        """A date told by an earlier sentence that this one continues.

        "During this exercise, ..." takes the date of the exercise told before; "He claimed that ..."
        takes the date of the same speaker's previous sentence.
        """
        if any(not d.vague for d in self.dates):
            return None
        found = None
        for event_type, _, back in classify.event_types(self.s.text):
            if back and event_type in self.story.event_dates:
                found = _borrowed(
                    self.story.event_dates[event_type], f"the {event_type} told earlier in the article"
                )
                break
        if (
            found is None
            and self.attribution.how == "back-reference"
            and self.story.speaker_date
            and self.attribution.claimant == self.story.speaker
        ):
            found = _borrowed(self.story.speaker_date, "the same speaker's previous sentence")
        return found

    def run(self) -> None:
        if self._is_heading():
            return
        own = [d for d in self.dates if not d.vague]
        if self.attribution.claimant:
            self.story.speaker = self.attribution.claimant
            self.story.speaker_date = own[0] if own else self.inherited
        events = self._events()
        for figure in self.figures:
            self._claim(figure, events)
        if (
            not self.figures
            and not events
            and self.attribution.claimant
            and (self.speech or re.search(r"[“\"]", self.s.text))
        ):
            self._assertion()

    def _is_heading(self) -> bool:
        # headlines, captions and section titles: no full stop, few words
        text = self.s.text
        return not re.search(r"[.!?”\")]$", text) and len(text.split()) < 16

    # --- rows -------------------------------------------------------------------------------------

    def _base(self, kind: str, date: DateMention | None, reasons: list[str]) -> dict[str, str]:
        info, pub = self.info, self.pub
        row = dict.fromkeys(DRAFT_COLUMNS, "")
        row.update(
            kind=kind,
            document=self.article.path.name,
            quote=self.s.text,
            quote_start=str(self.s.start),
            quote_end=str(self.s.end),
            title=info.title,
            outlet=info.outlet,
            url=info.url,
            published=pub.text,
            published_precision=pub.precision,
            author=info.author,
            published_basis=info.published_basis
            or f"Given as --published {pub.text} when the article was ingested.",
            language=info.language,
            translation_note=info.translation_note,
            article_path=str(self.article.path.resolve()),
            article_sha256=self.article.source_sha256,
        )
        if date is None:
            row.update(
                date=pub.text,
                date_precision=pub.precision,
                date_qualifier="as_of",
                date_basis=f"No date in the sentence; stated as current in {pub.describe()}.",
            )
        else:
            row.update(
                date=date.date,
                date_end=date.date_end,
                date_precision=date.precision,
                date_qualifier=date.qualifier,
                date_basis=date.basis,
            )
            if date.problem:
                reasons.append(f"date: {date.problem}")
        return row

    def _place_columns(
        self, row: dict[str, str], result: PlaceResult, reasons: list[str], after: int = 0
    ) -> None:
        matches = [m for m in result.matches if m.start >= after] or result.matches
        ids = list(dict.fromkeys(m.place_id for m in matches))
        row["places"] = ";".join(ids)
        row["place_names"] = ";".join(self.gazetteer.places[i].name for i in ids)
        row["place_matches"] = ";".join(f"{m.place_id}={m.how}" for m in matches)
        if ids:
            first = self.gazetteer.places[ids[0]]
            row["location_precision"] = str(first.location_precision)
        provinces = [
            self.gazetteer.places[i].admin1
            for i in ids
            if self.gazetteer.places[i].kind in ("province", "city", "town", "capital")
        ]
        row["provinces"] = ";".join(dict.fromkeys(p for p in provinces if p))
        for how in row["place_matches"].split(";"):
            if "fuzzy" in how:
                reasons.append(f"place spelled differently: {how}")
        for text in result.ambiguous:
            reasons.append(f"ambiguous place {text}")
        if result.proposals:
            row["proposed_places"] = ";".join(p.name for p in result.proposals)
            reasons.append("unknown place(s) proposed: " + ", ".join(p.name for p in result.proposals))
            for p in result.proposals:
                self.draft.proposed_places.setdefault(
                    p.slug,
                    {
                        **dict.fromkeys(PLACE_COLUMNS, ""),
                        "id": p.slug,
                        "name": p.name,
                        "kind": p.kind,
                        "country": p.country,
                        "admin1": p.admin1,
                        "location_precision": str(_PRECISION_BY_KIND.get(p.kind, 7)),
                        "notes": f"Proposed by ingest from {self.article.path.name}: {p.reason}. "
                        "Coordinates needed before it can be used.",
                    },
                )
        if not ids:
            reasons.append("no known place named in the sentence")

    def _people_columns(self, row: dict[str, str], attribution: Attribution, reasons: list[str]) -> None:
        row["claimant"] = attribution.claimant
        row["claimant_name"] = attribution.claimant_name
        actor = self.people.actors.get(attribution.claimant)
        if actor:
            row["claimant_role"] = actor.role
        row["relayed_by"] = ";".join(attribution.relayed_by)
        row["relayed_by_names"] = ";".join(self.people.actors[r].name for r in attribution.relayed_by)
        row["stance"] = attribution.stance
        if attribution.proposed:
            self.draft.proposed_actors.setdefault(attribution.proposed["id"], attribution.proposed)
            reasons.append(f"claimant {attribution.claimant_name!r} is not in actors.csv (proposed)")
        elif attribution.how.startswith(("back-reference", "role", "outlet")):
            reasons.append(f"claimant by {attribution.how}")

    def _finish(self, row: dict[str, str], reasons: list[str]) -> None:
        row["review"] = "; ".join(dict.fromkeys(reasons))
        row["status"] = "needs_review" if reasons else "draft"
        self.draft.rows.append(row)

    def _claim(self, figure: Figure, events: list[tuple[dict[str, str], DateMention | None]]) -> None:
        reasons: list[str] = []
        date = self._date_for(figure.start)
        row = self._base("claim", date, reasons)
        attribution = (
            self.attribution if self.attribution.claimant else self.people.unattributed(self.info.outlet)
        )
        self._people_columns(row, attribution, reasons)
        content_start = self.speech.end() if self.speech and self.speech.end() <= figure.start else 0
        self._place_columns(row, self.places, reasons, content_start)
        row.update(
            figure_low=_num(figure.low),
            figure_best=_num(figure.best),
            figure_high=_num(figure.high),
            figure_qualifier=figure.qualifier,
            unit=figure.unit,
            type=classify.topic_for(
                figure.unit, self.s.text, _clause_after(self.s.text, figure.start, figure.end)
            ),
            subject=f"{figure.text} ({UNIT_LABELS.get(figure.unit, figure.unit.replace('_', ' '))})",
        )
        row["group"] = self._group_for(figure.start)
        if figure.unit_inferred:
            reasons.append(f"unit taken from the sentence's previous figure: {figure.text!r}")
        if figure.unit not in UNIT_LABELS:
            reasons.append(f"unit {figure.unit} is not in the schema's list yet")
        if events and figure.unit in (
            "troops",
            "equipment_types",
            "equipment_items",
            "people_killed",
            "people_wounded",
        ):
            row["event"] = events[0][0]["id"]
        self._link_existing(row, reasons)
        self._finish(row, reasons)

    def _assertion(self) -> None:
        reasons = ["assertion without a figure: check it is worth a claim"]
        date = self._date_for(len(self.s.text))
        row = self._base("claim", date, reasons)
        self._people_columns(row, self.attribution, reasons)
        content_start = self.speech.end() if self.speech else 0
        self._place_columns(row, self.places, reasons, content_start)
        row["type"] = "denial" if self.attribution.stance == "denial" else "security_assessment"
        row["subject"] = _shorten(self.s.text[content_start:] if content_start else self.s.text)
        row["group"] = ";".join(dict.fromkeys(g.id for g in self.groups))
        self.counters["claim"] += 1
        row["id"] = f"n-c{self.counters['claim']:03d}"
        self._finish(row, reasons)

    def _events(self) -> list[tuple[dict[str, str], DateMention | None]]:
        types = [t for t in classify.event_types(self.s.text) if not t[2]]
        if not types:
            return []
        dated = [d for d in self.dates if not d.vague]
        out = []
        if dated:
            for d in dated:
                # the event word nearest the date names the type
                strong = [t for t in types if t[0] not in classify.WEAK_TYPES] or types
                event_type = min(strong, key=lambda t: abs(t[1] - d.start))[0]
                out.append((self._event_row(event_type, d), d))
                self.story.event_dates[event_type] = d
        else:
            # "recently removed from the list": any event type with a vague date; without any date,
            # only the types that are events by themselves (a meeting, a report)
            vague = next((d for d in self.dates if d.vague), None)
            usable = [t for t in types if vague or t[0] in classify.UNDATED_TYPES]
            if usable:
                out.append((self._event_row(usable[0][0], vague), vague))
        return out

    def _event_row(self, event_type: str, date: DateMention | None) -> dict[str, str]:
        reasons: list[str] = []
        row = self._base("event", date, reasons)
        if date is None:
            row.update(
                date_qualifier="before", date_basis=f"Reported without a date in {self.pub.describe()}."
            )
            reasons.append("event without a date in the sentence")
        self._place_columns(row, self.places, reasons)
        self.counters["event"] += 1
        row.update(
            id=f"n-e{self.counters['event']:03d}",
            type=event_type,
            subject=_shorten(self.s.text),
            group=";".join(dict.fromkeys(g.id for g in self.groups)),
        )
        participants = [
            m.id
            for m in self.people.actor_mentions(self.s.text)
            if self.people.actors[m.id].kind not in ("news_agency", "news_outlet")
        ]
        row["participants"] = ";".join(dict.fromkeys(participants))
        if self.attribution.relayed_by:
            row["relayed_by"] = ";".join(self.attribution.relayed_by)
        self._finish(row, reasons)
        return row

    # --- helpers ----------------------------------------------------------------------------------

    def _date_for(self, position: int) -> DateMention | None:
        """The sentence's date that applies at ``position``: the last exact one before it, else any."""
        exact = [d for d in self.dates if not d.vague and d.precision and not d.date_end]
        before = [d for d in exact if d.start < position]
        if before:
            return before[-1]
        if exact:
            return exact[0]
        if self.inherited is not None:
            return self.inherited
        vague = [d for d in self.dates if d.vague]
        return vague[0] if vague else None

    def _group_for(self, position: int) -> str:
        before = [g for g in self.groups if g.start < position]
        specific = [g for g in before if self.people.groups.get(g.id) == "militant_group"]
        if specific:
            return specific[-1].id
        if before:
            return before[-1].id
        return self.groups[0].id if self.groups else ""

    def _link_existing(self, row: dict[str, str], reasons: list[str]) -> None:
        for claim in self.existing:
            if same_claim(row, claim):
                row["id"] = claim["id"]
                reasons.append(
                    f"reports claim {claim['id']} already in the data (same claimant, figure, group)"
                )
                return
        self.counters["claim"] += 1
        row["id"] = f"n-c{self.counters['claim']:03d}"


def _clause_after(text: str, start: int, end: int) -> str:
    """A figure's words and the rest of its clause, up to the next comma or full stop."""
    m = re.match(r"[^,.;]*", text[end:])
    return text[start:end] + (m.group(0) if m else "")


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split()).strip(' ,.“”"')
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def write_draft(draft: Draft, out: Path) -> list[Path]:
    """Write the draft CSV and, when there are any, its proposed actors and places beside it."""
    out = Path(out)
    written = [out]
    _write_csv(out, DRAFT_COLUMNS, draft.rows)
    for suffix, columns, rows in (
        (".actors.csv", ACTOR_COLUMNS, list(draft.proposed_actors.values())),
        (".places.csv", PLACE_COLUMNS, list(draft.proposed_places.values())),
    ):
        side = sidecar(out, suffix)
        if rows:
            _write_csv(side, columns, rows)
            written.append(side)
        elif side.exists():
            side.unlink()  # a stale proposal file from an earlier run would be taken for this one's
    return written


def sidecar(draft_path: Path, suffix: str) -> Path:
    """``DRAFT.csv`` -> ``DRAFT.actors.csv`` / ``DRAFT.places.csv``."""
    draft_path = Path(draft_path)
    return draft_path.with_name(draft_path.stem + suffix)


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def _borrowed(d: DateMention, where: str) -> DateMention:
    """A date taken from another sentence: no offsets in this one, its basis says where it came from."""
    return replace(d, start=0, end=0, basis=f"{d.basis} ({where})", problem="", vague=False)
