"""Partial ISO 8601 dates: "2023", "2023-05", "2023-05-25", each standing for the interval it covers.

A date is never made more precise than its source: "2023-05" covers 1 to 31 May 2023 and no day is
invented. Only these three forms are accepted; "May 2023", "2023-5" and "2023-02-30" are errors.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

#: Precisions from coarsest to finest.
PRECISIONS: tuple[str, ...] = ("year", "month", "day")

_FORMS: dict[str, re.Pattern[str]] = {
    "year": re.compile(r"(\d{4})"),
    "month": re.compile(r"(\d{4})-(\d{2})"),
    "day": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
}


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
    raise ValueError(f"{text!r} is not an ISO 8601 date of the form YYYY, YYYY-MM or YYYY-MM-DD")


def parse_partial(text: str, precision: str | None = None) -> PartialDate:
    """Parse ``text`` into the interval it covers.

    ``precision`` ("year", "month" or "day"), when given, must match the form of the string: a "day"
    precision with "2023-05" is an error, because the day is not known.
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


def truncate(value: date | str, precision: str) -> str:
    """Truncate a date (or an ISO date string at least as precise) to ``precision``.

    Truncating to a finer precision than the value has is an error: it would invent a month or day.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}")
    if isinstance(value, date):
        text = value.isoformat()
    else:
        text = value
        if PRECISIONS.index(precision_of(text)) < PRECISIONS.index(precision):
            raise ValueError(f"cannot make {text!r} more precise ({precision}) than it is")
        parse_partial(text)  # rejects impossible months and days
    return text[: {"year": 4, "month": 7, "day": 10}[precision]]


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
