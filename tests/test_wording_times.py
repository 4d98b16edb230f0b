"""Dates for people: weeks, bounds and the two times, never more precise than the source."""

from __future__ import annotations

import pytest

from dashboard.wording import format_date


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("2024-W23", "week"), "week of 3 June 2024"),
        (("2024-W23",), "week of 3 June 2024"),
        (("2023-05", "month", "no_later_than"), "no later than May 2023"),
        (("2021-08", "month", "no_earlier_than"), "no earlier than August 2021"),
        (("2024-02-26", "day", "between", "2024-03-31"), "between 26 February 2024 and 31 March 2024"),
        (("2021-08", "month", "between", "2025-04"), "between August 2021 and April 2025"),
        (("2026", "year", "on", "2027"), "2026 – 2027"),
    ],
)
def test_weeks_and_bounds_read_as_the_source_gives_them(args, expected):
    assert format_date(*args) == expected
