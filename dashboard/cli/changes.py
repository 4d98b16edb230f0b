"""``changes``: what became known between two dates, with quotes; printed, or written as Markdown or CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.cli.options import (
    HelpFormatter,
    add_data_options,
    add_filter_options,
    error,
    filters_from_args,
    load_or_report,
    resolve_or_report,
)

DESCRIPTION = """\
List what became known after --from and on or before --to, by the publication date of the reports
(a month-precision publication counts from its last day): new claims and events, new reports of
claims and events already known (corroboration), figures that moved (the last figure known on --from
against a later one for the same topic, group, unit and places, with who said each), and retractions
dated in the window. Every item carries its verbatim quote and source. The filters apply to both
dates; --known-on does not apply (the window sets the dates).
"""

EPILOG = """\
examples:
  afghan-border-dashboard changes --from 2024-03-31 --to 2024-06-30
  afghan-border-dashboard changes --from 2024-03 --out since-march.md --group ISIS-K
  afghan-border-dashboard changes --from 2024-01-01 --to 2025-12-31 --out changes.csv --force
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``changes`` command."""
    parser = subparsers.add_parser(
        "changes",
        help="what became known between two dates: new claims and events, corroboration, moved figures",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--from", dest="since", required=True, metavar="DATE", help="start: after this ISO date"
    )
    parser.add_argument(
        "--to", dest="until", metavar="DATE", help="end: on or before this ISO date (default: today)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write the list to FILE instead of printing it: Markdown (.md) or CSV (.csv), by extension",
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_data_options(parser)
    add_filter_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the changes, or write them to ``--out``."""
    from dashboard.changes import changes, check_window
    from dashboard.exports.changes import FORMATS, changes_bytes, changes_text
    from dashboard.exports.paths import OutputError, check_file, write_bytes
    from dashboard.flat import flat_reports

    try:
        filters = filters_from_args(args)
        if filters.known_on:
            raise ValueError("known-on: does not apply to changes; --to sets the last date")
        if args.until:
            check_window(args.since, args.until)
        if args.out is not None:  # checked before the data is loaded, so a refused file costs no load
            check_file(args.out, args.force)
            if args.out.suffix.lower() not in FORMATS:
                raise ValueError(
                    f"out: {args.out.suffix or 'no extension'} is not one of {', '.join(FORMATS)}"
                )
    except OutputError as exc:
        error(str(exc))
        return 1
    except ValueError as exc:
        error(str(exc))
        return 2
    ds = load_or_report(args)
    if ds is None:
        return 1
    resolved = resolve_or_report(filters, ds)
    if resolved is None:
        return 2
    try:
        found = changes(flat_reports(ds), ds.retractions, args.since, args.until, resolved)
    except ValueError as exc:
        error(str(exc))
        return 2
    if args.out is None:
        print(changes_text(found), end="")
        return 0
    try:
        path = write_bytes(args.out, changes_bytes(found, args.out.suffix), args.force)
    except (OSError, ValueError) as exc:
        error(f"{args.out} was not written: {exc}")
        return 1
    count = len(found.new) + len(found.corroborated) + len(found.moved) + len(found.retractions)
    print(f"{count} change(s) {found.window} written to {path}")
    return 0
