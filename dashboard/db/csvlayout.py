"""A CSV file as header, rows of cell text and the layout it was written in, and back to its bytes.

The database keeps a table's cells, not its file; the layout (line ends, every cell quoted or only
those that need it, a last line end or none) is kept beside them so that a dump gives back the bytes
that were loaded. A file written in some other way (quotes here and there) still gives back the same
cells, in the layout closest to it: :func:`parse` says whether the bytes will come back exactly.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from itertools import product


@dataclass(frozen=True)
class Layout:
    """How a CSV file is written: the defaults are how the product writes its own files."""

    line_end: str = "\n"
    quote_all: bool = False
    final_newline: bool = True


@dataclass(frozen=True)
class CsvFile:
    """A parsed CSV file; ``exact`` is True when :func:`render` gives back the very same bytes."""

    header: list[str]
    rows: list[list[str]]
    layout: Layout
    exact: bool


def render(header: list[str], rows: list[list[str]], layout: Layout = Layout()) -> bytes:
    """The bytes of a CSV file with ``header`` and ``rows``, written in ``layout``."""
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if layout.quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(buffer, lineterminator=layout.line_end, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if not layout.final_newline:
        text = text[: -len(layout.line_end)]
    return text.encode("utf-8")


def parse(data: bytes) -> CsvFile:
    """Header, rows and layout of a UTF-8 CSV file; ``ValueError`` when it is not one."""
    text = data.decode("utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        raise ValueError("the file is empty (no header row)")
    header, rows = records[0], records[1:]
    # Most likely first: the product's own way, then the same with Windows line ends.
    for line_end, quote_all, final_newline in product(("\n", "\r\n"), (False, True), (True, False)):
        layout = Layout(line_end, quote_all, final_newline)
        if render(header, rows, layout) == data:
            return CsvFile(header, rows, layout, True)
    line_end = "\r\n" if "\r\n" in text else "\n"
    return CsvFile(header, rows, Layout(line_end, False, text.endswith("\n")), False)
