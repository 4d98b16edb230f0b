"""``export FORMAT``: write the filtered reports as a picture, slide, page, table or a pack of them.

Every format takes the same options (``--out``, ``--force``, the data and filter options and the
briefing options) and goes through ``dashboard.exports.run``. An option a format has no use for (a
title for a CSV file) is accepted and a note on stderr says so.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from dashboard.cli.options import (
    HelpFormatter,
    add_data_options,
    add_filter_options,
    error,
    filters_from_args,
    load_or_report,
    resolve_or_report,
)

#: The formats, in the order ``--help`` lists them, with what each writes.
FORMAT_HELP: dict[str, str] = {
    "png": "map snapshot (PNG) with title, legend, scale, north arrow, sources and caveat",
    "pptx": "briefing slide: snapshot, key figures with source and date, sources in the notes",
    "pdf": "the briefing slide as a PDF page, with an appendix of references and the record manifest",
    "html": "standalone interactive map that opens offline from a file",
    "csv": "the filtered reports as CSV with their provenance (formula cells neutralised)",
    "geojson": "the filtered reports as RFC 7946 GeoJSON points with provenance",
    "xlsx": "the filtered reports as an Excel workbook (text never runs as a formula)",
    "pack": "several formats at once into the folder given as --out, with a progress bar",
}
#: The briefing options: name in ``exports.run.briefing_from_options`` -> command-line option.
BRIEFING_OPTIONS: dict[str, str] = {
    "title": "--title",
    "subtitle": "--subtitle",
    "caveat": "--caveat",
    "size": "--size",
    "scale": "--scale",
    "bbox": "--bbox",
    "center": "--center",
    "zoom": "--zoom",
    "figure": "--figure",
    "figure_by": "--figure-by",
    "as_of": "--as-of",
}
PACK_DEFAULT = "png,pptx,pdf,html,csv,geojson,xlsx"

DESCRIPTION = """\
Write the reports that pass the filters to a file: a map picture (png), a briefing slide (pptx,
pdf), an interactive map that opens offline (html), the records with their sources (csv, geojson,
xlsx), or several of these at once (pack). An existing file is replaced only with --force.
"""

EPILOG = """\
examples:
  afghan-border-dashboard export png --out map.png --province Badakhshan --title "Badakhshan, 2023"
  afghan-border-dashboard export csv --out reports.csv --group ISIS-K --start 2023
  afghan-border-dashboard export pack --out briefing/ --formats png,pptx,xlsx --caveat UNCLASSIFIED

'afghan-border-dashboard export FORMAT --help' lists the options.
"""

EXAMPLES: dict[str, str] = {
    "png": "export png --out map.png --size a4 --caveat UNCLASSIFIED --province Kunduz",
    "pptx": 'export pptx --out brief.pptx --title "ISKP in the north" --group iskp --as-of 2024-06-01T09:00',
    "pdf": "export pdf --out brief.pdf --start 2023-01 --end 2023-12",
    "html": "export html --out map.html --bbox 69,36,72,38.5",
    "csv": "export csv --out reports.csv --province Badakhshan --relayed-by tass",
    "geojson": "export geojson --out reports.geojson --document d001",
    "xlsx": 'export xlsx --out reports.xlsx --title "CSTO statements" --claimant csto',
    "pack": "export pack --out briefing/ --name weekly --formats png,pptx,csv --caveat UNCLASSIFIED",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``export`` and one subcommand per format."""
    parser = subparsers.add_parser(
        "export",
        help="write the filtered reports as a map picture, slide, PDF, HTML map, CSV, GeoJSON or Excel",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    for name, help_text in FORMAT_HELP.items():
        sub = formats.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            epilog=f"example:\n  afghan-border-dashboard {EXAMPLES[name]}\n",
            formatter_class=HelpFormatter,
        )
        target = "FOLDER" if name == "pack" else "FILE"
        sub.add_argument(
            "--out",
            type=Path,
            required=True,
            metavar=target,
            help="existing folder to write the files into" if name == "pack" else "file to write",
        )
        sub.add_argument("--force", action="store_true", help=f"replace {target.lower()}s that exist")
        add_data_options(sub)
        add_filter_options(sub)
        _add_briefing_options(sub)
        if name == "pack":
            sub.add_argument(
                "--formats",
                default=PACK_DEFAULT,
                metavar="LIST",
                help=f"comma-separated formats (default: {PACK_DEFAULT})",
            )
            sub.add_argument("--name", help="file name stem (default: made from the title)")
            sub.set_defaults(func=run_pack)
        else:
            sub.set_defaults(func=run_format)


def _add_briefing_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "briefing (every format accepts them; a note says when one is not used)"
    )
    group.add_argument("--title", help="map and slide title (default: the dashboard's title)")
    group.add_argument("--subtitle", help="subtitle line (default: the dashboard's subtitle)")
    group.add_argument("--caveat", help="caveat or classification banner, top and bottom")
    group.add_argument(
        "--size",
        metavar="SIZE",
        help="picture size: slide (1920x1080, default), a4 (1754x1240) or WIDTHxHEIGHT",
    )
    group.add_argument("--scale", type=int, choices=(1, 2), help="pixel density (default: 2)")
    group.add_argument("--bbox", metavar="W,S,E,N", help="frame the map on this box (degrees)")
    group.add_argument("--center", metavar="LAT,LON", help="map centre (default: the dashboard's)")
    group.add_argument("--zoom", type=int, help="map zoom level (default: the dashboard's)")
    group.add_argument(
        "--figure",
        choices=("latest", "highest", "claimant"),
        help="which reported strength figure shades the provinces (default: latest)",
    )
    group.add_argument("--figure-by", metavar="ACTOR", help="actor id for --figure claimant")
    group.add_argument(
        "--as-of",
        metavar="DATETIME",
        help="the 'as of' date-time printed on the export, ISO 8601 (default: now, UTC)",
    )


class _Prepared(NamedTuple):
    briefing: object  # exports.briefing.Briefing, imported lazily
    ds: object  # model.Dataset
    paths: dict[str, Path]  # format -> file to write


def _prepare(args: argparse.Namespace, names: list[str]) -> _Prepared | int:
    """Shared first steps: the briefing, the output checked, the data, the filters checked against it.

    Returns what to write, or an exit status after printing why. The output is checked before the
    data is loaded, so a refused file costs no load.
    """
    from dashboard.exports import run as export_run
    from dashboard.exports.paths import OutputError, check_file

    given = {key: getattr(args, key) for key in BRIEFING_OPTIONS if getattr(args, key) is not None}
    try:
        briefing = export_run.briefing_from_options(filters_from_args(args), **given)
        if args.format == "pack":
            paths = export_run.pack_paths(args.out, names, args.name or briefing.title, args.force)
        else:
            paths = {args.format: check_file(args.out, args.force)}
    except OutputError as exc:
        error(str(exc))
        return 1
    except ValueError as exc:
        error(str(exc))
        return 2
    _note_unused(args.format, names, given)
    ds = load_or_report(args)
    if ds is None:
        return 1
    filters = resolve_or_report(briefing.filters, ds)
    if filters is None:
        return 2
    warning = export_run.fallback_warning(names)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    return _Prepared(replace(briefing, filters=filters), ds, paths)


def _note_unused(command: str, names: list[str], given: dict) -> None:
    from dashboard.exports import run as export_run
    from dashboard.exports.formats import EXPORTS

    not_used = set(export_run.unused_options(names, given))
    unused = [flag for key, flag in BRIEFING_OPTIONS.items() if key in not_used]  # in --help's order
    if not unused:
        return
    if command == "pack":
        reason = f"none of {', '.join(names)} uses them"
    else:
        reason = EXPORTS[command].unused
    print(f"note: {command} does not use {', '.join(unused)}: {reason}", file=sys.stderr)


def _format_names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def run_format(args: argparse.Namespace) -> int:
    """Write one format and print what was written."""
    from dashboard.exports import run as export_run

    prepared = _prepare(args, [args.format])
    if isinstance(prepared, int):
        return prepared
    try:
        written = export_run.export_file(args.format, prepared.ds, prepared.briefing, args.out, args.force)
    except (OSError, ValueError) as exc:  # OutputError is a ValueError: the file changed since the check
        error(f"{args.out} was not written: {exc}")
        return 1
    if written.name == "csv":  # the wording scripts have read since the first release
        print(f"{written.reports} rows written to {written.path}")
    else:
        print(
            f"{written.name}: {written.reports} report(s), {written.size:,} bytes written to {written.path}"
        )
    return 0


def run_pack(args: argparse.Namespace) -> int:
    """Write every format asked for into the folder ``--out``, with a progress bar on a terminal."""
    from tqdm import tqdm

    from dashboard.exports import run as export_run

    names = _format_names(args.formats)
    try:
        export_run.check_formats(names)
    except ValueError as exc:
        error(str(exc))
        return 2
    prepared = _prepare(args, names)
    if isinstance(prepared, int):
        return prepared
    with tqdm(total=len(names), unit="file", desc="briefing pack", file=sys.stderr, disable=None) as bar:
        try:
            written = export_run.export_pack(
                prepared.paths,
                prepared.ds,
                prepared.briefing,
                args.force,
                progress=lambda name: bar.update(1),
            )
        except (OSError, ValueError) as exc:
            error(f"the pack was not completed: {exc}")
            return 1
    for item in written:
        print(f"{item.name}: {item.path}")
    print(f"{len(written)} file(s), {written[0].reports} report(s), written to {args.out}")
    return 0
