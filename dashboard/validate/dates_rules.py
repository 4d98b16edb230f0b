"""Date rules: well-formed spans at their stated precision, and nothing dated after its source.

Dates are partial ISO 8601 strings (see ``dashboard.dates``). A record cannot have happened after the
document that reports it was published, so both ends of its span are compared with the publication
date of every document reporting it, at the coarser of the two precisions. Plans and deliveries
(``FUTURE_EVENT_TYPES``) are the exception. A report that gives its own date overrides the record's.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import dates
from dashboard.validate.problems import Collector
from dashboard.validate.references import RECORD_TABLES
from dashboard.validate.tables import Table

#: Events of this type may be dated after the documents that report them (plans, deliveries).
FUTURE_EVENT_TYPES = frozenset({"programme_milestone"})


@dataclass(frozen=True)
class Span:
    """Where a row's dates are and what they parse to (``end`` only when date_end is given and valid)."""

    file: str
    row: int
    start: dates.PartialDate
    end: dates.PartialDate | None


def check_dates(tables: dict[str, Table], out: Collector) -> None:
    """Check every span, then compare each reported span with the publication of its document."""
    spans: dict[tuple[str, str], Span | None] = {}
    for kind, name in RECORD_TABLES.items():
        if name in tables:
            for n, row in tables[name].rows:
                spans[(kind, row.get("id", ""))] = check_span(tables[name].file, n, row, out)
    documents = tables["documents"].by_id() if "documents" in tables else {}
    events = tables["events"].by_id() if "events" in tables else {}
    reports = tables.get("reports")
    if reports is None:
        return
    for n, row in reports.rows:
        override = check_span(reports.file, n, row, out, override=True)
        kind, record = row.get("record_kind", ""), row.get("record_id", "")
        if kind == "event" and events.get(record, (0, {}))[1].get("type") in FUTURE_EVENT_TYPES:
            continue
        span = override if override is not None else spans.get((kind, record))
        doc = documents.get(row.get("document", ""))
        if doc is None or span is None:
            continue
        published = _parse(doc[1].get("published", ""), doc[1].get("published_precision", ""))
        if published is not None:
            _check_not_after(span, published, row.get("id"), doc[1].get("id"), out)


def check_span(file: str, n: int, row: dict[str, str], out: Collector, override: bool = False) -> Span | None:
    """Check date, date_end and date_precision of one row; return its span when the start date is valid.

    ``override`` marks a report's own date: its precision, qualifier and basis are then required too
    (the schema already requires them of claims and events).
    """
    text, end, precision = row.get("date", ""), row.get("date_end", ""), row.get("date_precision", "")
    if not text:
        for name in ("date_end", "date_precision", "date_qualifier", "date_basis"):
            if row.get(name, ""):
                out.add(file, n, name, "given without a date")
        return None
    for name in ("date_precision", "date_qualifier", "date_basis") if override else ():
        if name in row and not row[name]:
            out.add(file, n, name, "required when a date is given")
    start = None
    try:
        dates.precision_of(text)  # a malformed date was reported by its pattern already
        start = dates.parse_partial(text, precision if precision in dates.PRECISIONS else None)
    except ValueError as exc:
        if _well_formed(text):
            out.add(file, n, "date", str(exc))
    stop = None
    if end and start is not None and _well_formed(end):
        try:
            stop = dates.parse_partial(end, start.precision)
        except ValueError as exc:
            out.add(file, n, "date_end", f"{exc} (date_end keeps the precision of date)")
        if stop is not None and stop.first < start.first:
            out.add(file, n, "date_end", f"{end} is before date {text}")
            stop = None  # already wrong; comparing it with the publication would only repeat that
    return Span(file, n, start, stop) if start is not None else None


def _parse(text: str, precision: str) -> dates.PartialDate | None:
    try:
        return dates.parse_partial(text, precision or None)
    except ValueError:
        return None  # the documents table reports its own malformed dates


def _well_formed(text: str) -> bool:
    try:
        dates.precision_of(text)
    except ValueError:
        return False
    return True


def _check_not_after(
    span: Span, published: dates.PartialDate, report: str | None, document: str | None, out: Collector
) -> None:
    """Report each end of ``span`` that lies after ``published``."""
    for name, when in (("date", span.start), ("date_end", span.end)):
        if when is None:
            continue
        # Compare at the coarser precision: "2023-05-25" is not after a document of "2023-05".
        precision = dates.coarser(when.precision, published.precision)
        if dates.truncate(when.text, precision) > dates.truncate(published.text, precision):
            out.add(
                span.file,
                span.row,
                name,
                f"{when.text} is after the publication ({published.text}) of document {document}, "
                f"which reports it in {report}; only programme_milestone events may be dated later",
            )
