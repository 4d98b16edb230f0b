"""Date rules: two times per record, each well formed and consistent, and nothing dated after its source.

Every claim and event has two times (see ``dashboard.dates``): the time it refers to ("as of": ``date``,
``date_end``, ``date_precision``, ``date_qualifier``, ``date_earliest``, ``date_latest``) and when it was
said (``said_date``, ``said_precision``, ``said_earliest``, ``said_latest``; empty when the document says
it in its own voice, whose publication is then the statement). A report that gives its own as-of or
said time overrides the record's block as a whole.

The rules:

* a date has its precision and qualifier, a precision or qualifier has its date, an end follows its start
  at the same precision; a bound lies inside its date's interval ("bounds consistent with precision")
  and the earliest bound is not after the latest;
* nothing is dated after the publication of a document that reports it (compared day by day, so
  "2023-05-25" is not after a document of "2023-05"); only planned programme milestones
  (``FUTURE_EVENT_TYPES``) may refer to a later time;
* the as-of time is not after the statement: a figure or event cannot refer to a time after it was said,
  except a planned event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dashboard import dates
from dashboard.validate.problems import Collector
from dashboard.validate.references import RECORD_TABLES
from dashboard.validate.tables import Table

#: Events of this type may be dated after the documents that report them (plans, deliveries), when
#: their status is ``planned``.
FUTURE_EVENT_TYPES = frozenset({"programme_milestone"})
#: Event statuses whose as-of time may lie after the statement and the publication.
FUTURE_STATUSES = frozenset({"planned"})

#: The columns of the as-of block and of the said block.
AS_OF = ("date", "date_end", "date_precision", "date_qualifier", "date_earliest", "date_latest", "date_basis")
SAID = ("said_date", "said_precision", "said_earliest", "said_latest", "said_basis")


@dataclass(frozen=True)
class When:
    """A checked time: where it is written, and the first and last day it allows.

    ``parts`` maps the columns given (date, date_end, date_earliest, ...) to their parsed values, so that
    a rule can name the column at fault.
    """

    file: str
    row: int
    parts: dict[str, dates.PartialDate]
    first: date
    last: date

    def text(self) -> str:
        """The time as written: "2023-05", "2023-10-30 to 2023-11-30", "no later than 2023-05"."""
        p = self.parts
        main = "date" if "date" in p else "said_date" if "said_date" in p else ""
        if main:
            end = p.get("date_end")
            return f"{p[main].text}–{end.text}" if end else p[main].text
        lo = p.get("date_earliest") or p.get("said_earliest")
        hi = p.get("date_latest") or p.get("said_latest")
        if lo and hi:
            return f"{lo.text} to {hi.text}"
        return f"no earlier than {lo.text}" if lo else f"no later than {hi.text}"


def check_dates(tables: dict[str, Table], out: Collector) -> None:
    """Check every as-of and said time, then compare each with the statement and the publication."""
    as_of: dict[tuple[str, str], When | None] = {}
    said: dict[tuple[str, str], When | None] = {}
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for kind, name in RECORD_TABLES.items():
        for n, row in tables[name].rows if name in tables else []:
            key = (kind, row.get("id", ""))
            rows[key] = row
            as_of[key] = check_as_of(tables[name].file, n, row, out)
            said[key] = check_said(tables[name].file, n, row, out)
            if as_of[key] and said[key] and not _future(kind, row):
                _check_not_after_statement(as_of[key], said[key], out)
    reports = tables.get("reports")
    if reports is None:
        return
    documents = tables["documents"].by_id() if "documents" in tables else {}
    for n, row in reports.rows:
        own_as_of = check_as_of(reports.file, n, row, out, override=True)
        own_said = check_said(reports.file, n, row, out)
        key = (row.get("record_kind", ""), row.get("record_id", ""))
        record = rows.get(key, {})
        when = own_as_of if own_as_of is not None else as_of.get(key)
        spoken = own_said if own_said is not None else said.get(key)
        future = _future(key[0], record)
        if (own_as_of or own_said) and when and spoken and not future:
            _check_not_after_statement(when, spoken, out)
        doc = documents.get(row.get("document", ""))
        published = (
            _parse(doc[1].get("published", ""), doc[1].get("published_precision", "")) if doc else None
        )
        if published is None:
            continue
        context = (row.get("id", ""), doc[1].get("id", ""))
        if spoken is not None:
            _check_not_after(spoken, published, context, ("said_date", "said_earliest"), _SAID_LATER, out)
        if when is not None and not future:
            _check_not_after(
                when, published, context, ("date", "date_end", "date_earliest"), _why(record), out
            )


_SAID_LATER = "nothing can be said after the document that reports it"


def _why(record: dict[str, str]) -> str:
    """The end of the message for a time after its document: which records may be dated later."""
    if record.get("type") in FUTURE_EVENT_TYPES:
        return "a programme_milestone may be dated later only when its status is planned"
    return "only programme_milestone events may be dated later"


def _future(kind: str, record: dict[str, str]) -> bool:
    """A planned programme milestone: its as-of time lies ahead of the statement and the document."""
    return (
        kind == "event"
        and record.get("type") in FUTURE_EVENT_TYPES
        and record.get("status") in FUTURE_STATUSES
    )


def check_as_of(
    file: str, n: int, row: dict[str, str], out: Collector, override: bool = False
) -> When | None:
    """Check the as-of block of one row; return the time it allows when it is given and valid.

    A claim or event needs a date or a bound; a report's block is optional (``override``), and when it
    is given its basis is required too (the schema requires it of claims and events).
    """
    given = [c for c in ("date", "date_earliest", "date_latest") if row.get(c, "")]
    if not given:
        if not override and "date" in row:
            out.add(file, n, "date", "a date, or a date_earliest or date_latest bound, is required")
        for name in ("date_end", "date_precision", "date_qualifier", "date_basis"):
            if override and row.get(name, ""):
                out.add(file, n, name, "given without a date")
        return None
    if override and "date_basis" in row and not row["date_basis"]:
        out.add(file, n, "date_basis", "required when a date is given")
    return _check_block(
        file, n, row, ("date", "date_end", "date_precision", "date_earliest", "date_latest"), out
    )


def check_said(file: str, n: int, row: dict[str, str], out: Collector) -> When | None:
    """Check the said block of one row; return the time it allows, or None when none is given."""
    given = [c for c in ("said_date", "said_earliest", "said_latest") if row.get(c, "")]
    if not given:
        for name in ("said_precision", "said_basis"):
            if row.get(name, ""):
                out.add(file, n, name, "given without a said_date or bound")
        return None
    if "said_basis" in row and not row["said_basis"]:
        out.add(file, n, "said_basis", "required when a said_date or bound is given")
    return _check_block(
        file, n, row, ("said_date", "", "said_precision", "said_earliest", "said_latest"), out
    )


def _check_block(
    file: str, n: int, row: dict[str, str], columns: tuple[str, str, str, str, str], out: Collector
) -> When | None:
    """One time: date, end, precision, earliest and latest bound (named by ``columns``)."""
    main, end_name, precision_name, lo_name, hi_name = columns
    text, precision = row.get(main, ""), row.get(precision_name, "")
    parts: dict[str, dates.PartialDate] = {}
    if text:
        for name in (precision_name, "date_qualifier" if main == "date" else ""):
            if name and name in row and not row[name]:
                out.add(file, n, name, f"required when {'a date' if main == 'date' else main} is given")
        start = _parse_reported(
            file, n, main, text, precision if precision in dates.PRECISIONS else None, out
        )
        if start is not None:
            parts[main] = start
            end = row.get(end_name, "") if end_name else ""
            stop = _parse_reported(file, n, end_name, end, start.precision, out, same=True) if end else None
            if stop is not None and stop.first < start.first:
                out.add(file, n, end_name, f"{end} is before {main} {text}")
            elif stop is not None:
                parts[end_name] = stop
    else:
        for name in (end_name, precision_name, "date_qualifier" if main == "date" else ""):
            if name and row.get(name, ""):
                out.add(file, n, name, f"given without {'a date' if main == 'date' else main}")
    for name in (lo_name, hi_name):
        if row.get(name, ""):
            bound = _parse_reported(file, n, name, row[name], None, out)
            if bound is not None:
                parts[name] = bound
    if main in parts:
        first, last = parts[main].first, parts.get(end_name, parts[main]).last
        for name in (lo_name, hi_name):
            bound = parts.get(name)
            if bound is not None and not (first <= bound.first and bound.last <= last):
                covered = parts[main].text + (f"–{parts[end_name].text}" if end_name in parts else "")
                out.add(
                    file,
                    n,
                    name,
                    f"{bound.text} lies outside {main} {covered} ({parts[main].precision}): a bound narrows "
                    "the date and cannot contradict its precision",
                )
                return None
    lo, hi = parts.get(lo_name), parts.get(hi_name)
    if lo is not None and hi is not None and lo.first > hi.last:
        out.add(file, n, lo_name, f"{lo.text} is after {hi_name} {hi.text}")
        return None
    if not parts:
        return None
    first, last = dates.bounded_span(
        *(parts[c].text if c in parts else "" for c in (main, end_name, lo_name, hi_name))
    )
    return When(file, n, parts, first, last)


def _parse_reported(
    file: str,
    n: int,
    name: str,
    text: str,
    precision: str | None,
    out: Collector,
    same: bool = False,
) -> dates.PartialDate | None:
    """Parse one partial date, reporting why it cannot be (a malformed form was reported by the pattern)."""
    try:
        dates.precision_of(text)
    except ValueError:
        return None
    try:
        return dates.parse_partial(text, precision)
    except ValueError as exc:
        suffix = f" ({name} keeps the precision of {name.replace('_end', '')})" if same else ""
        out.add(file, n, name, f"{exc}{suffix}")
        return None


def _parse(text: str, precision: str) -> dates.PartialDate | None:
    try:
        return dates.parse_partial(text, precision or None)
    except ValueError:
        return None  # the documents table reports its own malformed dates


def _check_not_after(
    when: When,
    published: dates.PartialDate,
    context: tuple[str, str],
    columns: tuple[str, ...],
    why: str,
    out: Collector,
) -> None:
    """Report each of ``columns`` whose time begins after the last day ``published`` covers."""
    report, document = context
    for name in columns:
        value = when.parts.get(name)
        if value is not None and value.first > published.last:
            out.add(
                when.file,
                when.row,
                name,
                f"{value.text} is after the publication ({published.text}) of document {document}, "
                f"which reports it in {report}; {why}",
            )


def _check_not_after_statement(as_of: When, said: When, out: Collector) -> None:
    """The time a record refers to cannot begin after the last day it can have been said."""
    if as_of.first <= said.last:
        return
    name = next(c for c in ("date", "date_earliest") if c in as_of.parts)
    out.add(
        as_of.file,
        as_of.row,
        name,
        f"{as_of.parts[name].text} is after the statement ({said.text()}): a claim or event cannot refer to "
        "a time after it was said; only a planned programme_milestone may",
    )
