"""The briefing formats of ``python -m dashboard export``: png, pptx, pdf, html, geojson, xlsx, and pack.

``FORMATS`` has the same shape as ``dashboard.commands.export.FORMATS`` (name -> (help, configure)),
which adds these entries to its own. Each format takes the shared data, filter, ``--out`` and
``--force`` options plus the briefing options added here. ``pack`` writes several formats into the
folder given as ``--out``, with a progress bar; file names come from ``--name`` (or the title) and
cannot leave that folder.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime

#: Formats of a pack when ``--formats`` is not given.
PACK_DEFAULT = ("png", "pptx", "pdf", "html", "csv", "geojson", "xlsx")


def _add_briefing_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("briefing")
    group.add_argument("--title", help="map and slide title (default: the dashboard's title)")
    group.add_argument("--subtitle", help="subtitle line (default: the dashboard's subtitle)")
    group.add_argument("--caveat", default="", help="caveat/classification banner, top and bottom")
    group.add_argument(
        "--size",
        default="slide",
        metavar="SIZE",
        help="picture size: slide (1920x1080), a4 (1754x1240) or WIDTHxHEIGHT (default: slide)",
    )
    group.add_argument("--scale", type=int, choices=(1, 2), default=2, help="pixel density (default: 2)")
    group.add_argument("--bbox", metavar="W,S,E,N", help="frame the map on this box (degrees)")
    group.add_argument("--center", metavar="LAT,LON", help="map centre (default: the dashboard's)")
    group.add_argument("--zoom", type=int, help="map zoom level (default: the dashboard's)")
    group.add_argument(
        "--figure",
        choices=("latest", "highest", "claimant"),
        default="latest",
        help="which reported strength figure shades the provinces",
    )
    group.add_argument("--figure-by", metavar="ACTOR", help="actor id for --figure claimant")
    group.add_argument(
        "--as-of",
        metavar="DATETIME",
        help="the 'as of' date-time printed on the export, ISO 8601 (default: now, UTC)",
    )


def briefing_from_args(args: argparse.Namespace):
    """The ``Briefing`` the options ask for; ValueError naming the option when one is invalid."""
    from dashboard.commands import filters_from_args
    from dashboard.exports.briefing import Briefing, parse_bbox, parse_size
    from dashboard.mapping import DEFAULT_SUBTITLE, DEFAULT_TITLE, styles

    center = styles.DEFAULT_CENTER
    if args.center:
        try:
            lat, lon = (float(v) for v in args.center.split(","))
        except ValueError as exc:
            raise ValueError(f"center: {args.center!r} is not LAT,LON") from exc
        center = (lat, lon)
    as_of = None
    if args.as_of:
        try:
            as_of = datetime.fromisoformat(args.as_of)
        except ValueError as exc:
            raise ValueError(f"as-of: {args.as_of!r} is not an ISO 8601 date-time") from exc
        as_of = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    return Briefing(
        filters=filters_from_args(args),
        title=args.title or DEFAULT_TITLE,
        subtitle=DEFAULT_SUBTITLE if args.subtitle is None else args.subtitle,
        caveat=args.caveat,
        as_of=as_of,
        size=parse_size(args.size),
        scale=args.scale,
        center=center,
        zoom=styles.DEFAULT_ZOOM if args.zoom is None else args.zoom,
        bbox=parse_bbox(args.bbox) if args.bbox else None,
        figure=args.figure,
        figure_claimant=args.figure_by,
    ).stamped()


def _load(args: argparse.Namespace):
    """(dataset, all rows, filtered rows) or None after printing why."""
    from dashboard.commands import load_or_report
    from dashboard.filters import apply_filters
    from dashboard.flat import flat_reports

    ds = load_or_report(args)
    if ds is None:
        return None
    flat_all = flat_reports(ds)
    return ds, flat_all, apply_filters(flat_all, args.briefing.filters)


def _warn_fallback(names) -> None:
    from dashboard.exports.snapshot import CHROMIUM_ENV, shared_renderer

    if any(n in ("png", "pptx", "pdf") for n in names) and not shared_renderer().available():
        print(
            f"warning: no Chromium found (install 'chromium' or set {CHROMIUM_ENV}); the map picture is the "
            "static fallback rendering",
            file=sys.stderr,
        )


def _start(args: argparse.Namespace) -> int | None:
    try:
        args.briefing = briefing_from_args(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return None


def _runner(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from dashboard.exports.formats import export_bytes
        from dashboard.exports.paths import OutputError, check_file, write_bytes

        status = _start(args)
        if status is not None:
            return status
        try:
            check_file(args.out, args.force)
        except OutputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        loaded = _load(args)
        if loaded is None:
            return 1
        _warn_fallback([name])
        data = export_bytes(name, *loaded, args.briefing)
        write_bytes(args.out, data, args.force)
        print(f"{name}: {len(loaded[2])} report(s), {len(data):,} bytes written to {args.out}")
        return 0

    return run


def run_pack(args: argparse.Namespace) -> int:
    """Write every format asked for into the folder ``--out``, with a progress bar on a terminal."""
    from tqdm import tqdm

    from dashboard.exports.formats import EXPORTS, export_bytes
    from dashboard.exports.paths import OutputError, output_path, safe_name, write_bytes

    status = _start(args)
    if status is not None:
        return status
    names = [n.strip() for n in args.formats.split(",") if n.strip()]
    unknown = [n for n in names if n not in EXPORTS]
    if unknown or not names:
        print(
            f"error: formats: unknown {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(EXPORTS)}",
            file=sys.stderr,
        )
        return 2
    stem = safe_name(args.name or args.briefing.title)
    try:  # check every path before making anything: a refused pack writes nothing
        paths = {n: output_path(args.out, f"{stem}.{EXPORTS[n].extension}", args.force) for n in names}
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    loaded = _load(args)
    if loaded is None:
        return 1
    _warn_fallback(names)
    with tqdm(total=len(names), unit="file", desc="briefing pack", file=sys.stderr, disable=None) as bar:
        for name in names:
            bar.set_postfix_str(name)
            write_bytes(paths[name], export_bytes(name, *loaded, args.briefing), args.force)
            bar.update(1)
    for name in names:
        print(f"{name}: {paths[name]}")
    print(f"{len(names)} file(s), {len(loaded[2])} report(s), written to {args.out}")
    return 0


def _configure(name: str) -> Callable[[argparse.ArgumentParser], None]:
    def configure(parser: argparse.ArgumentParser) -> None:
        _add_briefing_options(parser)
        parser.set_defaults(func=_runner(name))

    return configure


def _configure_pack(parser: argparse.ArgumentParser) -> None:
    _add_briefing_options(parser)
    parser.add_argument(
        "--formats",
        default=",".join(PACK_DEFAULT),
        metavar="LIST",
        help=f"comma-separated formats (default: {','.join(PACK_DEFAULT)})",
    )
    parser.add_argument("--name", help="file name stem (default: made from the title)")
    parser.set_defaults(func=run_pack)


FORMATS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "png": (
        "map snapshot (PNG) with title, legend, scale, north arrow, sources and caveat",
        _configure("png"),
    ),
    "pptx": (
        "briefing slide: snapshot, key figures with source and date, sources in the notes",
        _configure("pptx"),
    ),
    "pdf": ("the briefing slide as a one-page PDF", _configure("pdf")),
    "html": ("standalone interactive map that opens offline from a file", _configure("html")),
    "geojson": ("the filtered reports as RFC 7946 GeoJSON points with provenance", _configure("geojson")),
    "xlsx": ("the filtered reports as an Excel workbook (text never runs as a formula)", _configure("xlsx")),
    "pack": (
        "several formats into the folder given as --out (which must exist), with a progress bar",
        _configure_pack,
    ),
}
