"""The rules of the two times, events, grades and places (issue 9), each planted in the factory's data.

Same shape as ``test_validate``: a case plants one defect and names where it must be reported, as
``file:row:field``, with which messages; a look-alike names where nothing may be reported.
"""

from __future__ import annotations

import factory
import pytest
from test_validate import at, row, run, tables

BOUND = "a bound narrows the date and cannot contradict its precision"
AFTER_SAID = (
    "a claim or event cannot refer to a time after it was said; only a planned programme_milestone may"
)
ACLED_STRATEGIC = (
    "Agreement, Arrests, Change to group/activity, Disrupted weapons use, Headquarters or base established, "
    "Looting/property destruction, Non-violent transfer of territory, Other"
)


def _bounded_claim(first: str, last: str) -> dict:
    """Changes that make claim c002 a time the text only bounds."""
    return {
        "date": "",
        "date_precision": "",
        "date_qualifier": "",
        "date_earliest": first,
        "date_latest": last,
    }


def _minsk(t: dict) -> None:
    """A place the meeting's quote names ("Ministers met in Minsk"), not among the event's places."""
    t["places"].append(
        {
            "id": "minsk",
            "name": "Minsk",
            "kind": "capital",
            "country": "BLR",
            "lat": "53.90019",
            "lon": "27.56653",
            "location_precision": "1",
        }
    )
    t["country_bounds"].append(
        {
            "id": "BLR",
            "name": "Belarus",
            "min_lon": "23.1",
            "min_lat": "51.2",
            "max_lon": "32.8",
            "max_lat": "56.2",
        }
    )


def _minsk_located(t: dict) -> None:
    _minsk(t)
    t["events"][0]["location"] = "minsk"


PLANTED = [
    # the as-of time: bounds and precision
    pytest.param(
        row("claims", 0, date_latest="2023-06"),
        "geodata/claims.csv:2:date_latest",
        [f"2023-06 lies outside date 2023-05-25 (day): {BOUND}"],
        id="bound-contradicts-the-precision",
    ),
    pytest.param(
        row("claims", 1, **_bounded_claim("2023-11", "2023-10")),
        "geodata/claims.csv:3:date_earliest",
        ["2023-11 is after date_latest 2023-10"],
        id="earliest-after-latest",
    ),
    pytest.param(
        row("claims", 1, date="", date_precision="", date_qualifier=""),
        "geodata/claims.csv:3:date",
        ["a date, or a date_earliest or date_latest bound, is required"],
        id="a-time-is-required",
    ),
    pytest.param(
        row("claims", 1, date="", date_qualifier="", date_latest="2023-11"),
        "geodata/claims.csv:3:date_precision",
        ["given without a date"],
        id="precision-without-a-date",
    ),
    pytest.param(
        row("claims", 1, date_qualifier=""),
        "geodata/claims.csv:3:date_qualifier",
        ["required when a date is given"],
        id="qualifier-required-with-a-date",
    ),
    pytest.param(
        row("claims", 1, date_qualifier="before"),
        "geodata/claims.csv:3:date_qualifier",
        ["'before' is not one of the allowed values (on, as_of)"],
        id="no-loose-before-qualifier",
    ),
    pytest.param(
        row("claims", 1, date="2023-W53", date_precision="week"),
        "geodata/claims.csv:3:date",
        ["'2023-W53': week 53 does not exist in 2023 (it has 52 weeks)"],
        id="week-that-does-not-exist",
    ),
    pytest.param(
        row("claims", 1, date="2023-W45", date_precision="month"),
        "geodata/claims.csv:3:date",
        ["'2023-W45' has week precision, not month"],
        id="week-with-another-precision",
    ),
    pytest.param(
        row("claims", 1, **_bounded_claim("2023-12", "")),
        "geodata/claims.csv:3:date_earliest",
        [
            "2023-12 is after the publication (2023-11) of document d001, which reports it in r002; "
            "only programme_milestone events may be dated later"
        ],
        id="earliest-bound-after-the-document",
    ),
    # the statement time
    pytest.param(
        row("claims", 1, said_date="2023-09", said_precision="month", said_basis='"In September".'),
        "geodata/claims.csv:3:date",
        [f"2023-11 is after the statement (2023-09): {AFTER_SAID}"],
        id="as-of-after-the-statement",
    ),
    pytest.param(
        row("claims", 1, said_latest="2023-10", said_basis='"previously".'),
        "geodata/claims.csv:3:date",
        [f"2023-11 is after the statement (no later than 2023-10): {AFTER_SAID}"],
        id="as-of-after-a-bounded-statement",
    ),
    pytest.param(
        row("reports", 2, said_date="2023-10", said_precision="month", said_basis="Article of 2023."),
        "geodata/reports.csv:4:date",
        [f"2023-11 is after the statement (2023-10): {AFTER_SAID}"],
        id="report-as-of-after-its-own-statement",
    ),
    pytest.param(
        row("claims", 1, said_date="2024-01", said_precision="month", said_basis="x"),
        "geodata/claims.csv:3:said_date",
        [
            "2024-01 is after the publication (2023-11) of document d001, which reports it in r002; "
            "nothing can be said after the document that reports it"
        ],
        id="said-after-the-document",
    ),
    pytest.param(
        row("claims", 1, said_date="2023-09"),
        "geodata/claims.csv:3:said_precision",
        ["required when said_date is given"],
        id="said-date-needs-its-precision",
    ),
    pytest.param(
        row("claims", 1, said_date="2023-09", said_precision="month"),
        "geodata/claims.csv:3:said_basis",
        ["required when a said_date or bound is given"],
        id="said-date-needs-its-basis",
    ),
    pytest.param(
        row("claims", 1, said_precision="month"),
        "geodata/claims.csv:3:said_precision",
        ["given without a said_date or bound"],
        id="said-precision-without-a-date",
    ),
    # plans
    pytest.param(
        row("events", 1, status="occurred"),
        "geodata/events.csv:3:date",
        [
            "2026 is after the publication (2023-05) of document d000, which reports it in r006; "
            "a programme_milestone may be dated later only when its status is planned"
        ],
        id="only-a-planned-milestone-may-be-dated-later",
    ),
    # events
    pytest.param(
        row("events", 0, status="rumoured"),
        "geodata/events.csv:2:status",
        ["'rumoured' is not one of the allowed values (occurred, planned, alleged, denied)"],
        id="status-from-the-list",
    ),
    pytest.param(
        row("events", 0, status="alleged"),
        "geodata/events.csv:2:claimant",
        ["required when status is 'alleged': name who asserts it"],
        id="an-allegation-names-its-claimant",
    ),
    pytest.param(
        row("events", 0, sub_event_type="Armed clash"),
        "geodata/events.csv:2:sub_event_type",
        [f"'Armed clash' is not a sub-event type of 'Strategic developments' (ACLED: {ACLED_STRATEGIC})"],
        id="acled-sub-event-type-of-its-event-type",
    ),
    pytest.param(
        row("events", 0, event_type="Battle"),
        "geodata/events.csv:2:event_type",
        [
            "'Battle' is not one of the allowed values (Battles, Explosions/Remote violence, Violence "
            "against civilians, Protests, Riots, Strategic developments)"
        ],
        id="acled-event-type-names",
    ),
    pytest.param(
        row("events", 0, event_type=""),
        "geodata/events.csv:2:event_type",
        ["required value is missing"],
        id="every-event-has-an-acled-type",
    ),
    pytest.param(
        row("events", 0, location="fayzabad"),
        "geodata/events.csv:2:location",
        [
            "'fayzabad' is neither one of the event's places nor named in a quote of its reports; leave "
            "location empty when the text names no place"
        ],
        id="location-the-text-does-not-support",
    ),
    pytest.param(
        row("events", 0, location="kabul"),
        "geodata/events.csv:2:location",
        ["'kabul' is not an id in places"],
        id="location-is-a-place",
    ),
    pytest.param(
        row("events", 0, claimant="nobody"),
        "geodata/events.csv:2:claimant",
        ["'nobody' is not an id in actors"],
        id="event-claimant-is-an-actor",
    ),
    pytest.param(
        row("events", 0, fatalities_low="5", fatalities_best="3"),
        "geodata/events.csv:2:fatalities_best",
        ["fatalities_best 3 is below fatalities_low 5"],
        id="fatalities-in-order",
    ),
    pytest.param(
        row("events", 0, fatalities_best="-1"),
        "geodata/events.csv:2:fatalities_best",
        ["-1 is below the minimum 0"],
        id="fatalities-not-negative",
    ),
    # figures and grades
    pytest.param(
        row("claims", 0, figure_text=""),
        "geodata/claims.csv:2:figure_text",
        ["required when a figure is given (figure_high)"],
        id="figure-keeps-its-words",
    ),
    pytest.param(
        row("claims", 2, figure_coding="'several' = 3"),
        "geodata/claims.csv:4:figure_coding",
        ["given without any figure"],
        id="coding-without-a-figure",
    ),
    pytest.param(
        row("actors", 0, source_reliability="G"),
        "geodata/actors.csv:2:source_reliability",
        ["'G' is not one of the allowed values (A, B, C, D, E, F)"],
        id="source-reliability-a-to-f",
    ),
    pytest.param(
        row("reports", 0, info_credibility="7"),
        "geodata/reports.csv:2:info_credibility",
        ["'7' is not one of the allowed values (1, 2, 3, 4, 5, 6)"],
        id="information-credibility-1-to-6",
    ),
    # places: UCDP's codes and the border line
    pytest.param(
        row("places", 5, location_precision="7"),
        "geodata/places.csv:7:location_precision",
        [
            "7 means international waters or air space on UCDP's scale; a region of one country is 5 (part "
            "of a country larger than a province, or a border or river)"
        ],
        id="region-of-one-country-is-5",
    ),
    pytest.param(
        row("places", 5, country="", location_precision="5"),
        "geodata/places.csv:7:location_precision",
        [
            "5 means part of a country larger than a province, or a border or river on UCDP's scale; a "
            "region spanning several countries is 6 (a country)"
        ],
        id="region-of-several-countries-is-6",
    ),
    pytest.param(
        row("places", 4, location_precision="4"),
        "geodata/places.csv:6:location_precision",
        [
            "4 means a province on UCDP's scale; a capital is 1 (an exact place) or 2 (within ~25 km of a "
            "known point)"
        ],
        id="a-capital-is-a-point",
    ),
    pytest.param(
        row("places", 3, lat="37.35", lon="69.9"),
        "geodata/places.csv:5:lat",
        [
            "(37.35, 69.9) lies 15 km from the line borders.geojson#afg-tjk-border it stands for (more than "
            "5 km); the nearest point of the line is (37.48387, 69.88174)"
        ],
        id="border-point-off-its-line",
    ),
]

NOT_DEFECTS = [
    pytest.param(
        row("claims", 1, **_bounded_claim("2023-10-30", "2023-11-30")),
        "geodata/claims.csv:3:date_earliest",
        id="earlier-this-week-bounds",
    ),
    pytest.param(
        row("claims", 0, date_earliest="2023-05-25", date_latest="2023-05-25"),
        "geodata/claims.csv:2:date_latest",
        id="bounds-inside-their-date",
    ),
    pytest.param(
        row("claims", 1, date="2023-W45", date_precision="week"),
        "geodata/claims.csv:3:date",
        id="a-week-in-the-documents-month",
    ),
    pytest.param(
        row("claims", 1, said_date="2023-11", said_precision="month", said_basis="x"),
        "geodata/claims.csv:3:date",
        id="as-of-the-statement",
    ),
    pytest.param(
        row("claims", 1, said_earliest="2023-11-20", said_basis="x"),
        "geodata/claims.csv:3:date",
        id="statement-bounded-below-only",
    ),
    pytest.param(lambda: {}, "geodata/events.csv:3:date", id="a-planned-milestone-after-its-statement"),
    pytest.param(
        row("events", 0, status="alleged", claimant="minister"),
        "geodata/events.csv:2:claimant",
        id="an-allegation-with-its-claimant",
    ),
    pytest.param(tables(_minsk_located), "geodata/events.csv:2:location", id="location-named-in-the-quote"),
    pytest.param(row("events", 0, location=""), "geodata/events.csv:2:location", id="no-location"),
    pytest.param(
        row("events", 0, event_type="Battles", sub_event_type="Armed clash"),
        "geodata/events.csv:2:sub_event_type",
        id="battles-armed-clash",
    ),
    pytest.param(
        row("places", 3, lat="37.5", lon="70.05"),
        "geodata/places.csv:5:lat",
        id="border-point-within-a-few-km",
    ),
]


@pytest.mark.parametrize(("plant", "where", "expected"), PLANTED)
def test_a_planted_defect_is_reported_where_it_is(make_data, plant, where, expected):
    assert at(run(make_data, **plant()), where) == expected


@pytest.mark.parametrize(("plant", "where"), NOT_DEFECTS)
def test_a_look_alike_is_not_reported(make_data, plant, where):
    assert at(run(make_data, **plant()), where) == []


def test_the_look_alikes_leave_the_data_clean(make_data):
    for case in NOT_DEFECTS:
        plant = case.values[0]
        assert [str(p) for p in run(make_data, **plant())] == [], case.id


def test_bad_input_is_reported_with_file_row_and_field(make_data):
    base = factory.base_tables()
    base["claims"][0].update(date_latest="2023-06")  # contradicts the date's precision (2023-05-25)
    base["claims"][1].update(said_date="2023-10", said_precision="month", said_basis="x")  # as-of later
    base["events"][0].update(status="rumoured")
    lines = [str(p) for p in run(make_data, tables=base)]
    assert lines == [
        f"geodata/claims.csv:2:date_latest: 2023-06 lies outside date 2023-05-25 (day): {BOUND}",
        f"geodata/claims.csv:3:date: 2023-11 is after the statement (2023-10): {AFTER_SAID}",
        "geodata/events.csv:2:status: 'rumoured' is not one of the allowed values (occurred, planned, "
        "alleged, denied)",
    ]
