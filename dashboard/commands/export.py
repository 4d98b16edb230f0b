"""``export FORMAT``: write the flat report table, filtered, to a file.

Formats are subcommands of ``export`` (``export csv --out reports.csv``); each takes the data options,
the filter options, ``--out`` and ``--force``. A new format adds an entry to ``FORMATS``: a function
that receives the format's parser, adds its own options and sets ``func``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from dashboard.commands import (
    add_data_options,
    add_filter_options,
    check_output,
    filters_from_args,
    load_or_report,
)


def _csv(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(func=run_csv)


#: Export formats: name -> (help, function adding the format's own options and ``func``).
FORMATS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "csv": ("the flat report table as CSV (UTF-8, header row, formula cells neutralised)", _csv),
}

# The briefing formats (png, pptx, pdf, html, geojson, xlsx) and the multi-file pack.
from dashboard.exports.command import FORMATS as _BRIEFING_FORMATS  # noqa: E402

FORMATS.update(_BRIEFING_FORMATS)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``export`` and one sub-subcommand per format."""
    parser = subparsers.add_parser(
        "export", help="write the (filtered) reports to a file", description=__doc__
    )
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    for name, (help_text, configure) in FORMATS.items():
        sub = formats.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--out", type=Path, required=True, metavar="FILE", help="file to write")
        sub.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
        add_data_options(sub)
        add_filter_options(sub)
        configure(sub)


def prepare(args: argparse.Namespace):
    """Shared first steps of every format: check options and output, load and filter the table.

    Returns ``(rows, None)`` or ``(None, exit_status)`` after printing why to stderr.
    """
    from dashboard.filters import apply_filters
    from dashboard.flat import flat_reports

    try:
        filters = filters_from_args(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None, 2
    reason = check_output(args.out, args.force)
    if reason:
        print(f"error: {reason}", file=sys.stderr)
        return None, 1
    ds = load_or_report(args)
    if ds is None:
        return None, 1
    return apply_filters(flat_reports(ds), filters), None


def run_csv(args: argparse.Namespace) -> int:
    """Write the CSV and print how many rows went into it."""
    from dashboard.csv_export import export_csv

    rows, status = prepare(args)
    if rows is None:
        return status
    count = export_csv(rows, args.out)
    print(f"{count} rows written to {args.out}")
    return 0
