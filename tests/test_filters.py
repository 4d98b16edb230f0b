"""Filters: date overlap with partial dates, each filter name, options and the URL round trip."""

from __future__ import annotations

import pytest

from dashboard.filters import apply_filters, filter_options, filters_from_query, filters_to_query
from dashboard.model import FILTER_NAMES, Filters


def kept(flat, **kwargs) -> list[str]:
    return list(apply_filters(flat, Filters(**kwargs))["report_id"])


def test_empty_filters_keep_everything(flat):
    assert kept(flat) == list(flat["report_id"])


def test_date_window_overlaps_partial_dates(flat):
    # r001/r005 are 2023-05-25 (day); r002-r004 are 2023-11 (month); r006 spans 2026-2027 (year).
    assert kept(flat, start="2023-05", end="2023-05") == ["r001", "r005"]
    assert kept(flat, end="2023-05-24") == []
    assert kept(flat, start="2023-11-30", end="2023-12") == ["r002", "r003", "r004"]
    assert kept(flat, start="2027-06") == ["r006"]
    assert kept(flat, start="2024", end="2025") == []
    assert kept(flat, start="2023") == list(flat["report_id"])


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        ("province", ("badakhshan",), ["r002"]),
        ("province", ("Fayzabad",), ["r002"]),
        ("province", ("DUSHANBE", "afg-tjk-border"), ["r005", "r006"]),
        ("document", ("d001",), ["r002", "r003", "r004"]),
        ("document", ("000_test.txt",), ["r001", "r005", "r006"]),
        ("outlet", ("outlet b",), ["r002", "r003", "r004"]),
        ("relayed_by", ("tass",), ["r002", "r003"]),
        ("claimant", ("taliban",), ["r004"]),
        ("affiliation", ("Russia",), ["r001", "r002", "r003"]),
        ("group", ("militants",), ["r001", "r003", "r006"]),
        ("type", ("denial", "meeting"), ["r004", "r005"]),
    ],
)
def test_each_filter(flat, name, values, expected):
    assert kept(flat, **{name: values}) == expected


def test_filters_combine(flat):
    assert kept(flat, group=("isis-k",), document=("d001",)) == ["r002"]


def test_query_round_trip():
    f = Filters(
        start="2023-05",
        end="2024",
        province=("Badakhshan",),
        outlet=("Hasht-e Subh (8am.media, English)",),
        relayed_by=("tass", "media"),
        type=("meeting",),
    )
    query = filters_to_query(f)
    assert query["outlet"] == ["Hasht-e Subh (8am.media, English)"]  # commas are never split
    assert filters_from_query(query) == f
    assert filters_to_query(Filters()) == {}


def test_query_accepts_single_strings_and_ignores_unknown_keys():
    f = filters_from_query(
        {"province": "kunduz", "start": "2023", "page": "map", "group": ["", "iskp", "iskp"]}
    )
    assert f == Filters(start="2023", province=("kunduz",), group=("iskp",))


@pytest.mark.parametrize(
    ("name", "value"), [("start", "May 2023"), ("end", "2023-02-30"), ("start", "2023-5")]
)
def test_invalid_dates_name_the_parameter(name, value):
    with pytest.raises(ValueError, match=f"^{name}: "):
        filters_from_query({name: value})


def test_start_after_end_is_refused():
    with pytest.raises(ValueError, match="^start: 2024 is after end 2023-05"):
        filters_from_query({"start": "2024", "end": "2023-05"})


def test_filter_options(flat):
    options = filter_options(flat, group_names={"isis-k": "ISKP"})
    assert set(options) == set(FILTER_NAMES)
    assert options["province"] == [("Badakhshan", "Badakhshan"), ("Dushanbe", "Dushanbe")]
    assert options["relayed_by"] == [("tass", "TASS")]
    assert ("isis-k", "ISKP") in options["group"]
    assert options["document"][0] == ("d000", "d000: Ministers meet (Outlet A, 2023-05)")
    assert options["start"] == [("2023-05-25", "2023-05-25")] and options["end"] == [
        ("2027-12-31", "2027-12-31")
    ]
