"""Partial ISO 8601 dates ("2023", "2023-05", "2024-W23", "2023-05-25"), each standing for its interval.

A date is never made more precise than its source: "2023-05" covers 1 to 31 May 2023 and no day is
invented. "2024-W23" is an ISO 8601 week (Monday 3 to Sunday 9 June 2024), for a source that places a
time in a week but not on a day. Only these four forms are accepted; "May 2023", "2023-5",
"2023-02-30" and "2024-W54" are errors.

Where a source only bounds a time ("previously", "earlier this week" in an article whose day is not
known), the data keeps an earliest and a latest bound, each a partial date: :func:`bounded_span` turns
them into the days they allow.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

#: Precisions from coarsest to finest. A week is finer than a month, though it may straddle two.
PRECISIONS: tuple[str, ...] = ("year", "month", "week", "day")

_FORMS: dict[str, re.Pattern[str]] = {
    "year": re.compile(r"(\d{4})"),
    "month": re.compile(r"(\d{4})-(\d{2})"),
    "week": re.compile(r"(\d{4})-W(\d{2})"),
    "day": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
}

#: The pattern of a partial date in the data package (a full match of one of the forms above).
PATTERN = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?|-W[0-9]{2})?"


@dataclass(frozen=True)
class PartialDate:
    """A date truncated to its precision, with the first and last day it covers."""

    text: str
    precision: str
    first: date
    last: date

    def __str__(self) -> str:
        return self.text


def precision_of(text: str) -> str:
    """Return the precision that the form of ``text`` implies; raise ValueError if it has none."""
    for precision, pattern in _FORMS.items():
        if pattern.fullmatch(text):
            return precision
    raise ValueError(f"{text!r} is not an ISO 8601 date of the form YYYY, YYYY-MM, YYYY-Www or YYYY-MM-DD")


def parse_partial(text: str, precision: str | None = None) -> PartialDate:
    """Parse ``text`` into the interval it covers.

    ``precision`` ("year", "month", "week" or "day"), when given, must match the form of the string: a
    "day" precision with "2023-05" is an error, because the day is not known.
    """
    if precision is not None and precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r} (expected one of {', '.join(PRECISIONS)})")
    form = precision_of(text)
    if precision is not None and form != precision:
        raise ValueError(f"{text!r} has {form} precision, not {precision}")
    parts = [int(p) for p in _FORMS[form].fullmatch(text).groups()]
    year = parts[0]
    if year < 1:
        raise ValueError(f"{text!r}: year 0000 does not exist")
    if form == "year":
        return PartialDate(text, form, date(year, 1, 1), date(year, 12, 31))
    if form == "week":
        return _week(text, year, parts[1])
    month = parts[1]
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month:02d} does not exist")
    last_day = calendar.monthrange(year, month)[1]
    if form == "month":
        return PartialDate(text, form, date(year, month, 1), date(year, month, last_day))
    day = parts[2]
    if not 1 <= day <= last_day:
        raise ValueError(f"{text!r}: day {day:02d} does not exist in {year}-{month:02d}")
    return PartialDate(text, form, date(year, month, day), date(year, month, day))


def _week(text: str, year: int, week: int) -> PartialDate:
    """An ISO week: Monday to Sunday; years have 52 or 53 weeks."""
    weeks = date(year, 12, 28).isocalendar()[1]  # 28 December always lies in the year's last week
    if not 1 <= week <= weeks:
        raise ValueError(f"{text!r}: week {week:02d} does not exist in {year} (it has {weeks} weeks)")
    monday = date.fromisocalendar(year, week, 1)
    return PartialDate(text, "week", monday, monday + timedelta(days=6))


def week_of(value: date) -> str:
    """The ISO week a day lies in, as text: 3 June 2024 -> "2024-W23"."""
    year, week, _ = value.isocalendar()
    return f"{year}-W{week:02d}"


def truncate(value: date | str, precision: str) -> str:
    """Truncate a date (or an ISO date string at least as precise) to ``precision``.

    Truncating to a finer precision than the value has is an error: it would invent a month or day. A
    week truncates to a month or year only when it lies wholly inside one (a week straddling two
    months belongs to neither).
    """
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}")
    if isinstance(value, date):
        parsed = parse_partial(value.isoformat())
    else:
        parsed = parse_partial(value)  # rejects impossible months, weeks and days
        if PRECISIONS.index(parsed.precision) < PRECISIONS.index(precision):
            raise ValueError(f"cannot make {value!r} more precise ({precision}) than it is")
    if precision == parsed.precision:
        return parsed.text
    if precision == "week":
        return week_of(parsed.first)
    cut = {"year": 4, "month": 7}[precision]
    first, last = parsed.first.isoformat()[:cut], parsed.last.isoformat()[:cut]
    if first != last:
        raise ValueError(f"{parsed.text!r} straddles {first} and {last}: it has no single {precision}")
    return first


def coarser(a: str, b: str) -> str:
    """Return the coarser of two precisions."""
    return a if PRECISIONS.index(a) <= PRECISIONS.index(b) else b


def overlaps(a_first: date, a_last: date, b_first: date, b_last: date) -> bool:
    """True when the closed intervals [a_first, a_last] and [b_first, b_last] share at least one day."""
    return a_first <= b_last and b_first <= a_last


def span(start: str, end: str | None = None) -> tuple[date, date]:
    """The days covered from partial date ``start`` to partial date ``end`` (or ``start`` alone)."""
    first = parse_partial(start).first
    last = parse_partial(end).last if end else parse_partial(start).last
    return first, last


def bounded_span(text: str = "", end: str = "", earliest: str = "", latest: str = "") -> tuple[date, date]:
    """The days a time may fall on: its date (and end) narrowed by its earliest and latest bounds.

    Any part may be empty; a side nothing bounds is open (``date.min`` or ``date.max``). An earliest
    bound "2024-02-26" allows 26 February onwards; a latest bound "2023-05" allows up to 31 May.
    """
    first, last = date.min, date.max
    if text:
        first, last = span(text, end or None)
    if earliest:
        first = max(first, parse_partial(earliest).first)
    if latest:
        last = min(last, parse_partial(latest).last)
    return first, last
