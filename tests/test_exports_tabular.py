"""CSV, Excel and GeoJSON: provenance columns, formula cells neutralised, numbers numeric, RFC 7946."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile

import geopandas as gpd
import pytest
from openpyxl import load_workbook
from test_exports_fixtures import FORMULA, XSS, load_hostile

from dashboard.exports.tabular import csv_bytes, geojson_bytes, xlsx_bytes
from dashboard.model import FLAT_COLUMNS


@pytest.fixture
def hostile(tmp_path):
    """(dataset, flat table) with the hostile quotes (see ``test_exports_fixtures``)."""
    return load_hostile(tmp_path / "hostile")


NUMERIC = ("figure_low", "figure_best", "figure_high", "lat", "lon", "location_precision")


def test_csv_neutralises_formulas_and_keeps_numbers(hostile):
    _, flat = hostile
    rows = list(csv.DictReader(io.StringIO(csv_bytes(flat).decode("utf-8"))))
    assert list(rows[0]) == list(FLAT_COLUMNS)
    by_id = {r["report_id"]: r for r in rows}
    assert by_id["r006"]["quote"] == "'" + FORMULA
    assert by_id["r005"]["quote"] == XSS  # not a formula start: verbatim
    assert by_id["r001"]["figure_high"] == "6500"
    assert by_id["r005"]["lat"] == "38.53575"
    for row in rows:
        for column in FLAT_COLUMNS:
            if column not in NUMERIC:
                assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), (
                    row["report_id"],
                    column,
                )


def test_xlsx_cells_are_strings_or_numbers_never_formulas(hostile):
    _, flat = hostile
    data = xlsx_bytes(flat, {"Title": "=cmd|' /C calc'!A0", "Caveat": "Unclassified"})
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in book.read(name) and b"<f " not in book.read(name), name
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Reports"]
    header = [c.value for c in sheet[1]]
    assert header == list(FLAT_COLUMNS)
    rows = {row[header.index("report_id")].value: row for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == len(flat)
    quote = rows["r006"][header.index("quote")]
    assert quote.value == FORMULA and quote.data_type == "s" and quote.quotePrefix
    assert rows["r005"][header.index("quote")].value == XSS
    assert rows["r001"][header.index("figure_high")].value == 6500
    assert isinstance(rows["r005"][header.index("lat")].value, float)
    assert rows["r005"][header.index("location_precision")].value == 1
    assert rows["r001"][header.index("figure_best")].value is None  # missing stays empty, not 0 or "nan"
    about = {r[0].value: r[1].value for r in workbook["About"].iter_rows()}
    assert about["Title"] == "=cmd|' /C calc'!A0" and workbook["About"]["B1"].quotePrefix


def _check_rfc7946(doc: dict) -> None:
    """The rules of RFC 7946 that apply to a FeatureCollection of points."""
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # section 4: no crs member
    assert isinstance(doc["features"], list)
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) >= {"type", "geometry", "properties"}
        assert isinstance(feature["properties"], dict)
        assert isinstance(feature.get("id", ""), str | int)
        geometry = feature["geometry"]
        if geometry is None:
            continue
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]  # section 3.1.1: longitude first, two numbers
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    if "bbox" in doc:  # section 5: west, south, east, north containing every position
        west, south, east, north = doc["bbox"]
        for feature in doc["features"]:
            if feature["geometry"]:
                lon, lat = feature["geometry"]["coordinates"]
                assert west <= lon <= east and south <= lat <= north


def test_geojson_is_rfc7946_with_provenance(hostile):
    _, flat = hostile
    flat = flat.copy()
    flat.loc[flat["report_id"] == "r004", ["lat", "lon"]] = math.nan  # a record with no place
    data = geojson_bytes(flat, {"Title": "t", "Caveat": ""})
    doc = json.loads(data, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    _check_rfc7946(doc)
    features = {f["id"]: f for f in doc["features"]}
    assert len(features) == len(flat)
    assert features["r004"]["geometry"] is None
    r005 = features["r005"]
    assert r005["geometry"]["coordinates"] == [68.77905, 38.53575]
    assert list(r005["properties"]) == list(FLAT_COLUMNS)  # named as in the CSV export
    assert r005["properties"]["quote"] == XSS and r005["properties"]["document"] == "000_test.txt"
    assert features["r001"]["properties"]["figure_high"] == 6500
    assert features["r001"]["properties"]["figure_low"] is None
    assert doc["metadata"] == {"Title": "t"}
    frame = gpd.read_file(io.BytesIO(data))  # GDAL reads it as WGS 84 points
    assert frame.crs.to_epsg() == 4326 and len(frame) == len(flat)


def test_geojson_refuses_positions_outside_wgs84(hostile):
    _, flat = hostile
    flat = flat.copy()
    flat.loc[flat["report_id"] == "r005", "lat"] = 120.0
    with pytest.raises(ValueError, match="r005"):
        geojson_bytes(flat)
