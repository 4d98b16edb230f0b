"""Partial ISO dates: the interval each covers, no invented days, strict forms."""

from datetime import date

import pytest

from dashboard.dates import (
    bounded_span,
    coarser,
    overlaps,
    parse_partial,
    precision_of,
    span,
    truncate,
    week_of,
)


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2023", "year", date(2023, 1, 1), date(2023, 12, 31)),
        ("2023-02", "month", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-05-25", "day", date(2023, 5, 25), date(2023, 5, 25)),
    ],
)
def test_parse_gives_the_covered_interval(text, precision, first, last):
    parsed = parse_partial(text, precision)
    assert (parsed.precision, parsed.first, parsed.last) == (precision, first, last)
    assert parse_partial(text).precision == precision


@pytest.mark.parametrize(
    ("text", "precision"),
    [("2023-05", "day"), ("2023", "month"), ("2023-05-25", "month"), ("2023-05-25", "year")],
)
def test_precision_must_match_the_form(text, precision):
    with pytest.raises(ValueError, match="precision"):
        parse_partial(text, precision)


@pytest.mark.parametrize(
    "text", ["May 2023", "2023-5", "2023-02-30", "2023-13", "2023-00", "23", "2023-05-25T10:00", " 2023", ""]
)
def test_anything_else_is_rejected(text):
    with pytest.raises(ValueError):
        parse_partial(text)


def test_unknown_precision_is_rejected():
    with pytest.raises(ValueError, match="unknown precision"):
        parse_partial("2023", "quarter")


def test_precision_of():
    assert [precision_of(t) for t in ("2023", "2023-05", "2023-05-25")] == ["year", "month", "day"]


def test_truncate_never_adds_precision():
    assert truncate(date(2023, 5, 25), "month") == "2023-05"
    assert truncate("2023-05-25", "year") == "2023"
    assert truncate("2023-05", "month") == "2023-05"
    with pytest.raises(ValueError, match="more precise"):
        truncate("2023-05", "day")
    with pytest.raises(ValueError):
        truncate("2023-02-30", "month")


def test_overlaps_and_span():
    may = span("2023-05")
    assert may == (date(2023, 5, 1), date(2023, 5, 31))
    assert overlaps(*may, *span("2023-05-31"))
    assert not overlaps(*may, *span("2023-06-01"))
    assert overlaps(*span("2026", "2027"), *span("2027-03"))
    assert not overlaps(*span("2026", "2027"), *span("2025"))


def test_coarser():
    assert coarser("day", "month") == "month"
    assert coarser("year", "day") == "year"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2024-W23", date(2024, 6, 3), date(2024, 6, 9)),
        ("2020-W53", date(2020, 12, 28), date(2021, 1, 3)),  # a 53-week year, into the next year
        ("2024-W01", date(2024, 1, 1), date(2024, 1, 7)),
    ],
)
def test_a_week_covers_monday_to_sunday(text, first, last):
    parsed = parse_partial(text, "week")
    assert (parsed.precision, parsed.first, parsed.last) == ("week", first, last)
    assert precision_of(text) == "week"


@pytest.mark.parametrize("text", ["2023-W53", "2024-W00", "2024-W7", "2024W23", "2024-w23"])
def test_a_week_that_does_not_exist_is_rejected(text):
    with pytest.raises(ValueError):
        parse_partial(text)


def test_truncate_to_a_week_and_never_across_months():
    assert week_of(date(2024, 6, 3)) == "2024-W23"
    assert truncate("2024-06-05", "week") == "2024-W23"
    assert truncate("2024-W23", "month") == "2024-06"
    assert truncate("2024-W23", "year") == "2024"
    with pytest.raises(ValueError, match="straddles"):
        truncate("2024-W22", "month")  # 27 May to 2 June
    with pytest.raises(ValueError, match="more precise"):
        truncate("2024-06", "week")
    assert coarser("week", "month") == "month" and coarser("day", "week") == "week"


def test_bounded_span_narrows_and_leaves_open_sides_open():
    assert bounded_span(latest="2023-05") == (date.min, date(2023, 5, 31))
    assert bounded_span(earliest="2021-08") == (date(2021, 8, 1), date.max)
    assert bounded_span("2024", "", "2024-02-26", "2024-03") == (date(2024, 2, 26), date(2024, 3, 31))
    assert bounded_span("2026", "2027") == (date(2026, 1, 1), date(2027, 12, 31))
