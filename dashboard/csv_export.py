"""The CSV export's former home, kept so that existing imports work: everything is in
:mod:`dashboard.exports.tabular` (the formula rule, the row writer) and :mod:`dashboard.values`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.exports.tabular import NUMERIC_COLUMNS, csv_bytes, neutralise, write_rows
from dashboard.filters import apply_filters
from dashboard.model import Filters
from dashboard.values import plain_number as format_number

__all__ = ["NUMERIC_COLUMNS", "export_csv", "format_number", "neutralise", "write_rows"]


def export_csv(flat: pd.DataFrame, path: Path, filters: Filters | None = None) -> int:
    """Write ``flat`` (filtered by ``filters`` if given) to ``path``; return the number of rows written."""
    rows = apply_filters(flat, filters) if filters is not None else flat
    Path(path).write_bytes(csv_bytes(rows))
    return len(rows)
