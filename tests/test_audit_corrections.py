"""The project's own data after the audit of issue 9: each correction, checked on the curated tables.

The audit read the articles in ``seeds/`` as an OSINT analyst would; every test here names the fault it
found and fails on the data as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely.geometry

from dashboard.exports.tabular import csv_bytes, geojson_collection
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.mapping.layers import event_features
from dashboard.values import split_ids

REPO = Path(__file__).resolve().parents[1]
#: Every claim, event and report in the data before the audit (none may disappear).
OLD_CLAIMS = [f"c{i:03d}" for i in range(1, 39)]
OLD_EVENTS = [f"e{i:03d}" for i in range(1, 33)]
OLD_REPORTS = [f"r{i:03d}" for i in range(1, 84)]


@pytest.fixture(scope="module")
def ds():
    return load_dataset(REPO / "geodata", REPO / "seeds")


@pytest.fixture(scope="module")
def flat(ds):
    return flat_reports(ds)


def _row(frame, record_id):
    return frame.set_index("id").loc[record_id]


def _shape(file: str, feature_id: str):
    doc = json.loads((REPO / "geodata" / file).read_text(encoding="utf-8"))
    feature = next(f for f in doc["features"] if str(f.get("id") or f["properties"].get("id")) == feature_id)
    return shapely.geometry.shape(feature["geometry"])


def test_every_record_already_in_the_data_stays_covered(ds):
    assert set(OLD_CLAIMS) <= set(ds.claims["id"]) and set(OLD_EVENTS) <= set(ds.events["id"])
    assert set(OLD_REPORTS) <= set(ds.reports["id"])
    reported = set(zip(ds.reports["record_kind"], ds.reports["record_id"], strict=True))
    assert {("claim", c) for c in OLD_CLAIMS} <= reported
    assert {("event", e) for e in OLD_EVENTS} <= reported
    with_figures = ds.claims[ds.claims[["figure_low", "figure_best", "figure_high"]].notna().any(axis=1)]
    assert len(with_figures) == 18 and with_figures["figure_text"].ne("").all()


def test_the_border_point_sits_on_the_drawn_line(ds):
    place = _row(ds.places, "afg-tjk-border")
    point = shapely.geometry.Point(place["lon"], place["lat"])
    assert _shape("borders.geojson", "afg-tjk-border").distance(point) < 0.01  # degrees, about 1 km
    assert (round(place["lat"], 2), round(place["lon"], 2)) == (37.55, 70.02)


def test_the_killing_inside_tajikistan_is_drawn_in_tajikistan(ds, flat):
    tajikistan = _shape("countries.geojson", "TJK")
    event = flat[flat["id"] == "e014"].iloc[0]
    assert event["location"] == "tajikistan"
    assert tajikistan.contains(shapely.geometry.Point(event["lon"], event["lat"]))
    claim = flat[flat["id"] == "c018"].iloc[0]
    assert tajikistan.contains(shapely.geometry.Point(claim["lon"], claim["lat"]))
    assert _row(ds.events, "e014")["fatalities_best"] == 3


def test_northern_afghanistan_is_part_of_a_country(ds):
    assert _row(ds.places, "northern-afghanistan")["location_precision"] == 5
    assert set(ds.places["location_precision"]) <= {1, 2, 4, 5, 6}  # 7 is water or air space
    dictionary = (REPO / "geodata" / "DATA-DICTIONARY.md").read_text(encoding="utf-8")
    assert "7 a region beyond one country" not in dictionary
    assert "7\n  international waters or air space" in dictionary


@pytest.mark.parametrize("event", ["e003", "e005", "e010", "e017", "e018"])
def test_events_about_afghanistan_did_not_happen_there(ds, event):
    row = _row(ds.events, event)
    assert row["location"] == "" and "afghanistan" in split_ids(row["places"])


@pytest.mark.parametrize("event", ["e012", "e021", "e029", "e030"])
def test_a_government_is_not_pinned_to_its_capital(ds, event):
    row = _row(ds.events, event)
    assert row["location"] in ("", "russia")
    capitals = set(ds.places.loc[ds.places["kind"] == "capital", "id"])
    assert not capitals & set(split_ids(row["places"]))


def test_the_treaty_organisation_founding_has_no_place(ds, flat):
    row = _row(ds.events, "e013")
    assert (row["location"], row["places"]) == ("", "")
    _, unplaced = event_features(flat)
    assert unplaced == (ds.events["location"] == "").sum()  # listed, not drawn


@pytest.mark.parametrize("claim", ["c034", "c035"])
def test_claims_naming_no_base_site_are_not_pinned_to_one(ds, claim):
    assert not {"base-201-dushanbe", "base-201-bokhtar"} & set(split_ids(_row(ds.claims, claim)["places"]))


def test_the_treaty_has_its_five_signatories(ds):
    participants = split_ids(_row(ds.events, "e008")["participants"])
    assert participants == ["armenia", "kazakhstan", "kyrgyzstan", "russia", "tajik-authorities"]


def test_the_coup_plot_is_mendkovichs_allegation(ds):
    row = _row(ds.events, "e027")
    assert (row["status"], row["claimant"]) == ("alleged", "mendkovich")


def test_the_pentagon_assessment_is_a_claim_relayed_by_the_post(ds):
    (claim,) = ds.claims[(ds.claims["claimant"] == "us-dod")]["id"]
    reports = ds.reports[ds.reports["record_id"] == claim]
    assert set(reports["relayed_by"]) == {"washington-post"} and set(reports["document"]) == {"d000"}
    assert _row(ds.claims, claim)["event"] == "e005"


def test_the_pledge_is_apart_from_the_denial(ds):
    r051 = ds.reports.set_index("id").loc["r051"]
    assert r051["quote"].startswith(
        "The Taliban authorities, however, have repeatedly claimed that they won’t"
    )
    pledge = _row(ds.claims, r051["record_id"])
    assert (pledge["stance"], pledge["claimant"]) == ("pledge", "taliban")
    assert "r051" not in set(ds.reports.loc[ds.reports["record_id"] == "c013", "id"])


def test_the_tass_relay_is_on_every_report_of_the_meeting(ds):
    relays = ds.reports.set_index("id")["relayed_by"]
    assert [relays[r] for r in ("r021", "r081", "r067", "r082")] == ["tass"] * 4


@pytest.mark.parametrize("claim", ["c014", "c027"])
def test_no_catch_all_group_where_the_quote_speaks_of_none(ds, claim):
    assert _row(ds.claims, claim)["group"] == ""


def test_the_catch_all_group_is_used_only_for_unnamed_groups(ds):
    tagged = ds.claims[ds.claims["group"].str.contains("terrorist-groups")]
    assert len(tagged) + (ds.events["groups"].str.contains("terrorist-groups")).sum() < 25


def test_several_hundred_names_its_coding_convention(ds):
    row = _row(ds.claims, "c032")
    assert (row["figure_low"], row["figure_qualifier"], row["figure_text"]) == (
        300,
        "at_least",
        "at least several hundred",
    )
    assert "'several' = 3" in row["figure_coding"]


def test_the_izvestia_date_has_its_evidence(ds):
    basis = _row(ds.documents, "d004")["published_basis"]
    assert "November 2024" in basis and "Damascus" in basis and "in March" in basis


def test_the_blocked_reserves_are_encoded(ds):
    texts = ds.texts["d004"]
    quotes = set(ds.reports.loc[ds.reports["document"] == "d004", "quote"])
    assert "Earlier, the Russian side also stated the need to return the funds." in quotes
    blocked = ds.events[ds.events["title"].str.contains("blocks Afghanistan")]
    assert len(blocked) == 1 and blocked.iloc[0]["date_earliest"] == "2021-08"
    assert all(q in texts for q in quotes)


def test_exports_carry_every_place_of_a_multi_place_claim(flat):
    rows = flat[flat["id"] == "c017"]
    feature = next(f for f in geojson_collection(rows)["features"] if f["id"] == "r058")
    assert feature["geometry"]["type"] == "MultiPoint"
    assert feature["geometry"]["coordinates"] == [
        [71.2, 37.0],
        [68.75, 36.75],
        [69.8, 36.6],
        [70.0153, 37.54607],
    ]
    text = csv_bytes(rows).decode("utf-8")
    assert '"badakhshan;kunduz;takhar;afg-tjk-border"' in text
    assert '"Badakhshan;Kunduz;Takhar;Tajik–Afghan border"' in text
    assert '"37.0;36.75;36.6;37.54607","71.2;68.75;69.8;70.0153"' in text


def test_two_times_for_every_record(flat):
    assert flat["date"].ne("").all() and flat["said_date"].ne("").sum() + flat["said_latest"].ne(
        ""
    ).sum() >= len(flat)
    c018 = flat[flat["id"] == "c018"].iloc[0]
    assert (c018["said_date"], c018["date_latest"], c018["date_qualifier"]) == (
        "2023-09",
        "2023-09",
        "no_later_than",
    )
