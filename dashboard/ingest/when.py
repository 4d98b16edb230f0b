"""What dating works with: the publication date an article is read against, and a resolved date mention.

Shared by ``dating`` (explicit dates, and finding every date expression of a sentence) and
``relative_dates`` (weekdays, "two days ago", "the following day", "last week" and the like).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.dates import parse_partial

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}


@dataclass(frozen=True)
class Published:
    """The publication date of the article, as precise as it is known."""

    text: str  # "2023-11" or "2023-05-25"
    precision: str
    first: date
    last: date

    @classmethod
    def parse(cls, text: str) -> Published:
        """Read an ISO date truncated to its precision ("2024", "2024-03", "2024-03-14")."""
        pd_ = parse_partial(text.strip())
        return cls(pd_.text, pd_.precision, pd_.first, pd_.last)

    @property
    def year(self) -> int:
        """The year of publication."""
        return self.first.year

    @property
    def month(self) -> str:
        """The month of publication ("2024-03"), or "" when only the year is known."""
        return self.text[:7] if self.precision != "year" else ""

    def describe(self) -> str:
        """ "an article of November 2023" and the like, for the date basis."""
        if self.precision == "year":
            return f"an article of {self.year}"
        if self.precision == "month":
            return f"an article of {calendar.month_name[self.first.month]} {self.year}"
        return f"an article of {self.first.day} {calendar.month_name[self.first.month]} {self.year}"


@dataclass(frozen=True)
class DateMention:
    """A date expression in a sentence (offsets relative to it) and what it resolves to.

    ``kind`` names the form of the expression (``weekday``, ``night_span``, ``since``…); ``speech``
    says it dates a verb of saying ("told TASS on Monday"), so it starts no event and anchors no
    "following day"; ``present`` marks "now", "currently" and the like.
    """

    start: int
    end: int
    text: str
    date: str
    date_end: str
    precision: str
    qualifier: str
    basis: str
    problem: str = ""  # why a reviewer must look (weekday disagrees, relative day unknown...)
    vague: bool = False  # "recently", "earlier this week": a date only if nothing better is said
    kind: str = ""
    speech: bool = False
    present: bool = False


def shift_month(first: date, months: int) -> str:
    """The month ``months`` after (or before) the month of ``first``, as "YYYY-MM"."""
    index = first.year * 12 + first.month - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


def valid_day(year: int, month: int, day: int) -> bool:
    """Whether the day exists in the calendar."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def week_month(monday: date) -> str:
    """The month a week belongs to: the month of its Thursday (as ISO 8601 weeks count them)."""
    return (monday + timedelta(days=3)).isoformat()[:7]
