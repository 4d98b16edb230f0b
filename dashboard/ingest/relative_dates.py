"""Dates the text gives relative to the publication or to a date just told, resolved without inventing.

- weekdays: the most recent such day on or before publication; "next Monday" (or a weekday after a
  future verb: "will resume on Tuesday") the first one after; a day only when the publication day is
  known, else the publication month, flagged;
- "N days ago" -> that day; "N weeks ago" -> the month of that day (about); "N months/years ago";
- "the following day", "the previous day", "two days later" -> a day from the last day told before
  (in the sentence, else earlier in the article), else from the publication day, flagged;
- "last week", "next week" -> the month of that week's Thursday (about);
- "over the past year", "now", "currently" -> as of publication; "last/this/next month/year" ...
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from dashboard.ingest.figures import SMALL_NUMBERS
from dashboard.ingest.tense import future_before
from dashboard.ingest.when import WEEKDAYS, DateMention, Published, shift_month, week_month

_COUNTS = {"a": 1, "an": 1, **SMALL_NUMBERS}


def count(word: str) -> int:
    """ "two" -> 2, "14" -> 14."""
    word = word.lower()
    return _COUNTS[word] if word in _COUNTS else int(word)


def _at(m: re.Match[str], basis: str, kind: str):
    start, end, words = m.start(), m.end(), m.group(0)

    def make(value: str, precision: str, qualifier: str, problem: str = "", **flags) -> DateMention:
        return DateMention(
            start,
            end,
            words,
            value,
            flags.pop("date_end", ""),
            precision,
            qualifier,
            basis,
            problem,
            kind=kind,
            **flags,
        )

    return make


def relative(m: re.Match[str], pub: Published, basis: str) -> DateMention | None:
    """ "last year", "next month", "last week", "yesterday", "recently", "now" and the like."""
    rel = " ".join(m.group("rel").lower().split())
    at = _at(m, basis, "relative")
    month = pub.month
    if rel.startswith(("over the", "in the past", "in the last", "during the")) or rel in (
        "as of today",
        "at the moment",
        "at present",
        "currently",
        "now",
    ):
        return at(pub.text, pub.precision, "as_of", vague=True, present=True)
    if rel in ("last year", "the previous year", "the past year"):
        return at(str(pub.year - 1), "year", "on")
    if (
        rel in ("this year", "earlier this year", "later this year")
        or "of the year" in rel
        or rel.endswith("end of the year")
    ):
        return at(str(pub.year), "year", "on")
    if rel == "next year":
        return at(str(pub.year + 1), "year", "on")
    if not month:  # everything below needs at least the month of publication
        return at(str(pub.year), "year", "about", "the article is dated only by year", vague=True)
    if rel == "last month":
        return at(shift_month(pub.first, -1), "month", "on")
    if rel == "next month":
        return at(shift_month(pub.first, 1), "month", "on")
    if rel in ("this month", "earlier this month", "later this month") or rel.startswith("earlier this "):
        return at(month, "month", "on" if "month" in rel else "about")
    if rel in ("last week", "next week"):
        if pub.precision != "day":
            return at(month, "month", "about", f'"{rel}" in an article whose day is not known')
        monday = (
            pub.first - timedelta(days=pub.first.weekday()) + timedelta(days=7 if rel == "next week" else -7)
        )
        return at(week_month(monday), "month", "about")
    if rel in ("earlier this week", "this week"):
        if pub.precision == "day":
            monday = pub.first - timedelta(days=pub.first.weekday())
            problem = "" if monday.month == pub.first.month else "the week may lie in the previous month"
            return at(month, "month", "about", problem)
        return at(month, "month", "about")
    if rel in ("yesterday", "today"):
        if pub.precision == "day":
            day = pub.first - timedelta(days=1 if rel == "yesterday" else 0)
            return at(day.isoformat(), "day", "on")
        return at(month, "month", "about", f'"{rel}" in an article whose day of publication is not known')
    if rel == "recently":
        return at(month, "month", "as_of", vague=True)
    if rel == "previously":
        return at(month, "month", "before", vague=True)
    return None


def weekday(m: re.Match[str], pub: Published, basis: str, sentence: str) -> DateMention:
    """A weekday named alone: the latest one on or before publication, or the next one when the text
    says "next" or speaks of it as coming."""
    name = m.group("weekday").capitalize()
    rel = (m.group("rel") or "").lower()
    at = _at(m, basis, "weekday")
    if pub.precision != "day":
        value, precision = (pub.month, "month") if pub.month else (str(pub.year), "year")
        return at(
            value, precision, "about", f'"{m.group(0)}" cannot be placed: the day of publication is not known'
        )
    wanted = WEEKDAYS[name.lower()]
    coming = rel in ("next", "coming", "this coming") or (
        rel != "last" and future_before(sentence, m.start())
    )
    if coming:
        ahead = (wanted - pub.first.weekday()) % 7 or 7
        when = pub.first + timedelta(days=ahead)
        basis = f"{basis}; the first {name} after publication"
        return replace(at(when.isoformat(), "day", "on"), basis=basis, kind="weekday_next")
    back = (pub.first.weekday() - wanted) % 7
    if rel == "last" and back == 0:
        back = 7
    when = pub.first - timedelta(days=back)
    return replace(at(when.isoformat(), "day", "on"), basis=f"{basis}; the {name} on or before publication")


def ago(m: re.Match[str], pub: Published, basis: str) -> DateMention:
    """ "two days ago" -> that day; "two weeks ago" -> the month of that day; months and years."""
    n, unit = count(m.group("n")), m.group("unit").lower()
    at = _at(m, basis, f"{unit}s_ago")
    if unit == "year":
        return at(str(pub.year - n), "year", "about")
    if unit == "month":
        if not pub.month:
            return at(str(pub.year), "year", "about", "the article is dated only by year")
        return at(shift_month(pub.first, -n), "month", "about")
    if pub.precision != "day":
        value = pub.month or str(pub.year)
        return at(
            value,
            "month" if pub.month else "year",
            "about",
            f'"{m.group(0)}" in an article whose day of publication is not known',
        )
    when = pub.first - timedelta(days=n * (7 if unit == "week" else 1))
    if unit == "week":
        return at(when.isoformat()[:7], "month", "about")
    return at(when.isoformat(), "day", "on")


def relative_day_offset(m: re.Match[str]) -> int:
    """How many days "the following day", "the day before", "two days later" move from their anchor."""
    if m.group("which"):
        return 1 if m.group("which").lower() in ("following", "next") else -1
    if m.group("ba"):
        return -1 if m.group("ba").lower() == "before" else 1
    n = count(m.group("n"))
    return n if m.group("dir").lower() in ("later", "after") else -n


def relative_day(m: re.Match[str], pub: Published, basis: str) -> DateMention:
    """A day counted from the date told before it; resolved by ``anchor_days`` once that is known."""
    return DateMention(
        m.start(), m.end(), m.group(0), "", str(relative_day_offset(m)), "", "on", basis, kind="relative_day"
    )


def anchor_days(mention: DateMention, anchor: DateMention | None, pub: Published) -> DateMention:
    """Resolve a ``relative_day`` mention against ``anchor`` (the last day told before it)."""
    offset = int(mention.date_end)
    if anchor is not None and anchor.precision == "day":
        when = date.fromisoformat(anchor.date) + timedelta(days=offset)
        basis = f"{mention.basis}; counted from {anchor.text.strip()!r} ({anchor.date})"
        return replace(mention, date=when.isoformat(), date_end="", precision="day", basis=basis)
    if anchor is not None:
        return replace(
            mention,
            date=anchor.date,
            date_end="",
            precision=anchor.precision,
            qualifier="about",
            basis=f"{mention.basis}; near {anchor.text.strip()!r} ({anchor.date})",
        )
    if pub.precision == "day":
        when = pub.first + timedelta(days=offset)
        return replace(
            mention,
            date=when.isoformat(),
            date_end="",
            precision="day",
            problem="no day told before it: counted from the publication day",
        )
    value = pub.month or str(pub.year)
    return replace(
        mention,
        date=value,
        date_end="",
        precision="month" if pub.month else "year",
        qualifier="about",
        problem="no day told before it, and the publication day is not known",
    )
