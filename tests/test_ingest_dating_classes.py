"""Each class of date expression the drafter resolves, on sentences written for these tests.

Publication dates are chosen so that each resolution differs from the publication date: a drafter
that leaves the expression unresolved fails.
"""

from __future__ import annotations

import pytest

from dashboard.ingest.dating import Published, find_dates


def _dates(sentence: str, published: str, anchor=None):
    return [
        (d.date, d.date_end, d.precision)
        for d in find_dates(sentence, Published.parse(published), anchor)
        if not d.vague or d.present
    ]


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        # weekday names: the latest such day on or before publication (2025-03-13 is a Thursday)
        ("Militants attacked a post on Tuesday.", "2025-03-13", [("2025-03-11", "", "day")]),
        ("Gunmen fired late on Sunday near the river.", "2025-03-13", [("2025-03-09", "", "day")]),
        ("The blast struck during Friday prayers.", "2025-03-13", [("2025-03-07", "", "day")]),
        ("The envoy arrived on Thursday.", "2025-03-13", [("2025-03-13", "", "day")]),
        ("They met last Thursday.", "2025-03-13", [("2025-03-06", "", "day")]),
        # "next" or a future verb: the first such day after publication
        ("The delegation arrives next Monday.", "2025-03-13", [("2025-03-17", "", "day")]),
        ("The talks will resume on Tuesday.", "2025-03-13", [("2025-03-18", "", "day")]),
        # N days / weeks / months ago
        ("Three days ago, a convoy was ambushed.", "2025-03-13", [("2025-03-10", "", "day")]),
        ("A week ago, smugglers were detained.", "2025-03-05", [("2025-02", "", "month")]),
        ("Two months ago the post was rebuilt.", "2025-03-13", [("2025-01", "", "month")]),
        # night spans: the first day
        ("Shots were fired on the night of July 4-5.", "2025-07-08", [("2025-07-04", "", "day")]),
        ("It happened on the night of 30–31 March.", "2025-04-02", [("2025-03-30", "", "day")]),
        ("The raid came on the night of Friday to Saturday.", "2025-03-13", [("2025-03-07", "", "day")]),
        # last / this / next week, month, year
        ("Last week, the ministry closed the crossing.", "2025-02-03", [("2025-01", "", "month")]),
        ("A visit is planned for next week.", "2025-04-28", [("2025-05", "", "month")]),
        ("Last month, the council met.", "2025-01-15", [("2024-12", "", "month")]),
        ("A new post opens next month.", "2025-12-01", [("2026-01", "", "month")]),
        ("This year the budget doubled.", "2025-03", [("2025", "", "year")]),
        ("Deliveries end next year.", "2025-03", [("2026", "", "year")]),
        ("Since the start of the year, 40 people were detained.", "2025-06", [("2025", "", "year")]),
        # month names without a year: past or coming by tense
        ("In October, militants attacked the post.", "2025-08-14", [("2024-10", "", "month")]),
        ("The exercise will be held in October.", "2025-08-14", [("2025-10", "", "month")]),
        ("The school is to close in March.", "2025-08-14", [("2026-03", "", "month")]),
        ("In March, the base held a drill.", "2025-08", [("2025-03", "", "month")]),
        ("Last March, a bomb killed 21 people.", "2025-02-12", [("2024-03", "", "month")]),
        ("In September last year, the council met.", "2025-08", [("2024-09", "", "month")]),
        ("The summit is due in November next year.", "2025-08", [("2026-11", "", "month")]),
        # explicit dates, months with a year, years
        ("The base was founded on 18 October 2004.", "2025-08", [("2004-10-18", "", "day")]),
        ("The case was heard on September 13.", "2024-09-20", [("2024-09-13", "", "day")]),
        ("Back in September 2010, a convoy was ambushed.", "2025-08", [("2010-09", "", "month")]),
        ("The plan was approved in November 2024.", "2025-04", [("2024-11", "", "month")]),
        ("The bridge opened in 2007.", "2025-04", [("2007", "", "year")]),
        ("Ten posts will be built by the end of 2026.", "2025-04", [("2026", "", "year")]),
        # spans
        ("Deliveries are planned for 2026–2027.", "2025-04", [("2026", "2027", "year")]),
        ("The third stage (2027-2029) follows.", "2025-04", [("2027", "2029", "year")]),
        ("It held 12 drills between 2021 and 2024.", "2025-04", [("2021", "2024", "year")]),
        ("The operation ran from 11 to 16 November.", "2024-11-20", [("2024-11-11", "2024-11-16", "day")]),
        ("The base stays until 2042.", "2025-04", [("2025", "2042", "year")]),
        ("The group has been banned since 2003.", "2025-04", [("2003", "2025", "year")]),
        # "now", "currently": as of publication, as precisely as it is known
        ("The list now includes 20 groups.", "2023-12-29", [("2023-12-29", "", "day")]),
    ],
)
def test_date_classes(sentence, published, expected):
    assert _dates(sentence, published) == expected


def test_following_and_previous_day_count_from_the_day_told_before():
    pub = Published.parse("2024-07-08")
    (night,) = find_dates("Guards clashed with a group on the night of July 4-5.", pub)
    assert "first" in night.basis
    assert _dates("The following day, two men were detained.", "2024-07-08", night) == [
        ("2024-07-05", "", "day")
    ]
    assert _dates("The previous day, a patrol saw them.", "2024-07-08", night) == [("2024-07-03", "", "day")]
    assert _dates("Two days later, the post reopened.", "2024-07-08", night) == [("2024-07-06", "", "day")]


def test_relative_day_in_the_same_sentence_counts_from_its_own_day():
    found = _dates("The attack came on March 6, and the day after, police detained a suspect.", "2024-03-20")
    assert found == [("2024-03-06", "", "day"), ("2024-03-07", "", "day")]


def test_relative_day_without_a_day_told_is_flagged():
    (found,) = find_dates("The following day, the ministry spoke.", Published.parse("2024-07-08"))
    assert found.date == "2024-07-09" and "no day told" in found.problem
    (found,) = find_dates("The following day, the ministry spoke.", Published.parse("2024-07"))
    assert (found.date, found.precision) == ("2024-07", "month") and found.problem


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("Militants attacked a post on Tuesday.", "2025-03", ("2025-03", "month")),
        ("Three days ago, a convoy was ambushed.", "2025-03", ("2025-03", "month")),
        ("Last week, the ministry closed the crossing.", "2025-03", ("2025-03", "month")),
        ("In October, militants attacked the post.", "2025", ("2025", "year")),
    ],
)
def test_no_day_or_month_the_publication_date_cannot_give(sentence, published, expected):
    (found,) = find_dates(sentence, Published.parse(published))
    assert (found.date, found.precision) == expected
    assert found.problem


def test_a_date_that_dates_only_the_telling_is_marked():
    found = find_dates(
        "Guards killed two men on Monday, the committee told TASS on Wednesday.",
        Published.parse("2025-03-13"),
    )
    assert [(d.date, d.speech) for d in found] == [("2025-03-10", False), ("2025-03-12", True)]
