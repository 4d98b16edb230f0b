"""The filtered reports as CSV, Excel and GeoJSON, with their provenance columns.

All three carry ``model.FLAT_COLUMNS`` under the same names, one row or feature per report.

* CSV: UTF-8 with a header row; the one implementation of the formula rule (``neutralise``: a text
  cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading apostrophe); numeric columns
  are written as plain numbers (``values.plain_number``: 6500, not 6500.0), so "-77.03637" stays a
  longitude.
* Excel: numeric columns are number cells; every text cell is a string cell, never a formula, and a
  formula-like one also gets Excel's "quote prefix" (what typing a leading apostrophe does), so the
  text stays verbatim (a quote is not altered) and editing the cell does not turn it into a formula.
* GeoJSON (RFC 7946): a FeatureCollection of Point features at the record's first place (WGS 84,
  longitude first), or ``null`` geometry when the record names no place; no ``crs`` member.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from typing import TextIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dashboard.model import FLAT_COLUMNS
from dashboard.values import number_or_none, plain_number, text_or_empty

__all__ = ["NUMERIC_COLUMNS", "csv_bytes", "geojson_bytes", "geojson_collection", "neutralise", "xlsx_bytes"]

#: Coordinates keep 6 decimals (~0.1 m), as RFC 7946 section 11.2 advises against false precision.
COORD_DECIMALS = 6
#: Characters XML 1.0 (and so an .xlsx file) cannot hold; replaced by U+FFFD and reported in "About".
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Column widths (characters) in the Excel sheet; other columns get 14.
_WIDTHS = {"quote": 80, "subject": 40, "title": 40, "date_basis": 40, "notes": 40, "url": 40, "document": 26}
#: Columns written as numbers.
NUMERIC_COLUMNS = frozenset({"figure_low", "figure_best", "figure_high", "lat", "lon", "location_precision"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: object) -> str:
    """Text made inert for spreadsheets: a leading apostrophe before a formula-like start."""
    text = "" if text is None or text is pd.NA else str(text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_rows(flat: pd.DataFrame, out: TextIO) -> int:
    """Write the header and every row of ``flat`` (in ``FLAT_COLUMNS`` order) to ``out``; return rows."""
    writer = csv.writer(out)
    writer.writerow(FLAT_COLUMNS)
    count = 0
    for record in flat[list(FLAT_COLUMNS)].to_dict("records"):
        writer.writerow(
            plain_number(record[c]) if c in NUMERIC_COLUMNS else neutralise(record[c]) for c in FLAT_COLUMNS
        )
        count += 1
    return count


def csv_bytes(flat: pd.DataFrame) -> bytes:
    """The rows as CSV (UTF-8, header row, ``FLAT_COLUMNS`` order, formula cells neutralised)."""
    out = io.StringIO(newline="")
    write_rows(flat, out)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(flat: pd.DataFrame, about: Mapping[str, str] | None = None) -> bytes:
    """The rows as an Excel workbook: sheet "Reports" (``FLAT_COLUMNS``) and sheet "About".

    ``about`` (label -> text: title, as of, filters, caveat, ...) heads the "About" sheet.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Reports"
    sheet.append(list(FLAT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    replaced = 0
    for r, record in enumerate(flat[list(FLAT_COLUMNS)].to_dict("records"), start=2):
        for c, column in enumerate(FLAT_COLUMNS, start=1):
            if column in NUMERIC_COLUMNS:
                sheet.cell(row=r, column=c, value=number_or_none(record[column]))
                continue
            text, count = _XML_ILLEGAL.subn("\ufffd", text_or_empty(record[column]))
            replaced += count
            _string_cell(sheet.cell(row=r, column=c), text)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(FLAT_COLUMNS))}{max(1, len(flat) + 1)}"
    for c, column in enumerate(FLAT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = _WIDTHS.get(column, 14)
    _about_sheet(book, about or {}, len(flat), replaced)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _string_cell(cell, text: str) -> None:
    """Store ``text`` as a string, never a formula (openpyxl reads a leading "=" as one)."""
    cell.value = text
    cell.data_type = "s"
    if neutralise(text) != text:  # the CSV rule decides what looks like a formula
        cell.quotePrefix = True


def _about_sheet(book: Workbook, about: Mapping[str, str], rows: int, replaced: int) -> None:
    sheet = book.create_sheet("About")
    lines = [(label, text) for label, text in about.items() if text]
    lines.append(("Rows", str(rows)))
    lines.append(
        (
            "Columns",
            "Described in docs/export-columns.md; one row per report (a claim or event "
            "in one document, with its verbatim quote).",
        )
    )
    if replaced:
        lines.append(
            (
                "Note",
                f"{replaced} control character(s) that Excel files cannot hold were "
                "replaced by U+FFFD; the CSV export keeps them.",
            )
        )
    for label, text in lines:
        sheet.append([None, None])
        row = sheet.max_row
        _string_cell(sheet.cell(row=row, column=1), _XML_ILLEGAL.sub("\ufffd", str(label)))
        _string_cell(sheet.cell(row=row, column=2), _XML_ILLEGAL.sub("\ufffd", str(text)))
        sheet.cell(row=row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 100


def _properties(record: dict) -> dict:
    props = {}
    for column in FLAT_COLUMNS:
        value = record[column]
        props[column] = number_or_none(value) if column in NUMERIC_COLUMNS else text_or_empty(value)
    return props


def _geometry(record: dict) -> dict | None:
    lat, lon = number_or_none(record["lat"]), number_or_none(record["lon"])
    if lat is None or lon is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"report {record['report_id']}: position ({lat}, {lon}) is not a WGS 84 lat/lon")
    return {"type": "Point", "coordinates": [round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)]}


def geojson_collection(flat: pd.DataFrame, about: Mapping[str, str] | None = None) -> dict:
    """An RFC 7946 FeatureCollection: one feature per report, ``id`` = report id, flat columns as properties.

    ``about`` (title, as of, filters, ...) goes into a ``metadata`` foreign member of the collection.
    ``bbox`` covers the placed features (omitted when none is placed).
    """
    features = []
    for record in flat[list(FLAT_COLUMNS)].to_dict("records"):
        features.append(
            {
                "type": "Feature",
                "id": text_or_empty(record["report_id"]),
                "geometry": _geometry(record),
                "properties": _properties(record),
            }
        )
    out: dict = {"type": "FeatureCollection"}
    points = [f["geometry"]["coordinates"] for f in features if f["geometry"]]
    if points:
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        out["bbox"] = [min(lons), min(lats), max(lons), max(lats)]
    if about:
        out["metadata"] = {str(k): str(v) for k, v in about.items() if v}
    out["features"] = features
    return out


def geojson_bytes(flat: pd.DataFrame, about: Mapping[str, str] | None = None) -> bytes:
    """The FeatureCollection as UTF-8 JSON (no NaN or Infinity, which JSON does not allow)."""
    collection = geojson_collection(flat, about)
    return json.dumps(collection, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8")
