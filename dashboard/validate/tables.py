"""Reading CSV files for validation and checking them against the product's Table Schema.

Cells are kept as text: nothing is coerced before it is checked, so "NA" or "012" is reported rather
than guessed at. Rows are numbered as in a spreadsheet (the header is row 1). A file that cannot be read
as a whole (missing, empty, UTF-16, a cell too long) is one problem and is not checked further.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dashboard.schema import Field, Resource
from dashboard.validate.characters import MULTILINE_FIELDS, character_problems
from dashboard.validate.files import read_regular_file
from dashboard.validate.problems import Collector

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

#: The longest cell, in characters (the csv module's default limit): a longer one is almost always a
#: quote that is never closed and has swallowed the rest of the file.
MAX_CELL = 128 * 1024
_UNCLOSED = "look for a quote that is not closed"
#: Tables that may hold no rows: logs start empty (every other table must have rows to be checked).
MAY_BE_EMPTY = frozenset({"audit", "retractions"})


@dataclass
class Table:
    """A CSV file as read for validation: cell text by column name, with spreadsheet row numbers."""

    name: str
    file: str  # path as shown in problems
    rows: list[tuple[int, dict[str, str]]]

    def by_id(self) -> dict[str, tuple[int, dict[str, str]]]:
        """Rows keyed by their ``id`` cell (the first row wins when an id repeats)."""
        out: dict[str, tuple[int, dict[str, str]]] = {}
        for n, row in self.rows:
            if row.get("id"):
                out.setdefault(row["id"], (n, row))
        return out


def number(row: dict[str, str], name: str) -> float | None:
    """The cell ``name`` as a finite number, or None when it is empty or not one (reported elsewhere)."""
    try:
        value = float(row.get(name, ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_table(
    path: Path, resource: Resource, out: Collector, stricter: Sequence[Field] = ()
) -> Table | None:
    """Read one CSV file, checking encoding, header and every cell against ``resource``.

    ``stricter`` fields (from a folder's own copy of the schema) are checked as well. None when the file
    cannot be read as a whole (missing, empty, not UTF-8 text, or not CSV); the problem says why.
    """
    file = out.name(path)
    records = _records(path, file, out)
    if records is None:
        return None
    header = [_clean_cell(file, 1, "", cell, out) for cell in records[0]]
    _check_header(file, header, resource, out)
    rows = []
    for n, record in enumerate(records[1:], start=2):
        if not record:
            out.add(file, n, "", "blank row")
            continue
        if len(record) != len(header):
            out.add(file, n, "", f"has {len(record)} cells; the header has {len(header)}")
        row: dict[str, str] = {}
        for i, name in enumerate(header):
            if name not in row:  # a duplicated column keeps its first cell (the duplicate is reported)
                row[name] = _clean_cell(file, n, name, record[i], out) if i < len(record) else ""
        rows.append((n, row))
    table = Table(resource.name, file, rows)
    _check_cells(table, [*resource.fields, *stricter], out)
    if not rows and resource.name not in MAY_BE_EMPTY:
        out.add(file, 0, "", "no data rows: nothing was checked")
    return table


def _records(path: Path, file: str, out: Collector) -> list[list[str]] | None:
    """The CSV records of ``path`` (header first), or None with the reason reported."""
    try:
        data = read_regular_file(path)
    except OSError as exc:
        out.add(file, 0, "", f"cannot read the file: {exc.strerror or type(exc).__name__}")
        return None
    if data.startswith(_UTF8_BOM):
        out.add(file, 1, "", "starts with a UTF-8 byte-order mark; save it without one")
        data = data[len(_UTF8_BOM) :]
    if data.startswith(_UTF16_BOMS) or data[:256].count(0) * 4 >= len(data[:256]) > 0:
        # Every other byte NUL: UTF-16 (a spreadsheet's "Unicode text"); cell by cell it would be noise.
        out.add(file, 0, "", "not UTF-8 (it looks like UTF-16); save the file as UTF-8")
        return None
    # surrogateescape keeps undecodable bytes so that the cell holding them can be named.
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="surrogateescape"), newline=""))
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as exc:
        limit = csv.field_size_limit()
        why = f"a cell longer than {limit} characters" if "field limit" in str(exc) else str(exc)
        out.add(file, len(records) + 1, "", f"cannot be read as CSV ({why}); {_UNCLOSED}")
        return None
    # The csv module's own limit is process-wide (other libraries raise it), so the data's is kept here.
    long = next((n for n, record in enumerate(records, 1) if any(len(c) > MAX_CELL for c in record)), None)
    if long is not None:
        out.add(
            file, long, "", f"cannot be read as CSV (a cell longer than {MAX_CELL} characters); {_UNCLOSED}"
        )
        return None
    if not records:
        out.add(file, 0, "", "the file is empty (no header row)")
        return None
    return records


def _clean_cell(file: str, n: int, name: str, cell: str, out: Collector) -> str:
    """Report bytes that are not UTF-8 (kept as surrogates) and replace them, so later checks run."""
    bad = sorted({ord(ch) - 0xDC00 for ch in cell if 0xDC80 <= ord(ch) <= 0xDCFF})
    if not bad:
        return cell
    shown = " ".join(f"0x{b:02x}" for b in bad)
    out.add(file, n, name, f"not valid UTF-8 (bytes {shown}); save the file as UTF-8")
    return "".join("\ufffd" if 0xDC80 <= ord(ch) <= 0xDCFF else ch for ch in cell)


def _check_header(file: str, header: list[str], resource: Resource, out: Collector) -> None:
    """Duplicate, missing, unexpected and reordered columns, each named in row 1."""
    expected = resource.field_names
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if name in seen:
            out.add(file, 1, name, f"duplicate column name (columns {seen[name]} and {i})")
        else:
            seen[name] = i
    for name in expected:
        if name not in seen:
            out.add(file, 1, name, "missing column")
    for name in seen:
        if name not in expected:
            out.add(file, 1, name, "unexpected column (not in the schema)")
    # Order matters because the loader and the exports rely on the schema's column order.
    present = [name for name in seen if name in expected]
    wanted = [name for name in expected if name in seen]
    if present != wanted:
        first = next(a for a, b in zip(present, wanted, strict=True) if a != b)
        out.add(file, 1, first, f"columns are out of order; the schema's order is {', '.join(expected)}")


def _check_cells(table: Table, fields: Sequence[Field], out: Collector) -> None:
    """Stray spaces, characters, every field constraint, and uniqueness (naming the row that came first).

    A message two fields give for the same cell (the product's and a stricter copy's) is reported once.
    """
    firsts: dict[int, dict[str, int]] = {i: {} for i, f in enumerate(fields) if f.unique}
    for n, row in table.rows:
        for name, value in row.items():
            if value != value.strip():
                out.add(table.file, n, name, "has leading or trailing spaces")
            for message in character_problems(value, multiline=name in MULTILINE_FIELDS):
                out.add(table.file, n, name, message)
        seen: set[tuple[str, str]] = set()
        for i, fld in enumerate(fields):
            if fld.name not in row:
                continue
            value = row[fld.name]
            messages = fld.check(value)
            if fld.unique and value:
                first = firsts[i].setdefault(value, n)
                if first != n:
                    messages.append(f"duplicate {fld.name} {value!r} (first at row {first})")
            for message in messages:
                if (fld.name, message) not in seen:
                    seen.add((fld.name, message))
                    out.add(table.file, n, fld.name, message)
