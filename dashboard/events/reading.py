"""Read an export (CSV or XLSX) into a DuckDB table of text cells, one row per data row, with its number.

Every cell stays text (nothing is guessed at); headers are trimmed and lower-cased, so ``Event_Date``
and ``event_date `` are the same column. ``ROW_NUMBER`` gives a row's number as a spreadsheet shows it:
the header is row 1, the first data row row 2 (a record whose quoted notes span lines counts once).

A CSV is not copied: ``raw`` is a view over the file, read once by whoever selects from it (copying a
million rows of text costs more than reading the file again).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

#: File endings read as spreadsheets; everything else is read as CSV.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")


class ReadError(Exception):
    """The file cannot be read as an export at all (nothing is imported)."""


def load_raw(con: duckdb.DuckDBPyConnection, path: Path, table: str = "raw") -> list[str]:
    """Create ``table`` over the file at ``path`` (rows in the file's order, insertion order being kept:
    a view over a CSV, a table for a spreadsheet); return its column names (normalised, in file order).

    Select ``ROW_NUMBER`` from it once, in the statement that copies what is needed: it numbers the
    rows in the order they are read."""
    path = Path(path)
    if not path.is_file():
        raise ReadError("not a readable file")
    try:
        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            con.register("_sheet", _spreadsheet(path))
            source = "_sheet"
        else:
            literal = str(path).replace("'", "''")
            source = (
                f"read_csv('{literal}', header = true, all_varchar = true, strict_mode = false, "
                "null_padding = true)"
            )
        columns = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        normal = [_normal(c) for c in columns]
        duplicates = sorted({c for c in normal if normal.count(c) > 1})
        if duplicates:
            raise ReadError(f"the header names a column more than once: {', '.join(duplicates)}")
        renames = ", ".join(
            f'"{old.replace(chr(34), chr(34) * 2)}" AS "{new}"'
            for old, new in zip(columns, normal, strict=True)
        )
        if source == "_sheet":  # the registered frame goes away below: keep its rows
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {renames} FROM {source}")
        else:
            con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT {renames} FROM {source}")
    except (duckdb.Error, ValueError, OSError) as exc:
        raise ReadError(f"cannot be read as CSV or XLSX: {first_line(exc)}") from None
    finally:
        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            con.unregister("_sheet")
    return normal


#: SQL for a row's number as a spreadsheet shows it: the header is row 1, the first data row row 2.
#: DuckDB numbers the rows of an unordered window as they stream from the file, in the file's order
#: while insertion order is preserved (the import's connection sets ``preserve_insertion_order``).
ROW_NUMBER = "row_number() OVER () + 1"


def _spreadsheet(path: Path) -> pd.DataFrame:
    """The first sheet as text cells (dates as written by the exporter: ISO for real dates)."""
    frame = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False, engine="openpyxl")
    for column in frame.columns:  # a date cell arrives as "2023-05-01 00:00:00": keep the day
        frame[column] = (
            frame[column].astype(str).str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", r"\1", regex=True)
        )
    frame.columns = [str(c) for c in frame.columns]
    return frame.astype(object)


def _normal(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower()


def first_line(exc: Exception) -> str:
    """The first line of an error's message (DuckDB's run on with hints), or the error's type."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
