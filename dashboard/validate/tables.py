"""Reading CSV files for validation and checking them against their Frictionless Table Schema.

Cells are kept as text: nothing is coerced before it is checked, so "NA" or "012" is reported rather
than guessed at. Rows are numbered as in a spreadsheet (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from dashboard.schema import Resource, load_package
from dashboard.validate.problems import Collector

_UTF8_BOM = b"\xef\xbb\xbf"


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


def read_package(folder: Path, out: Collector) -> dict[str, Resource]:
    """The tabular resources of ``folder/datapackage.json``; none (and a problem) when unreadable."""
    path = folder / "datapackage.json"
    try:
        return load_package(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        out.add(out.name(path), 0, "", f"cannot read the data package: {exc}")
        return {}


def read_table(path: Path, resource: Resource, out: Collector) -> Table | None:
    """Read one CSV file, checking encoding, header and every cell against ``resource``."""
    file = out.name(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.add(file, 0, "", f"cannot read the file: {exc.strerror or exc}")
        return None
    if data.startswith(_UTF8_BOM):
        out.add(file, 1, "", "starts with a UTF-8 byte-order mark; save it without one")
        data = data[len(_UTF8_BOM) :]
    # surrogateescape keeps undecodable bytes so that the cell holding them can be named.
    text = data.decode("utf-8", errors="surrogateescape")
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        out.add(file, 0, "", "the file is empty (no header row)")
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
    _check_cells(table, resource, out)
    if not rows:
        out.add(file, 0, "", "no data rows: nothing was checked")
    return table


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


def _check_cells(table: Table, resource: Resource, out: Collector) -> None:
    """Stray spaces, every field constraint, and uniqueness (naming the row that came first)."""
    firsts: dict[str, dict[str, int]] = {f.name: {} for f in resource.fields if f.unique}
    for n, row in table.rows:
        for name, value in row.items():
            if value != value.strip():
                out.add(table.file, n, name, "has leading or trailing spaces")
        for fld in resource.fields:
            if fld.name not in row:
                continue
            value = row[fld.name]
            for message in fld.check(value):
                out.add(table.file, n, fld.name, message)
            if fld.unique and value:
                first = firsts[fld.name].setdefault(value, n)
                if first != n:
                    out.add(table.file, n, fld.name, f"duplicate {fld.name} {value!r} (first at row {first})")
