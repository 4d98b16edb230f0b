"""Write the flat report table as CSV that a spreadsheet opens safely.

UTF-8 with a header row. Whole numbers print without ".0" (6500, not 6500.0). Text cells that a
spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) get a leading
apostrophe; the numeric columns (figures, lat, lon, location_precision) are written as numbers and left
alone, so "-77.03637" stays a longitude.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from dashboard.filters import apply_filters
from dashboard.model import FLAT_COLUMNS, Filters

#: Columns written as numbers.
NUMERIC_COLUMNS = frozenset({"figure_low", "figure_best", "figure_high", "lat", "lon", "location_precision"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def format_number(value: object) -> str:
    """A number as plain decimal text: "" for missing, no trailing ".0", no exponent."""
    if value is None or value is pd.NA:
        return ""
    number = float(value)
    if math.isnan(number):
        return ""
    if number.is_integer():
        return str(int(number))
    return np.format_float_positional(number, trim="-")


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
            format_number(record[c]) if c in NUMERIC_COLUMNS else neutralise(record[c]) for c in FLAT_COLUMNS
        )
        count += 1
    return count


def export_csv(flat: pd.DataFrame, path: Path, filters: Filters | None = None) -> int:
    """Write ``flat`` (filtered by ``filters`` if given) to ``path``; return the number of rows written."""
    rows = apply_filters(flat, filters) if filters is not None else flat
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        return write_rows(rows, out)
