"""Every export format behind one call, for the app's buttons and the command line alike.

``export_bytes(name, ...)`` returns the file's bytes; ``EXPORTS`` gives each format's file extension,
MIME type, a one-line description and the briefing options it uses. The rows given must already be
filtered by the briefing's filters (the title block and the "about" notes describe those filters).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.events.export import credits as imported_credits
from dashboard.events.export import with_imported
from dashboard.exports import tabular
from dashboard.exports.briefing import Briefing, about, html_bytes
from dashboard.exports.paths import safe_name
from dashboard.exports.snapshot import Renderer, snapshot_png
from dashboard.model import FILTER_NAMES, Dataset

#: Longest view part of a file name.
VIEW_CHARS = 60

#: Briefing options (``exports.run.briefing_from_options`` keywords) and the formats that use them.
PICTURE = frozenset({"size", "scale"})
FRAMING = frozenset({"bbox", "center", "zoom", "figure", "figure_by"})
ABOUT = frozenset({"title", "subtitle", "caveat", "as_of"})


@dataclass(frozen=True)
class ExportFormat:
    """One format: file extension, MIME type, description and the function that makes its bytes.

    ``options`` names the briefing options the format uses (the filters apply to every format); a
    format given another one ignores it, and ``unused`` says why.
    """

    extension: str
    mime: str
    description: str
    make: Callable[[Dataset, pd.DataFrame, pd.DataFrame, Briefing, Renderer | None], bytes]
    options: frozenset[str] = ABOUT | FRAMING | PICTURE
    unused: str = ""


def _png(ds, flat_all, flat, briefing, renderer) -> bytes:
    return snapshot_png(ds, flat_all, flat, briefing, renderer).png


def _pptx(ds, flat_all, flat, briefing, renderer) -> bytes:
    from dashboard.exports.slide import pptx_bytes, slide_content

    return pptx_bytes(slide_content(ds, flat_all, flat, briefing, renderer))


def _pdf(ds, flat_all, flat, briefing, renderer) -> bytes:
    from dashboard.exports.slide import pdf_bytes, slide_content

    return pdf_bytes(slide_content(ds, flat_all, flat, briefing, renderer))


def _geojson(ds, flat_all, flat, briefing, renderer) -> bytes:
    rows = with_imported(ds, briefing.filters, flat)
    return tabular.geojson_bytes(rows, about_all(briefing, ds, flat_all, flat))


def _xlsx(ds, flat_all, flat, briefing, renderer) -> bytes:
    rows = with_imported(ds, briefing.filters, flat)
    return tabular.xlsx_bytes(rows, about_all(briefing, ds, flat_all, flat))


EXPORTS: dict[str, ExportFormat] = {
    "png": ExportFormat(
        "png", "image/png", "map snapshot with title, legend, scale, north arrow, sources, caveat", _png
    ),
    "pptx": ExportFormat(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "briefing slide: snapshot, key figures with source and date, sources in the notes",
        _pptx,
        ABOUT | FRAMING,
        "the slide's picture has a fixed size",
    ),
    "pdf": ExportFormat(
        "pdf",
        "application/pdf",
        "the briefing slide as a PDF page, with an appendix of references and the record manifest",
        _pdf,
        ABOUT | FRAMING,
        "the slide's picture has a fixed size",
    ),
    "html": ExportFormat(
        "html",
        "text/html",
        "standalone interactive map that opens offline from a file",
        lambda ds, fa, f, b, r: html_bytes(ds, fa, f, b),
        ABOUT | FRAMING,
        "the page takes the size of the browser window",
    ),
    "csv": ExportFormat(
        "csv",
        "text/csv",
        "the filtered reports with provenance (formula cells neutralised)",
        lambda ds, fa, f, b, r: tabular.csv_bytes(with_imported(ds, b.filters, f)),
        frozenset(),
        "a CSV file holds only the rows (the xlsx and geojson exports carry title, caveat and 'as of')",
    ),
    "geojson": ExportFormat(
        "geojson",
        "application/geo+json",
        "the filtered reports as RFC 7946 points",
        _geojson,
        ABOUT,
        "it holds the records, not a picture of the map",
    ),
    "xlsx": ExportFormat(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "the filtered reports as an Excel workbook (text never runs as a formula)",
        _xlsx,
        ABOUT,
        "it holds the records, not a picture of the map",
    ),
}


def about_all(
    briefing: Briefing, ds: Dataset, flat_all: pd.DataFrame, flat: pd.DataFrame | None = None
) -> dict[str, str]:
    """``about`` plus the credit of any imported dataset (ACLED, UCDP GED) the rows may include."""
    return {**about(briefing, ds, flat_all, flat), **imported_credits(ds)}


def export_bytes(
    name: str,
    ds: Dataset,
    flat_all: pd.DataFrame,
    flat: pd.DataFrame,
    briefing: Briefing,
    renderer: Renderer | None = None,
) -> bytes:
    """The bytes of format ``name`` (a key of ``EXPORTS``) for the briefing; ``flat`` already filtered.

    A briefing without an "as of" is stamped now, when the file is made: the app passes its buttons a
    callable that runs this at click time, so the file says when it was made, not when the page was drawn.
    """
    if name not in EXPORTS:
        raise ValueError(f"unknown export format {name!r} (expected one of {', '.join(EXPORTS)})")
    return EXPORTS[name].make(ds, flat_all, flat, briefing.stamped(), renderer)


def view_slug(briefing: Briefing) -> str:
    """The view in a file name: the filters and the shading ("2023-05_to_2024_province-Badakhshan"),
    "" for the whole data with the default shading."""
    parts = []
    f = briefing.filters
    if f.start or f.end:
        parts.append(f"{f.start or 'start'}_to_{f.end or 'end'}")
    for field_name in FILTER_NAMES:
        values = getattr(f, field_name)
        if field_name not in ("start", "end") and values:
            parts.append(f"{field_name}-{'+'.join(values)}")
    if briefing.figure != "latest":
        parts.append(f"shaded-{briefing.figure}")
    return safe_name("_".join(parts), default="")[:VIEW_CHARS].strip("-._") if parts else ""


def file_name(name: str, briefing: Briefing, made_on: date | None = None) -> str:
    """A safe file name for the export: the title's words, the view (filters, shading), the "as of"
    date-time and the extension.

    A briefing without an "as of" is stamped only when its file is made (the app names the file when
    it draws the button, before the click), so its name carries no time that the file would not show;
    ``made_on`` then gives the day it is made, so that files of one view made on different days (and
    of different views) do not share a name.
    """
    stem = "_".join(p for p in (safe_name(briefing.title), view_slug(briefing)) if p)
    if briefing.as_of is None:
        day = f"_{made_on:%Y-%m-%d}" if made_on else ""
        return f"{stem}{day}.{EXPORTS[name].extension}"
    return f"{stem}_{briefing.as_of:%Y-%m-%d_%H%M}.{EXPORTS[name].extension}"
