"""Find the dates a sentence gives and resolve them against the publication date, never inventing a day.

Each expression resolves to an ISO date truncated to what the words say (year, month or day), a
qualifier in the schema's terms and a basis quoting the words: "In February" in an article of November
2023 -> 2023-02 (month, on); "Last year" -> 2022 (year, on); "Thursday, May 25" in an article of May
2023 -> 2023-05-25 (day), after checking that 25 May 2023 was a Thursday; "earlier this week" -> the
publication month (about); "recently" -> the publication month (as_of); "previously" -> the
publication month (before). Nothing here guesses a day the text does not give.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.dates import parse_partial

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?:the\s+)?)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("mdy", re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}(?:,\s*|\s+){_YEAR}\b")),
    ("dmy", re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b")),
    (
        "md",
        re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}\b(?!,?\s*(?:19|20)\d\d)(?!\s*(?:km|%|fighters|members))"),
    ),
    ("dm", re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!,?\s+(?:19|20)\d\d)")),
    ("my", re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b")),
    ("year_span", re.compile(r"\b(?P<y1>(?:19|20)\d\d)\s*(?:-|–|—|to|until)\s*(?P<y2>(?:19|20)\d\d)\b")),
    (
        "m",
        re.compile(
            rf"\b(?P<prep>[Ii]n|[Ss]ince|[Bb]y|[Ll]ate|[Ee]arly|[Mm]id-?)\s+(?:late\s+|early\s+)?{_MONTH}"
            rf"(?!\s+(?:[0-3]?\d\b|(?:19|20)\d\d))"
        ),
    ),
    (
        "y",
        re.compile(
            rf"\b(?P<prep>[Ii]n|[Ss]ince|[Bb]y|[Ff]rom|[Uu]ntil|[Oo]f|[Ff]or|[Dd]uring|[Ee]arly|[Ll]ate)\s+"
            rf"(?:the\s+(?:year\s+)?)?{_YEAR}\b"
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>last year|this year|next year|the previous year|the past year|last month|this month|"
            r"earlier this month|earlier this year|next month|last week|earlier this week|this week|"
            r"as of today|at the moment|at present|currently|"
            r"recently|yesterday|today|previously|earlier this (?:spring|summer|autumn|winter)|"
            r"(?P<n>two|three|four|five|\d+) years? ago)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:on|last|this)\s+(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
            r"Sunday)\b(?!,?\s+(?:the\s+)?(?:[0-3]?\d|January|February|March|April|May|June|July|"
            r"August|September|October|November|December))"
        ),
    ),
]
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5}


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

    def describe(self) -> str:
        """ "an article of November 2023" and the like, for the date basis."""
        if self.precision == "year":
            return f"an article of {self.year}"
        if self.precision == "month":
            return f"an article of {calendar.month_name[self.first.month]} {self.year}"
        return f"an article of {self.first.day} {calendar.month_name[self.first.month]} {self.year}"


@dataclass(frozen=True)
class DateMention:
    """A date expression in a sentence (offsets relative to it) and what it resolves to."""

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


def find_dates(sentence: str, published: Published) -> list[DateMention]:
    """Every date expression of ``sentence`` resolved against ``published``, in order, not overlapping."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            mention = _resolve(kind, m, published)
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def _month(m: re.Match[str]) -> int:
    return MONTHS[m.group("month").lower().rstrip(".")]


def _resolve(kind: str, m: re.Match[str], pub: Published) -> DateMention | None:
    words = m.group(0)
    basis = f'"{words.strip()}" in {pub.describe()}'
    if kind in ("mdy", "dmy"):
        return _day(m, int(m.group("year")), _month(m), int(m.group("day")), basis, explicit_year=True)
    if kind in ("md", "dm"):
        month, day = _month(m), int(m.group("day"))
        # the most recent such day not after publication (as far as the publication date is known)
        year = pub.year if (month, day) <= (pub.last.month, pub.last.day) else pub.year - 1
        return _day(m, year, month, day, basis, explicit_year=False)
    if kind == "my":
        month = _month(m)
        return DateMention(
            m.start(), m.end(), words, f"{m.group('year')}-{month:02d}", "", "month", "on", basis
        )
    if kind == "year_span":
        y1, y2 = m.group("y1"), m.group("y2")
        if int(y2) <= int(y1):
            return None
        return DateMention(m.start(), m.end(), words, y1, y2, "year", "on", basis)
    if kind == "m":
        if m.group("month").lower() == "may" and m.group("prep").lower() != "in":
            return None  # "by May" is too often the verb
        month = _month(m)
        if pub.precision == "year":
            return DateMention(
                m.start(),
                m.end(),
                words,
                str(pub.year),
                "",
                "year",
                "about",
                basis,
                problem="month named without a year in an article dated only by year",
            )
        year = pub.year if month <= pub.last.month else pub.year - 1
        return DateMention(m.start(), m.end(), words, f"{year}-{month:02d}", "", "month", "on", basis)
    if kind == "y":
        return DateMention(m.start(), m.end(), words, m.group("year"), "", "year", "on", basis)
    if kind == "relative":
        return _relative(m, pub, basis)
    if kind == "weekday":
        return _weekday(m, pub, basis)
    return None


def _day(
    m: re.Match[str], year: int, month: int, day: int, basis: str, explicit_year: bool
) -> DateMention | None:
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    weekday = m.group("weekday")
    problem = ""
    if weekday:
        wanted = WEEKDAYS[weekday.lower()]
        if when.weekday() == wanted:
            basis += f"; {when.day} {calendar.month_name[month]} {year} was a {weekday}"
        elif (
            not explicit_year and date(year - 1, month, day).weekday() == wanted
            if _valid(year - 1, month, day)
            else False
        ):
            when = date(year - 1, month, day)
            problem = f"{weekday} fits {when.isoformat()}, a year before the publication year"
            basis += f"; {when.day} {calendar.month_name[month]} {when.year} was a {weekday}"
        else:
            problem = f"{when.isoformat()} was a {calendar.day_name[when.weekday()]}, not a {weekday}"
    return DateMention(m.start(), m.end(), m.group(0), when.isoformat(), "", "day", "on", basis, problem)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _shift_month(first: date, months: int) -> str:
    index = first.year * 12 + first.month - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


def _relative(m: re.Match[str], pub: Published, basis: str) -> DateMention | None:
    rel = m.group("rel").lower()
    start, end, words = m.start(), m.end(), m.group(0)
    month = pub.text[:7] if pub.precision != "year" else ""

    def at(value: str, precision: str, qualifier: str, problem: str = "", vague: bool = False) -> DateMention:
        return DateMention(start, end, words, value, "", precision, qualifier, basis, problem, vague)

    if rel in ("last year", "the previous year", "the past year"):
        return at(str(pub.year - 1), "year", "on")
    if rel in ("this year", "earlier this year"):
        return at(str(pub.year), "year", "on")
    if rel == "next year":
        return at(str(pub.year + 1), "year", "on")
    if m.group("n"):
        n = m.group("n").lower()
        years = _NUMBER_WORDS.get(n) or int(n)
        return at(str(pub.year - years), "year", "about")
    if not month:  # everything below needs at least the month of publication
        return at(str(pub.year), "year", "about", "the article is dated only by year", vague=True)
    if rel == "last month":
        return at(_shift_month(pub.first, -1), "month", "on")
    if rel == "next month":
        return at(_shift_month(pub.first, 1), "month", "on")
    if rel in ("this month", "earlier this month") or rel.startswith("earlier this "):
        return at(month, "month", "on" if "month" in rel else "about")
    if rel in ("last week", "earlier this week", "this week"):
        if pub.precision == "day":
            # the week is known, the day is not: keep the month, flag when the week straddles two months
            lo = pub.first - timedelta(days=pub.first.weekday() + (7 if rel == "last week" else 0))
            problem = "" if lo.month == pub.first.month else "the week may lie in the previous month"
            return at(month, "month", "about", problem)
        return at(month, "month", "about")
    if rel in ("yesterday", "today"):
        if pub.precision == "day":
            day = pub.first - timedelta(days=1 if rel == "yesterday" else 0)
            return at(day.isoformat(), "day", "on")
        return at(month, "month", "about", f'"{rel}" in an article whose day of publication is not known')
    if rel in ("as of today", "at the moment", "at present", "currently"):
        return at(month, "month", "as_of", vague=True)
    if rel == "recently":
        return at(month, "month", "as_of", vague=True)
    if rel == "previously":
        return at(month, "month", "before", vague=True)
    return None


def _weekday(m: re.Match[str], pub: Published, basis: str) -> DateMention:
    weekday = m.group("weekday")
    if pub.precision == "day":
        back = (pub.first.weekday() - WEEKDAYS[weekday.lower()]) % 7
        when = pub.first - timedelta(days=back)
        basis += f"; the {weekday} on or before publication"
        return DateMention(m.start(), m.end(), m.group(0), when.isoformat(), "", "day", "on", basis)
    month = pub.text[:7] if pub.precision == "month" else str(pub.year)
    precision = "month" if pub.precision == "month" else "year"
    return DateMention(
        m.start(),
        m.end(),
        m.group(0),
        month,
        "",
        precision,
        "about",
        basis,
        problem=f'"{m.group(0)}" cannot be placed: the day of publication is not known',
    )
