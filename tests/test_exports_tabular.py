"""CSV, Excel and GeoJSON: provenance columns, formula cells neutralised, numbers numeric, RFC 7946."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import load_workbook
from test_exports_fixtures import FORMULA, XSS, load_hostile

from dashboard.exports.tabular import csv_bytes, geojson_bytes, neutralise, xlsx_bytes
from dashboard.model import FLAT_COLUMNS


@pytest.fixture
def hostile(tmp_path):
    """(dataset, flat table) with the hostile quotes (see ``test_exports_fixtures``)."""
    return load_hostile(tmp_path / "hostile")


NUMERIC = (
    "figure_low",
    "figure_best",
    "figure_high",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "lat",
    "lon",
    "location_precision",
)


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


def _positions(geometry: dict) -> list[list[float]]:
    """The positions of a Point (one) or a MultiPoint (each of its points)."""
    return [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]


def _check_rfc7946(doc: dict) -> None:
    """The rules of RFC 7946 that apply to a FeatureCollection of points and multipoints."""
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
        assert geometry["type"] in ("Point", "MultiPoint")
        for lon, lat in _positions(geometry):  # section 3.1.1: longitude first, two numbers
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    if "bbox" in doc:  # section 5: west, south, east, north containing every position
        west, south, east, north = doc["bbox"]
        for feature in doc["features"]:
            for lon, lat in _positions(feature["geometry"]) if feature["geometry"] else []:
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


# --- formulas hidden behind separators ----------------------------------------------------------------

#: Payloads for every text column: a formula after each separator a spreadsheet import may split on
#: (LibreOffice offers ';', ',', tab and space), with and without spaces before it.
PAYLOADS = (
    "'=2+3;=4+5",
    "a;=1+1",
    "x,=2+2",
    "y\t=3+3",
    "z\n=4+4",
    "w\r=4+4",
    "v; =5+5",
    "+1+1;-2+2;@SUM(1,2)",
    ' =HYPERLINK("http://example.invalid","c")',
    "@x, +y, -z",
)
SEPARATORS = re.compile(r"[;,\t\r\n]")
FORMULA_STARTS = ("=", "+", "-", "@")
TEXT_COLUMNS = [c for c in FLAT_COLUMNS if c not in NUMERIC]


def _with_payloads(flat: pd.DataFrame) -> pd.DataFrame:
    """``flat`` plus one row per payload, the payload in every text column; a real negative longitude."""
    rows = []
    for i, payload in enumerate(PAYLOADS):
        row = flat.iloc[i % len(flat)].copy()
        row[TEXT_COLUMNS] = payload
        rows.append(row)
    out = pd.concat([flat, pd.DataFrame(rows)], ignore_index=True)
    out.loc[0, "lon"] = -77.03637
    return out


def _formula_segments(text: str) -> list[str]:
    """The pieces of ``text`` that a split on ';', ',', tab, CR or LF (spaces trimmed) would start a
    formula with."""
    return [s for s in SEPARATORS.split(text) if s.lstrip(" ").startswith(FORMULA_STARTS)]


def test_neutralise_covers_every_segment():
    assert neutralise("'=2+3;=4+5") == "'=2+3;'=4+5"
    assert neutralise("a;=1+1") == "a;'=1+1"
    assert neutralise("x, @y") == "x,' @y"
    assert neutralise(" =1+1") == "' =1+1"
    assert neutralise("y\t-3") == "y\t'-3"
    assert neutralise("a-b; c - d, e+f") == "a-b; c - d, e+f"  # no formula start: unchanged
    assert neutralise("badakhshan;kunduz") == "badakhshan;kunduz"


def test_csv_cells_split_on_any_separator_start_no_formula(hostile):
    _, flat = hostile
    flat = _with_payloads(flat)
    text = csv_bytes(flat).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(flat)
    for row in rows:
        for column in TEXT_COLUMNS:
            assert not _formula_segments(row[column]), (row["report_id"], column, row[column])
        for column in NUMERIC:  # numbers stay numbers, negative ones included
            if row[column]:
                float(row[column])
    assert rows[0]["lon"] == "-77.03637"
    # Quotes honoured, the cells read back as neutralised; the split-able payloads lost nothing else.
    payload_rows = rows[len(flat) - len(PAYLOADS) :]
    assert [r["quote"] for r in payload_rows] == [neutralise(p) for p in PAYLOADS]
    assert payload_rows[0]["places"] == "'=2+3;'=4+5"


def test_csv_quotes_every_text_cell_and_leaves_numbers_bare(hostile):
    """A quoted cell is never split by an import that honours quotes (LibreOffice's and Excel's
    default), whatever separators it is given, spaces included."""
    _, flat = hostile
    flat = _with_payloads(flat)
    header, _, body = csv_bytes(flat).decode("utf-8").partition("\r\n")
    assert header.split(",") == list(FLAT_COLUMNS)  # fixed names, written bare
    reader = csv.reader(io.StringIO(body, newline=""), quoting=csv.QUOTE_NONNUMERIC)
    count = 0
    for row in reader:  # QUOTE_NONNUMERIC: a bare field becomes a float, a quoted one stays text
        count += 1
        for column, value in zip(FLAT_COLUMNS, row, strict=True):
            if column in NUMERIC:
                assert value == "" or isinstance(value, float), (column, value)
            else:
                assert isinstance(value, str), (column, value)
    assert count == len(flat)


def test_csv_read_without_quotes_starts_no_formula(hostile):
    """An import told to ignore quotes splits the raw text: every piece is inert or a real number."""
    _, flat = hostile
    text = csv_bytes(_with_payloads(flat)).decode("utf-8")
    for piece in re.split(r"[;,\t\r\n]", text):
        piece = piece.strip(" ")
        if piece.startswith(FORMULA_STARTS):
            float(piece)  # only the numeric columns' bare numbers (a negative longitude) start so


def test_xlsx_has_no_formula_and_every_segment_is_neutralised(hostile):
    _, flat = hostile
    flat = _with_payloads(flat)
    book = load_workbook(io.BytesIO(xlsx_bytes(flat, {"Title": "a;=1+1", "Caveat": "x,@y"})))
    strings = 0
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if not isinstance(cell.value, str):
                    continue
                strings += 1
                first, *rest = SEPARATORS.split(cell.value)
                if first.lstrip(" ").startswith(FORMULA_STARTS):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                for segment in rest:
                    assert not segment.lstrip(" ").startswith(FORMULA_STARTS), (cell.coordinate, cell.value)
    assert strings > len(flat)
    sheet = book["Reports"]
    header = [c.value for c in sheet[1]]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[header.index("quote")] == "@x,' +y,' -z"  # the start keeps its text under the prefix
    assert sheet.cell(row=2, column=header.index("lon") + 1).value == -77.03637


def test_geojson_properties_stay_verbatim(hostile):
    """GeoJSON is data for GIS tools, not a spreadsheet: its text is exactly the data's."""
    _, flat = hostile
    flat = _with_payloads(flat)
    doc = json.loads(geojson_bytes(flat))
    quotes = [f["properties"]["quote"] for f in doc["features"]][-len(PAYLOADS) :]
    assert quotes == list(PAYLOADS)


def test_geojson_carries_every_place_of_a_claim_and_an_event_where_it_happened(flat):
    flat = flat.copy()
    doc = json.loads(geojson_bytes(flat))
    features = {f["id"]: f for f in doc["features"]}
    # c002 concerns Fayzabad and Badakhshan: both, in order, not only the first
    assert features["r002"]["geometry"] == {
        "type": "MultiPoint",
        "coordinates": [[70.58002, 37.11664], [71.2, 37.0]],
    }
    assert features["r005"]["geometry"] == {"type": "Point", "coordinates": [68.77905, 38.53575]}
    assert doc["bbox"][2] == 71.2  # every position counts, not only the map positions
    frame = gpd.read_file(io.BytesIO(geojson_bytes(flat)))
    assert set(frame.geom_type) == {"Point", "MultiPoint"}
    flat.loc[flat["report_id"] == "r005", ["lat", "lon"]] = math.nan  # an event whose text names no place
    assert json.loads(geojson_bytes(flat))["features"][4]["geometry"] is None


def test_csv_lists_every_place_with_its_position(flat):
    rows = {r["report_id"]: r for r in csv.DictReader(io.StringIO(csv_bytes(flat).decode("utf-8")))}
    r002 = rows["r002"]
    assert (r002["places"], r002["place_names"], r002["place_lats"], r002["place_lons"]) == (
        "fayzabad;badakhshan",
        "Fayzabad;Badakhshan",
        "37.11664;37.0",
        "70.58002;71.2",
    )
    assert (rows["r005"]["location"], rows["r005"]["location_name"]) == ("dushanbe", "Dushanbe")
