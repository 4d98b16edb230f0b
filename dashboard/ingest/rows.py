"""The draft rows of one sentence: a claim per figure, an event per dated event, or an assertion.

``SentenceRows`` reads the sentence once (figures, dates, actors, groups, places, who says it) and then
writes its rows into the article's draft, with the reasons a reviewer must look at each.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace

from dashboard.flat import provinces_of
from dashboard.ingest import classify
from dashboard.ingest.attribution import Attribution, speech_verb
from dashboard.ingest.columns import DRAFT_COLUMNS, PLACE_COLUMNS
from dashboard.ingest.context import DraftContext
from dashboard.ingest.dating import DateMention, find_dates
from dashboard.ingest.figures import Figure, extract_figures
from dashboard.ingest.places import PlaceContext, PlaceResult
from dashboard.ingest.sentences import Sentence
from dashboard.model import ACLED_DEFAULTS, ACLED_FALLBACK, UNIT_LABELS
from dashboard.values import LIST_SEPARATOR, join_ids, split_ids

_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]+(?:,\s*[A-Z][A-Za-z .'’-]+)?,?\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2},?\s*(?:\d{4}\s*)?)?"
    r"(?:\([^)]{1,40}\)\s*)?[-–—]+\s*"
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
# Units of figures that belong to an event of the same sentence (troops at an exercise, people killed).
_EVENT_UNITS = ("troops", "equipment_types", "equipment_items", "people_killed", "people_wounded")

Event = tuple[dict[str, str], DateMention | None]


class SentenceRows:
    """The draft rows of one sentence; ``place_context`` is shared by the sentences of its paragraph."""

    def __init__(self, ctx: DraftContext, sentence: Sentence, place_context: PlaceContext) -> None:
        self.ctx, self.s = ctx, sentence
        self.gazetteer, self.people = ctx.sources.gazetteer, ctx.sources.people
        text = sentence.text
        dateline = _DATELINE.match(text)
        # "DUSHANBE, June 12 (Agency) -": where and when the wire was filed, not what it reports
        self.body_start = dateline.end() if dateline else 0
        self.figures = [f for f in extract_figures(text) if f.start >= self.body_start]
        found = find_dates(text, ctx.published, ctx.story.last_day)
        self.dates = [d for d in found if d.start >= self.body_start]
        actor_spans = [(m.start, m.end) for m in self.people.actor_mentions(text)]
        self.groups = self.people.group_mentions(text)
        masked = actor_spans + [(g.start, g.end) for g in self.groups] + [(0, self.body_start)]
        self.places = self.gazetteer.match(text, place_context, masked)
        self.attribution: Attribution = self.people.attribute(text)
        self.speech = speech_verb(text)
        self.inherited = self._inherited_date()

    def _inherited_date(self) -> DateMention | None:
        """A date told by an earlier sentence that this one continues.

        "During this exercise, ..." takes the date of the exercise told before; "He claimed that ..."
        takes the date of the same speaker's previous sentence.
        """
        if any(not d.vague for d in self.dates):
            return None
        story = self.ctx.story
        found = None
        for event_type, _, back in classify.event_types(self.s.text):
            if back and event_type in story.event_dates:
                where = f"the {event_type} told earlier in the article"
                found = _borrowed(story.event_dates[event_type], where)
                break
        if (
            found is None
            and self.attribution.how == "back-reference"
            and story.speaker_date
            and self.attribution.claimant == story.speaker
        ):
            found = _borrowed(story.speaker_date, "the same speaker's previous sentence")
        if found is None and story.incident is not None and self._goes_on_about_incident():
            found = _borrowed(story.incident, "the incident told just before")
        return found

    def _goes_on_about_incident(self) -> bool:
        """Casualties, arrests or seizures with no date of their own, or words pointing back at the
        incident ("in the clash", "during searches"): the sentence goes on about the last incident."""
        if classify.INCIDENT_BACKREF.search(self.s.text):
            return True
        return any(f.unit in classify.INCIDENT_UNITS for f in self.figures)

    def run(self) -> None:
        """Add the sentence's rows to the draft (none for a heading)."""
        if self._is_heading():
            return
        own = [d for d in self.dates if not d.vague]
        if self.attribution.claimant:
            self.ctx.story.speaker = self.attribution.claimant
            self.ctx.story.speaker_date = own[0] if own else self.inherited
        events = self._events()
        for figure in self.figures:
            self._claim(figure, events)
        self._remember(events)
        if (
            not self.figures
            and not events
            and self.attribution.claimant
            and (self.speech or re.search(r"[“\"]", self.s.text))
        ):
            self._assertion()

    def _remember(self, events: list[Event]) -> None:
        """Keep the last day told (for "the following day") and the date of the last incident told."""
        # the day just told; within one sentence, the day of what happened before the day it was said
        days = [d for d in self.dates if d.precision == "day" and not d.vague]
        told = [d for d in days if not d.speech]
        if told or days:
            self.ctx.story.last_day = (told or days)[-1]
        dated = [d for row, d in events if d is not None and row["type"] in classify.INCIDENT_TYPES]
        if dated and not dated[-1].speech and not dated[-1].vague:
            self.ctx.story.incident = dated[-1]

    def _is_heading(self) -> bool:
        # headlines, captions and section titles: no full stop, few words
        text = self.s.text
        return not re.search(r"[.!?”\")]$", text) and len(text.split()) < 16

    # --- rows -------------------------------------------------------------------------------------

    def _base(self, kind: str, date: DateMention | None, reasons: list[str]) -> dict[str, str]:
        info, pub, article = self.ctx.info, self.ctx.published, self.ctx.article
        row = dict.fromkeys(DRAFT_COLUMNS, "")
        row.update(
            kind=kind,
            document=article.path.name,
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
            article_path=str(article.path.resolve()),
            article_sha256=article.source_sha256,
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
            if date.qualifier == "about":
                reasons.append("approximate date: give date_earliest/date_latest bounds or a coarser date")
        self._bound_loose_date(row)
        return row

    @staticmethod
    def _bound_loose_date(row: dict[str, str]) -> None:
        """A date "before" the publication is a latest bound: the data keeps no before/about qualifier."""
        if row["date_qualifier"] == "before":
            row.update(date_latest=row["date"], date="", date_end="", date_precision="", date_qualifier="")

    def _place_columns(
        self, row: dict[str, str], result: PlaceResult, reasons: list[str], after: int = 0
    ) -> None:
        matches = [m for m in result.matches if m.start >= after] or result.matches
        listed = [self.gazetteer.places[i] for i in dict.fromkeys(m.place_id for m in matches)]
        row["places"] = join_ids(p.id for p in listed)
        # names line up with the ids, and every mention is listed: these lists keep their repeats
        row["place_names"] = LIST_SEPARATOR.join(p.name for p in listed)
        row["place_matches"] = LIST_SEPARATOR.join(f"{m.place_id}={m.how}" for m in matches)
        if listed:
            row["location_precision"] = str(listed[0].location_precision)
        # the provinces the export would name for these places (one definition, in flat)
        row["provinces"] = join_ids(provinces_of([asdict(p) for p in listed]))
        for how in split_ids(row["place_matches"]):
            if "fuzzy" in how:
                reasons.append(f"place spelled differently: {how}")
        for text in result.ambiguous:
            reasons.append(f"ambiguous place {text}")
        if result.proposals:
            row["proposed_places"] = join_ids(p.name for p in result.proposals)
            reasons.append("unknown place(s) proposed: " + ", ".join(p.name for p in result.proposals))
            for p in result.proposals:
                self.ctx.draft.proposed_places.setdefault(
                    p.slug,
                    {
                        **dict.fromkeys(PLACE_COLUMNS, ""),
                        "id": p.slug,
                        "name": p.name,
                        "kind": p.kind,
                        "country": p.country,
                        "admin1": p.admin1,
                        "location_precision": str(_PRECISION_BY_KIND.get(p.kind, 7)),
                        "notes": f"Proposed by ingest from {self.ctx.article.path.name}: {p.reason}. "
                        "Coordinates needed before it can be used.",
                    },
                )
        if not listed:
            reasons.append("no known place named in the sentence")

    def _people_columns(self, row: dict[str, str], attribution: Attribution, reasons: list[str]) -> None:
        row["claimant"] = attribution.claimant
        row["claimant_name"] = attribution.claimant_name
        actor = self.people.actors.get(attribution.claimant)
        if actor:
            row["claimant_role"] = actor.role
        row["relayed_by"] = join_ids(attribution.relayed_by)
        names = (self.people.actors[r].name for r in attribution.relayed_by)
        row["relayed_by_names"] = LIST_SEPARATOR.join(names)  # one name per relay, in the same order
        row["stance"] = attribution.stance
        if attribution.proposed:
            self.ctx.draft.proposed_actors.setdefault(attribution.proposed["id"], attribution.proposed)
            reasons.append(f"claimant {attribution.claimant_name!r} is not in actors.csv (proposed)")
        elif attribution.how.startswith(("back-reference", "role", "outlet")):
            reasons.append(f"claimant by {attribution.how}")

    def _finish(self, row: dict[str, str], reasons: list[str]) -> None:
        row["review"] = "; ".join(dict.fromkeys(reasons))
        row["status"] = "needs_review" if reasons else "draft"
        self.ctx.draft.rows.append(row)

    def _claim(self, figure: Figure, events: list[Event]) -> None:
        reasons: list[str] = []
        row = self._base("claim", self._date_for(figure.start, figure.end), reasons)
        attribution = (
            self.attribution if self.attribution.claimant else self.people.unattributed(self.ctx.info.outlet)
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
            figure_text=figure.text,
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
        if events and figure.unit in _EVENT_UNITS:
            row["event"] = events[0][0]["id"]
        self._link_existing(row, reasons)
        self._finish(row, reasons)

    def _assertion(self) -> None:
        reasons = ["assertion without a figure: check it is worth a claim"]
        row = self._base("claim", self._date_for(len(self.s.text)), reasons)
        self._people_columns(row, self.attribution, reasons)
        content_start = self.speech.end() if self.speech else 0
        self._place_columns(row, self.places, reasons, content_start)
        row["type"] = "denial" if self.attribution.stance == "denial" else "security_assessment"
        row["subject"] = _shorten(self.s.text[content_start:] if content_start else self.s.text)
        row["group"] = join_ids(g.id for g in self.groups)
        row["id"] = self.ctx.new_id("claim")
        self._finish(row, reasons)

    def _events(self) -> list[Event]:
        types = [t for t in classify.event_types(self.s.text) if not t[2]]
        if not types:
            return self._happening()
        dated = self._event_dates()
        out: list[Event] = []
        if dated:
            for d in dated:
                # the event word nearest the date names the type
                strong = [t for t in types if t[0] not in classify.WEAK_TYPES] or types
                event_type = min(strong, key=lambda t: abs(t[1] - d.start))[0]
                out.append((self._event_row(event_type, d), d))
                self.ctx.story.event_dates[event_type] = d
        else:
            # "recently removed from the list": any event type with a vague date; without any date,
            # only the types that are events by themselves (a meeting, a report)
            vague = next((d for d in self.dates if d.vague), None)
            usable = [t for t in types if vague or t[0] in classify.UNDATED_TYPES]
            if usable:
                out.append((self._event_row(usable[0][0], vague), vague))
        return out

    def _event_dates(self) -> list[DateMention]:
        """The dates that can date an event: not vague, and not only when something was said unless
        nothing else is dated."""
        dated = [d for d in self.dates if not d.vague]
        told = [d for d in dated if not d.speech]
        return told or dated

    def _happening(self) -> list[Event]:
        """An event told by its verb alone ("militants ambushed a convoy", "the bridge was opened in
        2007"): dated by the sentence, else by the incident it goes on about, else undated."""
        found = classify.happening(self.s.text)
        if found is None:
            return []
        event_type, position = found
        dated = self._event_dates()
        points = [d for d in dated if not d.date_end] or dated  # "until 2042" bounds, it does not date
        if len(points) > 1:  # "In 2019 it received ..., and this year it began ...": one event each
            events = []
            for date in points:
                self.ctx.story.event_dates[event_type] = date
                events.append((self._event_row(event_type, date), date))
            return events
        if points:
            date = points[0]
            self.ctx.story.event_dates[event_type] = date
            return [(self._event_row(event_type, date), date)]
        if self._is_continuation():
            return []  # "Two border guards were wounded in the clash": a figure of the incident told
        date = self.inherited or next((d for d in self.dates if d.vague), None)
        return [(self._event_row(event_type, date), date)]

    def _is_continuation(self) -> bool:
        return self.inherited is not None and self.inherited.basis.endswith("(the incident told just before)")

    def _event_row(self, event_type: str, date: DateMention | None) -> dict[str, str]:
        reasons: list[str] = []
        row = self._base("event", date, reasons)
        if date is None:
            row.update(
                date_qualifier="before",
                date_basis=f"Reported without a date in {self.ctx.published.describe()}.",
            )
            reasons.append("event without a date in the sentence")
        self._bound_loose_date(row)
        self._place_columns(row, self.places, reasons)
        acled = ACLED_DEFAULTS.get(event_type, ACLED_FALLBACK)
        row.update(
            id=self.ctx.new_id("event"),
            type=event_type,
            event_type=acled[0],
            sub_event_type=acled[1],
            event_status="occurred",
            # a proposal for the reviewer: where it happened, if the sentence names a place
            location=split_ids(row["places"])[0] if row["places"] else "",
            subject=_shorten(self.s.text),
            group=join_ids(g.id for g in self.groups),
        )
        participants = [
            m.id
            for m in self.people.actor_mentions(self.s.text)
            if self.people.actors[m.id].kind not in ("news_agency", "news_outlet")
        ]
        row["participants"] = join_ids(participants)
        if self.attribution.relayed_by:
            row["relayed_by"] = join_ids(self.attribution.relayed_by)
        self._finish(row, reasons)
        return row

    # --- helpers ----------------------------------------------------------------------------------

    def _date_for(self, position: int, end: int | None = None) -> DateMention | None:
        """The sentence's date that applies to the words at ``position:end``: one right after them ("nine
        in 2023"), else the last one before them ("now" between wins: "the list, compiled in 2005, now
        includes 20"), else the first after them, else one borrowed from the story, else a vague one."""
        own = [d for d in self.dates if not d.vague and d.precision]
        right_after = [d for d in own if 0 <= d.start - (position if end is None else end) <= 4]
        if right_after:  # "up from nine in 2023", "killed 21 people last March"
            return right_after[0]
        before = [d for d in own if d.start < position]
        present = [d for d in self.dates if d.present and d.start < position]
        if present and (not before or present[-1].start > before[-1].start):
            return present[-1]
        if before:
            return before[-1]
        if own:
            return own[0]
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
        for claim in self.ctx.sources.claims:
            if same_claim(row, claim):
                row["id"] = claim["id"]
                reasons.append(
                    f"reports claim {claim['id']} already in the data (same claimant, figure, group)"
                )
                return
        row["id"] = self.ctx.new_id("claim")


def same_claim(a: dict[str, str], b: dict[str, str]) -> bool:
    """Same claimant, figure (low/best/high and unit) and group: one claim reported again."""
    if not a.get("unit") or a.get("unit") != b.get("unit") or a.get("claimant") != b.get("claimant"):
        return False
    if set(split_ids(a.get("group"))) != set(split_ids(b.get("group"))):
        return False
    return all(_same_number(a.get(k, ""), b.get(k, "")) for k in ("figure_low", "figure_best", "figure_high"))


def _same_number(x: str, y: str) -> bool:
    if not x and not y:
        return True
    try:
        return float(x) == float(y)
    except ValueError:
        return False


def _borrowed(d: DateMention, where: str) -> DateMention:
    """A date taken from another sentence: no offsets in this one, its basis says where it came from."""
    return replace(d, start=0, end=0, basis=f"{d.basis} ({where})", problem="", vague=False)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(value)


def _clause_after(text: str, start: int, end: int) -> str:
    """A figure's words and the rest of its clause, up to the next comma or full stop."""
    m = re.match(r"[^,.;]*", text[end:])
    return text[start:end] + (m.group(0) if m else "")


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split()).strip(' ,.“”"')
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
