"""The filtered reports as CSV, Excel and GeoJSON, with their provenance columns.

All three carry ``model.FLAT_COLUMNS`` under the same names, one row or feature per report.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and an import
may split one cell into several: LibreOffice's CSV dialog offers ``;``, ``,``, tab and space as
separators, and list cells join their items with ``;``. So a formula could hide behind any separator
("'=2+3;=4+5"). Two rules keep every piece of a cell inert:

* :func:`neutralise`: a *segment* (the cell's start, or the text after a ``;``, ``,``, tab, CR or LF)
  that starts like a formula, after any spaces, gets a leading ``'``; so does a cell starting with a tab
  or CR. Spaces are not treated as separators: prose is full of " -" and " +", and rewriting them
  would garble quotes, while the quoting below keeps a space-split import from reaching them.
* CSV quotes every text cell (RFC 4180 double quotes), so an import that honours quotes, as
  LibreOffice and Excel do by default, never splits inside one, whatever separators are chosen.
  Numeric columns (figures, fatalities, lat, lon, location_precision) are written bare as plain
  numbers, so "-77.03637" stays a longitude.
* Excel: numeric columns are number cells; every text cell is a string cell, never a formula. A cell
  that starts like a formula keeps its text and gets Excel's "quote prefix" (what typing a leading
  apostrophe does); a formula-like segment inside a cell gets the ``'`` of :func:`neutralise`, so
  splitting the column (Excel's Text to Columns) cannot turn it into a formula either.
* GeoJSON (RFC 7946): a FeatureCollection, one feature per report (WGS 84, longitude first; no ``crs``
  member). A claim's geometry carries every place it concerns: a Point for one place, a MultiPoint (in
  the order of ``places``) for several, so that 4,000 fighters "in Badakhshan, Kunduz and Takhar" are
  at all three; an event's is the Point where it happened (its ``location``), ``null`` when the text
  names no place, as the map lists such an event without drawing it (the places it concerns are in the
  ``places`` and ``place_lats``/``place_lons`` properties). A record with no place has ``null``
  geometry. Properties are data for GIS tools, not spreadsheet cells, and stay verbatim.

In CSV and Excel the same positions are the list columns ``places``, ``place_names``, ``place_lats``,
``place_lons`` and ``place_precisions`` (one item per place, in order).
"""

from __future__ import annotations

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
from dashboard.values import number_or_none, plain_number, split_ids, text_or_empty

__all__ = [
    "NUMERIC_COLUMNS",
    "csv_bytes",
    "geojson_bytes",
    "geojson_collection",
    "neutralise",
    "write_rows",
    "xlsx_bytes",
]

#: Columns written after ``FLAT_COLUMNS`` when the rows have them: imported events' dataset and own
#: event id (``dashboard.events.export``).
EXTRA_COLUMNS: tuple[str, ...] = ("dataset", "event_id")


def columns_of(flat: pd.DataFrame) -> list[str]:
    """``FLAT_COLUMNS``, then whichever ``EXTRA_COLUMNS`` the rows carry."""
    return [*FLAT_COLUMNS, *(c for c in EXTRA_COLUMNS if c in flat.columns)]


#: Columns written as numbers.
NUMERIC_COLUMNS = frozenset(
    {
        "figure_low",
        "figure_best",
        "figure_high",
        "fatalities_low",
        "fatalities_best",
        "fatalities_high",
        "lat",
        "lon",
        "location_precision",
    }
)
#: Characters that start a formula in Excel, LibreOffice Calc or Google Sheets.
FORMULA_CHARS = "=+-@"
#: Where an import may cut a cell: LibreOffice's separators but space, and line breaks (a reader that
#: ignores quotes ends the row there).
SEGMENT_SEPARATORS = ";,\t\r\n"
_FORMULA = re.escape(FORMULA_CHARS)
#: A formula-like start: spaces (which a "trim spaces" import removes), then a formula character.
_FORMULA_START = re.compile(rf" *[{_FORMULA}]")
#: The position just after a separator where a formula-like segment begins.
_FORMULA_SEGMENT = re.compile(rf"(?<=[{SEGMENT_SEPARATORS}])(?= *[{_FORMULA}])")


def formula_like(text: str) -> bool:
    """True when ``text`` starts like a formula (after any spaces) or with a tab or CR."""
    return text.startswith(("\t", "\r")) or _FORMULA_START.match(text) is not None


def neutralise_segments(text: str) -> str:
    """``text`` with a ``'`` after every separator that is followed by a formula-like segment.

    The cell's own start is left alone (:func:`neutralise` and Excel's quote prefix handle it).
    """
    return _FORMULA_SEGMENT.sub("'", text)


def neutralise(value: object) -> str:
    """Text made inert for spreadsheets: a ``'`` before every segment that starts like a formula.

    "-5" -> "'-5"; "a;=1+1" -> "a;'=1+1"; "x, @y" -> "x,' @y"; "a-b" and "a -b" stay as they are.
    A blank value gives "".
    """
    text = neutralise_segments(text_or_empty(value))
    return "'" + text if formula_like(text) else text


def _csv_field(value: object, numeric: bool) -> str:
    """One CSV field: a bare plain number, or quoted neutralised text (quotes doubled, RFC 4180)."""
    if numeric:
        return plain_number(value)
    return '"' + neutralise(value).replace('"', '""') + '"'


def write_rows(flat: pd.DataFrame, out: TextIO) -> int:
    """Write the header and every row of ``flat`` (in ``FLAT_COLUMNS`` order) to ``out``; return rows.

    The header's fixed column names are written bare; lines end with CRLF (RFC 4180), so open ``out``
    with ``newline=""``.
    """
    columns = columns_of(flat)
    out.write(",".join(columns) + "\r\n")
    count = 0
    for record in flat[columns].to_dict("records"):
        out.write(",".join(_csv_field(record[c], c in NUMERIC_COLUMNS) for c in columns) + "\r\n")
        count += 1
    return count


#: Coordinates keep 6 decimals (~0.1 m), as RFC 7946 section 11.2 advises against false precision.
COORD_DECIMALS = 6
#: Characters XML 1.0 (and so an .xlsx file) cannot hold; replaced by U+FFFD and reported in "About".
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Column widths (characters) in the Excel sheet; other columns get 14.
_WIDTHS = {
    "quote": 80,
    "subject": 40,
    "title": 40,
    "date_basis": 40,
    "said_basis": 40,
    "figure_coding": 40,
    "notes": 40,
    "url": 40,
    "document": 26,
}


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
    columns = columns_of(flat)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    replaced = 0
    for r, record in enumerate(flat[columns].to_dict("records"), start=2):
        for c, column in enumerate(columns, start=1):
            if column in NUMERIC_COLUMNS:
                sheet.cell(row=r, column=c, value=number_or_none(record[column]))
                continue
            text, count = _XML_ILLEGAL.subn("\ufffd", text_or_empty(record[column]))
            replaced += count
            _string_cell(sheet.cell(row=r, column=c), text)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(flat) + 1)}"
    for c, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = _WIDTHS.get(column, 14)
    _about_sheet(book, about or {}, len(flat), replaced)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _string_cell(cell, text: str) -> None:
    """Store ``text`` as a string, never a formula (openpyxl reads a leading "=" as one).

    The start keeps its text under Excel's quote prefix; inner segments get the CSV rule's ``'``.
    """
    text = neutralise_segments(text)
    cell.value = text
    cell.data_type = "s"
    if formula_like(text):
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
    for column in record:
        value = record[column]
        props[column] = number_or_none(value) if column in NUMERIC_COLUMNS else text_or_empty(value)
    return props


def _geometry(record: dict) -> dict | None:
    """A claim's places as a Point or MultiPoint; an event's location as a Point; None when unplaced.

    ``lat``/``lon`` (the map position) decide whether a record is placed at all; a claim's other places
    come from ``place_lats``/``place_lons``.
    """
    lat, lon = number_or_none(record["lat"]), number_or_none(record["lon"])
    if lat is None or lon is None:
        return None
    positions = [_position(record, lat, lon)]
    if record["kind"] == "claim":
        for lat_lon in _listed_positions(record):
            other = _position(record, *lat_lon)
            if other not in positions:
                positions.append(other)
    if len(positions) == 1:
        return {"type": "Point", "coordinates": positions[0]}
    return {"type": "MultiPoint", "coordinates": positions}


def _listed_positions(record: dict) -> list[tuple[float, float]]:
    """(lat, lon) of every place in ``place_lats``/``place_lons``.

    The flat table builds both lists from the places table; lists that do not hold as many numbers as
    each other (a table edited by hand) give no extra position, and the record stays at its map position.
    """
    try:
        lats = [float(v) for v in split_ids(record["place_lats"])]
        lons = [float(v) for v in split_ids(record["place_lons"])]
    except ValueError:
        return []
    return list(zip(lats, lons, strict=True)) if len(lats) == len(lons) else []


def _position(record: dict, lat: object, lon: object) -> list[float]:
    """[lon, lat] rounded, after checking that the pair is a WGS 84 position."""
    lat, lon = float(lat), float(lon)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"report {record['report_id']}: position ({lat}, {lon}) is not a WGS 84 lat/lon")
    return [round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)]


def _positions(geometry: dict) -> list[list[float]]:
    return [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]


def geojson_collection(flat: pd.DataFrame, about: Mapping[str, str] | None = None) -> dict:
    """An RFC 7946 FeatureCollection: one feature per report, ``id`` = report id, flat columns as properties.

    ``about`` (title, as of, filters, ...) goes into a ``metadata`` foreign member of the collection.
    ``bbox`` covers the placed features (omitted when none is placed).
    """
    features = []
    for record in flat[columns_of(flat)].to_dict("records"):
        features.append(
            {
                "type": "Feature",
                "id": text_or_empty(record["report_id"]),
                "geometry": _geometry(record),
                "properties": _properties(record),
            }
        )
    out: dict = {"type": "FeatureCollection"}
    points = [p for f in features if f["geometry"] for p in _positions(f["geometry"])]
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
