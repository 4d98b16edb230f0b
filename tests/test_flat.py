"""The flat report table: its columns, joins, report overrides and province rules."""

from __future__ import annotations

import math

import factory

from dashboard.flat import SAID_BY_DOCUMENT, flat_reports, provinces_of
from dashboard.loader import load_dataset
from dashboard.model import FLAT_COLUMNS


def row(flat, report_id):
    return flat.set_index("report_id").loc[report_id]


def test_columns_and_one_row_per_report(flat):
    assert tuple(flat.columns) == FLAT_COLUMNS
    assert list(flat["report_id"]) == ["r001", "r002", "r003", "r004", "r005", "r006"]


def test_claim_row_joins_document_claimant_and_places(flat):
    r = row(flat, "r002")
    assert (r["kind"], r["id"], r["type"], r["subject"], r["group"]) == (
        "claim",
        "c002",
        "force_strength",
        "Fighters in Badakhshan",
        "isis-k",
    )
    assert (r["document"], r["document_id"], r["outlet"], r["published"]) == (
        "001_test.txt",
        "d001",
        "Outlet B",
        "2023-11",
    )
    assert (r["claimant"], r["claimant_name"], r["claimant_role"], r["affiliation"]) == (
        "minister",
        "A. Minister",
        "Minister of Defence",
        "Russia",
    )
    assert (r["relayed_by"], r["relayed_by_names"]) == ("tass", "TASS")
    assert (r["places"], r["place_names"], r["provinces"]) == (
        "fayzabad;badakhshan",
        "Fayzabad;Badakhshan",
        "Badakhshan",
    )
    assert (r["lat"], r["lon"], r["location_precision"]) == (37.11664, 70.58002, 1)  # the first place listed
    assert r["notes"] == "Claim note. | Report note."


def test_values_come_from_the_claim_without_override(flat):
    r = row(flat, "r001")
    assert math.isnan(r["figure_best"]) and r["figure_high"] == 6500.0
    assert (r["figure_qualifier"], r["unit"], r["date"], r["date_precision"]) == (
        "up_to",
        "fighters",
        "2023-05-25",
        "day",
    )


def test_report_overrides_replace_figures_and_date_as_a_whole(flat):
    r = row(flat, "r003")  # c001 as document d001 words it
    assert r["id"] == "c001"
    assert math.isnan(r["figure_high"]) and r["figure_best"] == 4000.0
    assert (r["figure_qualifier"], r["unit"]) == ("approximately", "fighters")
    assert (r["date"], r["date_precision"], r["date_basis"]) == (
        "2023-11",
        "month",
        "Article of November 2023.",
    )


def test_event_rows(flat):
    r = row(flat, "r006")
    assert (r["kind"], r["type"], r["subject"], r["claimant"], r["group"]) == (
        "event",
        "programme_milestone",
        "Deliveries planned",
        "",
        "isis-k;militants",
    )
    assert (r["date"], r["date_end"]) == ("2026", "2027")
    assert math.isnan(r["figure_best"]) and r["unit"] == ""
    assert r["provinces"] == ""  # a border: the provinces it touches are not inferred
    assert row(flat, "r005")["participants"] == "minister"


def test_provinces_rule():
    places = [
        {"name": "Badakhshan", "kind": "province", "admin1": ""},
        {"name": "Kunduz (city)", "kind": "city", "admin1": "Kunduz"},
        {"name": "Border", "kind": "border", "admin1": ""},
        {"name": "Afghanistan", "kind": "country", "admin1": ""},
        {"name": "Fayzabad", "kind": "city", "admin1": "Badakhshan"},
    ]
    assert provinces_of(places) == ["Badakhshan", "Kunduz"]


def test_record_without_places_has_no_position(make_data):
    tables = factory.base_tables()
    tables["claims"][2]["places"] = ""
    flat = flat_reports(load_dataset(*make_data(tables=tables)))
    r = row(flat, "r004")
    assert (
        math.isnan(r["lat"])
        and r["location_precision"] is not None
        and str(r["location_precision"]) == "<NA>"
    )


def test_an_event_is_placed_at_its_location_only(make_data):
    tables = factory.base_tables()
    tables["events"][0]["location"] = ""  # the text names no place: listed, not drawn
    flat = flat_reports(load_dataset(*make_data(tables=tables)))
    r = row(flat, "r005")
    assert r["places"] == "dushanbe" and r["place_names"] == "Dushanbe"  # still what it concerns
    assert math.isnan(r["lat"]) and math.isnan(r["lon"]) and r["location_name"] == ""
    r = row(flat, "r006")
    assert (r["location"], r["location_name"], r["lat"], r["lon"]) == (
        "afg-tjk-border",
        "Tajik-Afghan border",
        37.48636,
        69.9,
    )


def test_every_place_is_listed_with_its_position(flat):
    r = row(flat, "r002")
    assert (r["place_lats"], r["place_lons"], r["place_precisions"]) == (
        "37.11664;37.0",
        "70.58002;71.2",
        "1;4",
    )
    assert row(flat, "r005")["location"] == "dushanbe" and row(flat, "r002")["location"] == ""


def test_a_bounded_time_shows_its_bound_and_keeps_both(make_data):
    tables = factory.base_tables()
    tables["claims"][1].update(
        date="", date_precision="", date_qualifier="", date_earliest="2023-10-30", date_latest="2023-11-30"
    )
    tables["claims"][2].update(date="", date_precision="", date_qualifier="", date_latest="2023-11")
    flat = flat_reports(load_dataset(*make_data(tables=tables)))
    r = row(flat, "r002")
    assert (r["date"], r["date_end"], r["date_precision"], r["date_qualifier"]) == (
        "2023-10-30",
        "2023-11-30",
        "day",
        "between",
    )
    assert (r["date_earliest"], r["date_latest"]) == ("2023-10-30", "2023-11-30")
    r = row(flat, "r004")
    assert (r["date"], r["date_end"], r["date_qualifier"], r["date_latest"]) == (
        "2023-11",
        "",
        "no_later_than",
        "2023-11",
    )


def test_the_statement_date_is_the_documents_unless_given(make_data):
    tables = factory.base_tables()
    tables["claims"][1].update(said_date="2023-11", said_precision="month", said_basis='"This month".')
    tables["reports"][2].update(said_latest="2023-11", said_basis="As this article words it.")
    flat = flat_reports(load_dataset(*make_data(tables=tables)))
    assert (row(flat, "r002")["said_date"], row(flat, "r002")["said_precision"]) == ("2023-11", "month")
    r = row(flat, "r001")  # said in the document's own time
    assert (r["said_date"], r["said_precision"], r["said_basis"]) == ("2023-05", "month", SAID_BY_DOCUMENT)
    r = row(flat, "r003")  # the report's own statement block replaces the record's as a whole
    assert (r["said_date"], r["said_latest"], r["said_basis"]) == ("", "2023-11", "As this article words it.")


def test_grades_come_from_the_claimant_and_the_report(flat):
    r = row(flat, "r001")
    assert (r["source_reliability"], r["info_credibility"], r["analyst_confidence"]) == ("B", "3", "high")
    assert row(flat, "r003")["info_credibility"] == ""


def test_event_columns(flat):
    r = row(flat, "r006")
    assert (r["event_type"], r["sub_event_type"], r["event_status"]) == (
        "Strategic developments",
        "Other",
        "planned",
    )
    assert math.isnan(r["fatalities_best"])
    assert (row(flat, "r001")["event_type"], row(flat, "r001")["figure_text"]) == ("", "Up to 6,500")
