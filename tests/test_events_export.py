"""Imported events in the CSV, GeoJSON and XLSX exports: their own rows, dataset and event id columns,
and the datasets' credit."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from events_helpers import ACLED_JUNE, REPO
from openpyxl import load_workbook

from dashboard.events.importer import import_file
from dashboard.exports.briefing import Briefing
from dashboard.exports.formats import export_bytes
from dashboard.filters import apply_filters
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.model import FLAT_COLUMNS, Filters


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    for name in ("geodata", "seeds"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("events"))
    import_file("acled", ACLED_JUNE, root / "geodata")
    ds = load_dataset(root / "geodata", root / "seeds")
    return ds, flat_reports(ds)


def make(name, ds, flat_all, filters=None):
    filters = filters or Filters()
    return export_bytes(name, ds, flat_all, apply_filters(flat_all, filters), Briefing(filters=filters))


def test_csv_has_the_imported_rows_with_dataset_and_event_id(imported):
    ds, flat = imported
    rows = list(csv.DictReader(io.StringIO(make("csv", ds, flat).decode("utf-8"))))
    assert list(rows[0]) == [*FLAT_COLUMNS, "dataset", "event_id"]
    own = [r for r in rows if r["kind"] == "imported"]
    assert len(rows) - len(own) == len(flat) and len(own) == 8
    first = next(r for r in own if r["event_id"] == "AFG70001")
    assert (first["dataset"], first["id"], first["figure_best"], first["unit"]) == (
        "acled",
        "acled:AFG70001",
        "3",
        "people_killed",
    )
    assert "www.acleddata.com" in first["notes"]
    assert all(r["dataset"] == "" for r in rows if r["kind"] != "imported")


def test_filters_apply_to_the_imported_rows(imported):
    ds, flat = imported
    rows = list(csv.DictReader(io.StringIO(make("csv", ds, flat, Filters(type=("Battles",))).decode())))
    assert {r["event_id"] for r in rows} == {"AFG70001", "AFG70004"}
    rows = list(csv.DictReader(io.StringIO(make("csv", ds, flat, Filters(group=("iskp",))).decode())))
    assert not [r for r in rows if r["kind"] == "imported"]  # curated-only filter: none


def test_geojson_and_xlsx_carry_them_and_credit_the_dataset(imported):
    ds, flat = imported
    collection = json.loads(make("geojson", ds, flat))
    own = [f for f in collection["features"] if f["properties"]["kind"] == "imported"]
    assert len(own) == 8 and own[0]["properties"]["dataset"] == "acled" and own[0]["geometry"]
    assert "www.acleddata.com" in collection["metadata"]["Imported events"]
    book = load_workbook(io.BytesIO(make("xlsx", ds, flat)))
    header = [c.value for c in book["Reports"][1]]
    assert header[-2:] == ["dataset", "event_id"]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows() if row[0].value}
    assert (
        "Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com" in about["Imported events"]
    )


def test_without_imports_the_exports_are_unchanged():
    ds = load_dataset()
    flat = flat_reports(ds)
    header = make("csv", ds, flat).decode("utf-8").splitlines()[0]
    assert header == ",".join(FLAT_COLUMNS)
