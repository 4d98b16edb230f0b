"""Run an export to a file: the briefing from plain options, one format, or a pack of several.

This is the domain side of ``python -m dashboard export``: the command line parses its options, calls
these functions and prints what they return. Every format takes the same path: the briefing is built
and checked, the output is checked (``paths.check_file``: a new regular file, or ``force``), the rows
are filtered, the bytes are made by ``formats.export_bytes`` and written atomically by
``paths.write_bytes``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from dashboard.exports.briefing import Briefing, parse_bbox, parse_size
from dashboard.exports.formats import EXPORTS, export_bytes
from dashboard.exports.paths import check_file, output_path, safe_name, staged_files, write_bytes
from dashboard.exports.snapshot import CHROMIUM_ENV, Renderer, shared_renderer
from dashboard.filters import apply_filters
from dashboard.flat import flat_reports
from dashboard.mapping import DEFAULT_SUBTITLE, DEFAULT_TITLE, styles
from dashboard.model import Dataset, Filters

#: Formats of a pack when none are named.
PACK_DEFAULT = ("png", "pptx", "pdf", "html", "csv", "geojson", "xlsx")
#: Formats whose picture is taken by Chromium (or drawn by the static fallback without one).
PICTURE_FORMATS = frozenset({"png", "pptx", "pdf"})


@dataclass(frozen=True)
class Written:
    """One file written: its format, path, number of reports in it and size in bytes."""

    name: str
    path: Path
    reports: int
    size: int


def _center(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise ValueError(f"center: {text!r} is not LAT,LON") from exc
    return lat, lon


def _as_of(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"as-of: {text!r} is not an ISO 8601 date-time") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def briefing_from_options(
    filters: Filters,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    caveat: str | None = None,
    size: str | None = None,
    scale: int | None = None,
    bbox: str | None = None,
    center: str | None = None,
    zoom: int | None = None,
    figure: str | None = None,
    figure_by: str | None = None,
    as_of: str | None = None,
) -> Briefing:
    """The ``Briefing`` for options given as text (None: the dashboard's default), stamped now.

    ``size`` is "slide", "a4" or "WIDTHxHEIGHT"; ``bbox`` "W,S,E,N"; ``center`` "LAT,LON"; ``as_of``
    an ISO 8601 date-time (UTC when it has no offset). Raises ValueError naming the option.
    """
    return Briefing(
        filters=filters,
        title=title or DEFAULT_TITLE,
        subtitle=DEFAULT_SUBTITLE if subtitle is None else subtitle,
        caveat=caveat or "",
        as_of=_as_of(as_of) if as_of else None,
        size=parse_size(size or "slide"),
        scale=2 if scale is None else scale,
        center=_center(center) if center else styles.DEFAULT_CENTER,
        zoom=styles.DEFAULT_ZOOM if zoom is None else zoom,
        bbox=parse_bbox(bbox) if bbox else None,
        figure=figure or "latest",
        figure_claimant=figure_by,
        # With no framing given, the picture is framed on what the records name.
        fit=not (bbox or center or zoom is not None),
    ).stamped()


def unused_options(names: Iterable[str], given: Iterable[str]) -> list[str]:
    """The options in ``given`` that none of the formats ``names`` uses (sorted)."""
    used = set().union(*(EXPORTS[n].options for n in names))
    return sorted(set(given) - used)


def check_formats(names: Iterable[str]) -> list[str]:
    """The format names, checked; ValueError naming the unknown ones (or none given)."""
    names = list(names)
    unknown = [n for n in names if n not in EXPORTS]
    if unknown or not names:
        raise ValueError(
            f"formats: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(EXPORTS)}"
        )
    return names


def fallback_warning(names: Iterable[str]) -> str | None:
    """Why the pictures will be the static fallback rendering (no Chromium), or None."""
    if PICTURE_FORMATS.isdisjoint(names) or shared_renderer().available():
        return None
    return (
        f"no Chromium found (install 'chromium' or set {CHROMIUM_ENV}); the map picture is the "
        "static fallback rendering"
    )


def _rows(ds: Dataset, briefing: Briefing) -> tuple[pd.DataFrame, pd.DataFrame]:
    flat_all = flat_reports(ds)
    return flat_all, apply_filters(flat_all, briefing.filters)


def export_file(
    name: str,
    ds: Dataset,
    briefing: Briefing,
    out: Path,
    force: bool = False,
    renderer: Renderer | None = None,
) -> Written:
    """Write format ``name`` of the briefing's filtered reports to ``out``.

    Raises ``paths.OutputError`` (before anything is made) when ``out`` may not be written, and
    ``OSError`` when writing fails, in which case a previous file at ``out`` is left as it was.
    """
    check_formats([name])
    check_file(out, force)
    flat_all, flat = _rows(ds, briefing)
    data = export_bytes(name, ds, flat_all, flat, briefing, renderer)
    return Written(name, write_bytes(out, data, force), len(flat), len(data))


def pack_paths(folder: Path, names: Iterable[str], stem: str, force: bool = False) -> dict[str, Path]:
    """The file of each format in ``folder``, named ``safe_name(stem)`` plus its extension.

    Every path is checked before anything is written (``paths.OutputError``), so a refused pack
    writes nothing.
    """
    base = safe_name(stem)
    return {n: output_path(folder, f"{base}.{EXPORTS[n].extension}", force) for n in check_formats(names)}


def export_pack(
    paths: dict[str, Path],
    ds: Dataset,
    briefing: Briefing,
    force: bool = False,
    renderer: Renderer | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Written]:
    """Write each format of ``paths`` (from ``pack_paths``); ``progress(name)`` is called after each.

    All or nothing: the files appear together at the end, and when one cannot be made or written (a
    full disk) none of the pack is left in the folder (``paths.staged_files``).
    """
    flat_all, flat = _rows(ds, briefing)
    written = []
    with staged_files() as batch:
        for name, path in paths.items():
            data = export_bytes(name, ds, flat_all, flat, briefing, renderer)
            written.append(Written(name, batch.add(path, data, force), len(flat), len(data)))
            if progress is not None:
                progress(name)
    return written
