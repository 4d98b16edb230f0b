"""What changed between two dates: what became known, by the publication date of the reports.

``changes(flat_all, retractions, since, until, filters)`` compares the view as known on ``since`` with
the view as known on ``until`` (``filters.apply_filters`` with ``known_on``; the other filters apply to
both). The reports new in the second view, those whose document was published after ``since`` and on
or before ``until`` (each date taken at the last day it covers), are sorted into:

* **new claims and events**: records with no report known on ``since``;
* **corroboration**: new reports of a record already known on ``since``;
* **figures that moved**: a figure series is the claims with the same topic, group(s), unit and
  place(s). A new report with a figure moves it when the figure as worded (low, best, high and
  qualifier: "about 10,000 fighters") differs from the *last* figure of that series known on
  ``since`` (the one whose document was published last; among reports of one document, the last
  listed). A new claim can both be new and move a figure (Patrushev's 23,000 after the CSTO's 10,000);
* **retractions** dated after ``since`` and on or before ``until``.

Reports retracted by ``until`` are left out of both views (unless the filters include them); a retraction
dated after ``since`` still lets its reports count on ``since``. Everything is returned as typed
values; :mod:`dashboard.exports.changes` writes them as text, Markdown or CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from dashboard.filters import apply_filters, known_by
from dashboard.model import Filters
from dashboard.values import blank, split_ids
from dashboard.wording import format_date, format_figure

#: The columns that make a figure series (see the module docstring).
SERIES_COLUMNS = ("type", "group", "unit", "places")


@dataclass(frozen=True)
class Said:
    """One report as evidence: what it says, who said it, where and when it was published."""

    report_id: str
    kind: str
    record_id: str
    subject: str
    figure: str  # as worded, "" when the report gives none
    claimant: str
    relayed_by: str
    document_id: str
    title: str
    outlet: str
    published: str  # in words, at the document's precision
    quote: str
    retracted: str  # "retracted"/"discredited" when shown with retracted reports included, else ""


@dataclass(frozen=True)
class NewRecord:
    """A claim or event first known in the window, with the reports that made it known."""

    kind: str
    id: str
    subject: str
    reports: tuple[Said, ...]


@dataclass(frozen=True)
class Corroboration:
    """New reports of a claim or event already known on the start date."""

    kind: str
    id: str
    subject: str
    known: tuple[Said, ...]  # the reports known on the start date
    new: tuple[Said, ...]


@dataclass(frozen=True)
class FigureMove:
    """A figure series whose last known figure differs from a new report's."""

    series: str  # "force strength · terrorist-groups · fighters · afghanistan"
    old: Said
    new: Said


@dataclass(frozen=True)
class RetractionNote:
    """A retraction dated in the window, with the number of reports in the view resting on it."""

    id: str
    target: str
    target_kind: str
    kind: str
    date: str  # in words
    reason: str
    reports: int


@dataclass(frozen=True)
class Changes:
    """Everything that became known after ``since`` and on or before ``until``."""

    since: str
    until: str
    new: tuple[NewRecord, ...]
    corroborated: tuple[Corroboration, ...]
    moved: tuple[FigureMove, ...]
    retractions: tuple[RetractionNote, ...]

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.new or self.corroborated or self.moved or self.retractions)

    @property
    def window(self) -> str:
        """ "after 31 March 2024, up to 30 June 2024" (plain text)."""
        return f"after {format_date(self.since)}, up to {format_date(self.until)}"


def said(row: dict) -> Said:
    """The evidence of one flat-table row."""
    figure = format_figure(
        row["figure_low"], row["figure_best"], row["figure_high"], row["figure_qualifier"], row["unit"]
    )
    return Said(
        report_id=str(row["report_id"]),
        kind=str(row["kind"]),
        record_id=str(row["id"]),
        subject=str(row["subject"]),
        figure=figure,
        claimant=str(row["claimant_name"] or ""),
        relayed_by=", ".join(split_ids(row["relayed_by_names"])),
        document_id=str(row["document_id"]),
        title=str(row["title"]),
        outlet=str(row["outlet"]),
        published=format_date(row["published"], row["published_precision"]),
        quote=str(row["quote"]),
        retracted=str(row.get("retracted", "") or ""),
    )


def check_window(since: str, until: str) -> None:
    """ValueError naming the option when a date is not ISO 8601 or ``since`` is not before ``until``."""
    for name, text in (("from", since), ("to", until)):
        try:
            known_by(text)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from exc
    if known_by(since) >= known_by(until):
        raise ValueError(f"from: {since} is not before to {until}")


def _in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by publication (the last day it covers), then in table order."""
    order = [(known_by(p), i) for i, p in enumerate(frame["published"])]
    return frame.iloc[sorted(range(len(frame)), key=order.__getitem__)]


def _has_figure(row: dict) -> bool:
    return any(not blank(row[c]) for c in ("figure_low", "figure_best", "figure_high"))


def _series(row: dict) -> tuple[str, ...]:
    """The figure series of a claim row; list cells are compared as sets ("a;b" is "b;a")."""
    return tuple(
        ";".join(sorted(split_ids(row[c]))) if c in ("group", "places") else str(row[c])
        for c in SERIES_COLUMNS
    )


def _series_label(key: tuple[str, ...]) -> str:
    return " · ".join(part.replace("_", " ").replace(";", ", ") for part in key if part)


def _moves(before: pd.DataFrame, window: pd.DataFrame) -> list[FigureMove]:
    last: dict[tuple[str, ...], dict] = {}
    for row in _in_order(before[before["kind"] == "claim"]).to_dict("records"):
        if _has_figure(row):
            last[_series(row)] = row  # later rows replace earlier ones: the last known wins
    moves = []
    for row in window[window["kind"] == "claim"].to_dict("records"):
        old = last.get(_series(row)) if _has_figure(row) else None
        if old is not None and said(old).figure != said(row).figure:
            moves.append(FigureMove(_series_label(_series(row)), said(old), said(row)))
    return moves


def _retraction_notes(
    retractions: pd.DataFrame, view: pd.DataFrame, since: date, until: date, everything: bool
) -> list[RetractionNote]:
    notes = []
    for r in retractions.to_dict("records"):
        if not since < known_by(r["date"]) <= until:
            continue
        column = "document_id" if r["target_kind"] == "document" else "claimant"
        count = int((view[column] == r["target"]).sum())
        if count or everything:
            notes.append(
                RetractionNote(
                    r["id"],
                    r["target"],
                    r["target_kind"],
                    r["kind"],
                    format_date(r["date"]),
                    r["reason"],
                    count,
                )
            )
    return notes


def changes(
    flat_all: pd.DataFrame,
    retractions: pd.DataFrame,
    since: str,
    until: str | None = None,
    filters: Filters | None = None,
) -> Changes:
    """What became known after ``since`` and on or before ``until`` (default today) under ``filters``.

    ``filters.known_on`` is replaced by each end of the window; ValueError for a bad window.
    """
    until = until or date.today().isoformat()
    check_window(since, until)
    base = replace(filters or Filters(), known_on=None)
    before = apply_filters(flat_all, replace(base, known_on=since))
    after = apply_filters(flat_all, replace(base, known_on=until))
    window = _in_order(after[~after["report_id"].isin(set(before["report_id"]))])
    known = set(zip(before["kind"], before["id"], strict=True))
    new, corroborated = [], []
    for (kind, record_id), rows in window.groupby(["kind", "id"], sort=False):
        reports = tuple(said(r) for r in rows.to_dict("records"))
        subject = reports[0].subject
        if (kind, record_id) in known:
            earlier = before[(before["kind"] == kind) & (before["id"] == record_id)]
            old = tuple(said(r) for r in _in_order(earlier).to_dict("records"))
            corroborated.append(Corroboration(str(kind), str(record_id), subject, old, reports))
        else:
            new.append(NewRecord(str(kind), str(record_id), subject, reports))
    marked = apply_filters(flat_all, replace(base, known_on=until, include_retracted=True))
    everything = replace(base, include_retracted=False) == Filters()
    return Changes(
        since=since,
        until=until,
        new=tuple(new),
        corroborated=tuple(corroborated),
        moved=tuple(_moves(before, window)),
        retractions=tuple(
            _retraction_notes(retractions, marked, known_by(since), known_by(until), everything)
        ),
    )
