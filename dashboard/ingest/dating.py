"""Find the dates a sentence gives and resolve them against the publication date, never inventing a day.

Each expression resolves to an ISO date truncated to what the words say (year, month or day), a
qualifier in the schema's terms and a basis quoting the words: "In February" in an article of November
2023 -> 2023-02 (month, on); "in October" in an article of August 2025 that speaks of what is coming ->
2025-10; "Last year" -> 2022 (year, on); "Thursday, May 25" in an article of May 2023 -> 2023-05-25
(day), after checking that 25 May 2023 was a Thursday; "on the night of July 4-5" -> 4 July (day, the
first day, said in the basis); "from 11 to 16 November" -> a span of days; "2026-2027", "between 2021
and 2024" -> a span of years; "until 2042" -> from the publication year to 2042; "since 2015" -> from
2015 to the publication year. Weekdays, "two days ago", "the following day", "last week" and the like
are ``relative_dates``'s. Nothing here guesses a day the text does not give.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date

from dashboard.ingest import relative_dates
from dashboard.ingest.tense import is_speech_date, speaks_of_future
from dashboard.ingest.when import MONTHS, WEEKDAYS, DateMention, Published, valid_day

__all__ = ["MONTHS", "WEEKDAYS", "DateMention", "Published", "find_dates"]

_MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_MONTH = rf"(?P<month>{_MONTH_NAMES})\.?"
_WEEKDAY_NAMES = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WEEKDAY = rf"(?:(?P<weekday>{_WEEKDAY_NAMES}),?\s+(?:the\s+)?)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TO = r"\s*(?:-|–|—|to|and|into)\s*"
_SPAN_START = r"(?:the\s+(?:end|beginning|start|middle)\s+of\s+)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "night_span",
        re.compile(
            rf"\b(?:on\s+|during\s+|in\s+)?the\s+night\s+of\s+(?:"
            rf"(?P<wd1>{_WEEKDAY_NAMES}){_TO}(?:{_WEEKDAY_NAMES})|"
            rf"(?P<m1>{_MONTH_NAMES})\.?\s+(?P<d1>[0-3]?\d){_TO}(?:[0-3]?\d)|"
            rf"(?P<d2>[0-3]?\d){_TO}(?:[0-3]?\d)\s+(?:of\s+)?(?P<m2>{_MONTH_NAMES})\.?)"
            rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?",
            re.IGNORECASE,
        ),
    ),
    (
        "day_range",
        re.compile(
            rf"\b(?:from\s+|between\s+)?(?:"
            rf"(?P<d1>[0-3]?\d){_TO}(?P<d2>[0-3]?\d)\s+(?:of\s+)?(?P<m1>{_MONTH_NAMES})|"
            rf"(?P<m2>{_MONTH_NAMES})\.?\s+(?P<d3>[0-3]?\d){_TO}(?P<d4>[0-3]?\d)\b)"
            rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?"
        ),
    ),
    ("mdy", re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}(?:,\s*|\s+){_YEAR}\b")),
    ("dmy", re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b")),
    (
        "md",
        re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}\b(?!,?\s*(?:19|20)\d\d)(?!\s*(?:km|%|fighters|members))"),
    ),
    ("dm", re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!,?\s+(?:19|20)\d\d)")),
    (
        "month_relyear",
        re.compile(
            rf"\b{_MONTH}\s+(?:of\s+)?(?P<rel>last|this|next|the previous|the following)\s+year\b",
            re.IGNORECASE,
        ),
    ),
    ("my", re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b")),
    (
        "year_span",
        re.compile(
            r"\b(?:between\s+(?P<b1>(?:19|20)\d\d)\s+and\s+(?P<b2>(?:19|20)\d\d)|"
            r"(?P<y1>(?:19|20)\d\d)\s*(?:-|–|—|to|until)\s*(?P<y2>(?:19|20)\d\d))\b"
        ),
    ),
    ("until", re.compile(rf"\b(?:[Uu]ntil|[Tt]ill|[Tt]hrough|[Uu]p to)\s+{_SPAN_START}{_YEAR}\b")),
    ("since", re.compile(rf"\b[Ss]ince\s+{_SPAN_START}{_YEAR}\b")),
    (
        "m",
        re.compile(
            rf"\b(?P<prep>[Ii]n|[Ss]ince|[Bb]y|[Ll]ate|[Ee]arly|[Mm]id-?|[Ll]ast|[Nn]ext|[Tt]his|[Uu]ntil|"
            rf"[Ff]rom|[Dd]uring|[Ee]nd of|[Bb]eginning of|[Ss]tart of)\s+(?:late\s+|early\s+|mid-?)?{_MONTH}"
            rf"(?!\s+(?:[0-3]?\d\b|(?:19|20)\d\d))"
        ),
    ),
    (
        "y",
        re.compile(
            rf"\b(?P<prep>[Ii]n|[Bb]y|[Ff]rom|[Oo]f|[Ff]or|[Dd]uring|[Ee]arly|[Ll]ate|[Ss]ummer|[Ww]inter|"
            rf"[Ss]pring|[Aa]utumn)\s+(?:the\s+(?:year\s+)?|{_SPAN_START}){_YEAR}\b"
        ),
    ),
    (
        "ago",
        re.compile(
            r"\b(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+"
            r"(?P<unit>day|week|month|year)s?\s+ago\b",
            re.IGNORECASE,
        ),
    ),
    (
        "relative_day",
        re.compile(
            r"\b(?:the\s+)?(?P<which>following|next|previous|preceding)\s+day\b|"
            r"\b(?:the\s+)?day\s+(?P<ba>before|after)\b(?!\s+(?:yesterday|tomorrow))|"
            r"\b(?P<n>a|one|two|three|four|five|six|seven|\d+)\s+days?\s+(?P<dir>later|earlier|before|after)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>(?:over|in|during) the (?:past|last) (?:year|twelve months|12 months)|"
            r"since the (?:beginning|start) of (?:the|this) year|(?:months|half|quarter) of the year|"
            r"(?:by )?the end of the year|last year|this year|next year|the previous year|the past year|"
            r"later this year|last month|this month|earlier this month|later this month|earlier this year|"
            r"next month|last week|earlier this week|this week|next week|"
            r"as of today|at the moment|at present|currently|now|"
            r"recently|yesterday|today|previously|earlier this (?:spring|summer|autumn|winter))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<rel>next|last|this|coming|this coming)\s+|(?:late\s+|early\s+)?on\s+)?"
            rf"(?P<weekday>{_WEEKDAY_NAMES})\b(?!,?\s+(?:the\s+)?(?:[0-3]?\d|{_MONTH_NAMES})\b)",
            re.IGNORECASE,
        ),
    ),
]


def find_dates(sentence: str, published: Published, anchor: DateMention | None = None) -> list[DateMention]:
    """Every date expression of ``sentence`` resolved against ``published``, in order, not overlapping.

    ``anchor`` is the last day the article told before this sentence: "the following day" counts from
    it when the sentence itself names no day before.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            mention = _resolve(kind, m, published, sentence)
            if mention is not None:
                speech = is_speech_date(sentence, m.start())
                found.append(replace(mention, kind=mention.kind or kind, speech=speech))
                taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    resolved: list[DateMention] = []
    for mention in found:
        if mention.kind == "relative_day":
            days = [d for d in resolved if d.precision == "day" and not d.speech]
            mention = relative_dates.anchor_days(mention, days[-1] if days else anchor, published)
        resolved.append(mention)
    return resolved


def _month(m: re.Match[str], group: str = "month") -> int:
    return MONTHS[m.group(group).lower().rstrip(".")]


def _resolve(kind: str, m: re.Match[str], pub: Published, sentence: str) -> DateMention | None:
    words = m.group(0)
    basis = f'"{words.strip()}" in {pub.describe()}'
    if kind in ("mdy", "dmy"):
        return _day(m, int(m.group("year")), _month(m), int(m.group("day")), basis, explicit_year=True)
    if kind in ("md", "dm"):
        month, day = _month(m), int(m.group("day"))
        return _day(m, _year_of(pub, month, day, sentence, m), month, day, basis, explicit_year=False)
    if kind == "night_span":
        return _night(m, pub, basis, sentence)
    if kind == "day_range":
        return _day_range(m, pub, basis, sentence)
    if kind == "my":
        return _mention(m, f"{m.group('year')}-{_month(m):02d}", "", "month", "on", basis)
    if kind == "month_relyear":
        shift = {"last": -1, "the previous": -1, "this": 0, "next": 1, "the following": 1}
        year = pub.year + shift[" ".join(m.group("rel").lower().split())]
        return _mention(m, f"{year}-{_month(m):02d}", "", "month", "on", basis)
    if kind == "year_span":
        y1, y2 = m.group("y1") or m.group("b1"), m.group("y2") or m.group("b2")
        return _mention(m, y1, y2, "year", "on", basis) if int(y2) > int(y1) else None
    if kind in ("until", "since"):
        return _open_span(kind, m, pub, basis)
    if kind == "m":
        return _month_alone(m, pub, basis, sentence)
    if kind == "y":
        return _mention(m, m.group("year"), "", "year", "on", basis)
    if kind == "relative":
        return relative_dates.relative(m, pub, basis)
    if kind == "ago":
        return relative_dates.ago(m, pub, basis)
    if kind == "relative_day":
        return relative_dates.relative_day(m, pub, basis)
    if kind == "weekday":
        return relative_dates.weekday(m, pub, basis, sentence)
    return None


def _mention(
    m: re.Match[str], value: str, end: str, precision: str, qualifier: str, basis: str, problem: str = ""
) -> DateMention:
    return DateMention(m.start(), m.end(), m.group(0), value, end, precision, qualifier, basis, problem)


def _year_of(pub: Published, month: int, day: int, sentence: str, m: re.Match[str]) -> int:
    """The year of a day named without one: the latest not after publication, or the next one when the
    sentence speaks of it as coming."""
    last = (pub.last.month, pub.last.day)
    if (month, day) <= last:
        return pub.year
    return pub.year if speaks_of_future(sentence, m.start(), m.end()) else pub.year - 1


def _month_alone(m: re.Match[str], pub: Published, basis: str, sentence: str) -> DateMention | None:
    """A month named without a year: past or coming by the words around it."""
    prep = m.group("prep").lower()
    if m.group("month").lower() == "may" and prep not in ("in", "last", "next", "this"):
        return None  # "by May" is too often the verb
    month = _month(m)
    if pub.precision == "year":
        return _mention(
            m,
            str(pub.year),
            "",
            "year",
            "about",
            basis,
            "month named without a year in an article dated only by year",
        )
    here = pub.first.month
    if prep == "last":
        year = pub.year if month < here else pub.year - 1
    elif prep == "next":
        year = pub.year if month > here else pub.year + 1
    elif month == here:
        year = pub.year
    elif speaks_of_future(sentence, m.start(), m.end()):
        year = pub.year if month > here else pub.year + 1
    else:
        year = pub.year if month < here else pub.year - 1
    return _mention(m, f"{year}-{month:02d}", "", "month", "on", basis)


def _open_span(kind: str, m: re.Match[str], pub: Published, basis: str) -> DateMention:
    """ "until 2042": from the publication year to 2042; "since 2015": from 2015 to the publication year."""
    year = int(m.group("year"))
    if kind == "until":
        if year > pub.year:
            return _mention(m, str(pub.year), str(year), "year", "on", basis)
        return _mention(m, str(year), "", "year", "before", basis)
    if year < pub.year:
        return _mention(m, str(year), str(pub.year), "year", "on", basis)
    return _mention(m, str(year), "", "year", "on", basis)


def _night(m: re.Match[str], pub: Published, basis: str, sentence: str) -> DateMention | None:
    """ "on the night of July 4-5": the first day, the basis saying so; weekdays as ``relative_dates``."""
    if m.group("wd1"):
        first = relative_dates.weekday(re.match(r"(?P<rel>)(?P<weekday>\w+)", m.group("wd1")), pub, basis, "")
        return replace(
            first,
            start=m.start(),
            end=m.end(),
            text=m.group(0),
            basis=f"{basis}; dated to the first day of the night",
        )
    month = _month(m, "m1" if m.group("m1") else "m2")
    day = int(m.group("d1") or m.group("d2"))
    year = int(m.group("y")) if m.group("y") else _year_of(pub, month, day, sentence, m)
    if not valid_day(year, month, day):
        return None
    note = f"{basis}; a night across two days, dated to the first"
    return _mention(m, date(year, month, day).isoformat(), "", "day", "on", note)


def _day_range(m: re.Match[str], pub: Published, basis: str, sentence: str) -> DateMention | None:
    """ "from 11 to 16 November", "November 11-16": a span of days."""
    month = _month(m, "m1" if m.group("m1") else "m2")
    d1 = int(m.group("d1") or m.group("d3"))
    d2 = int(m.group("d2") or m.group("d4"))
    year = int(m.group("y")) if m.group("y") else _year_of(pub, month, d1, sentence, m)
    if d2 <= d1 or not (valid_day(year, month, d1) and valid_day(year, month, d2)):
        return None
    return _mention(
        m, date(year, month, d1).isoformat(), date(year, month, d2).isoformat(), "day", "on", basis
    )


def _day(
    m: re.Match[str], year: int, month: int, day: int, basis: str, explicit_year: bool
) -> DateMention | None:
    if not valid_day(year, month, day):
        return None
    when = date(year, month, day)
    weekday = m.group("weekday")
    problem = ""
    if weekday:
        wanted = WEEKDAYS[weekday.lower()]
        earlier_fits = valid_day(year - 1, month, day) and date(year - 1, month, day).weekday() == wanted
        if when.weekday() == wanted:
            basis += f"; {when.day} {calendar.month_name[month]} {year} was a {weekday}"
        elif not explicit_year and earlier_fits:
            when = date(year - 1, month, day)
            problem = f"{weekday} fits {when.isoformat()}, a year before the publication year"
            basis += f"; {when.day} {calendar.month_name[month]} {when.year} was a {weekday}"
        else:
            problem = f"{when.isoformat()} was a {calendar.day_name[when.weekday()]}, not a {weekday}"
    return DateMention(m.start(), m.end(), m.group(0), when.isoformat(), "", "day", "on", basis, problem)
