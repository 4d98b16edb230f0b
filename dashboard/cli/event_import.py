"""``import``: bring an ACLED or UCDP GED export into the data folder's event store."""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.cli.options import HelpFormatter, error
from dashboard.events.datasets import DATASETS
from dashboard.events.importer import NOTE_LIMIT, ImportFailed, import_file
from dashboard.loader import DEFAULT_DATA_DIR

DESCRIPTION = """\
Import an ACLED export (CSV or XLSX, all standard columns or a subset) or a UCDP GED export into
DATA/events/ (one Parquet file per dataset, with a manifest naming the export, its date, licence and
attribution). The events are context beside the curated claims and events; they never become claims.

Every rejected row is printed as file:row:field: message (row 1 is the header); the other rows are
imported, and the dataset's file is replaced whole or not at all. Importing a newer export updates
events by id and says how many were added, changed and withdrawn (no longer in the export, within
its countries and dates: kept and marked, never deleted); the same file twice changes nothing.
Exit status: 0 every row imported, 1 rows rejected or nothing imported.
"""

EPILOG = """\
examples:
  afghan-border-dashboard import acled 2024-06-30-Afghanistan.csv
  afghan-border-dashboard import acled acled_export.xlsx --export-date 2024-06-30
  afghan-border-dashboard import ucdp GEDEvent_v24_1.csv --data ~/work/geodata

Credit the data wherever you show it: the map, pictures, slides and exports do so themselves.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` command."""
    parser = subparsers.add_parser(
        "import",
        help="import an ACLED or UCDP GED export as context events (DATA/events/)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("dataset", choices=list(DATASETS), help="which dataset the export is from")
    parser.add_argument("file", type=Path, metavar="FILE", help="the export: .csv, .xlsx")
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help="data folder whose events/ receives the import (default: the bundled geodata/)",
    )
    parser.add_argument(
        "--export-date",
        metavar="YYYY-MM-DD",
        help="the day the export was made (default: ACLED's latest timestamp, else the latest event date)",
    )
    parser.add_argument("--version", dest="dataset_version", metavar="TEXT", help="the release, e.g. 24.1")
    parser.add_argument(
        "--who",
        default="",
        help="who imports it, kept in the dataset's import history (default: the system user)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Import; print each rejected row, the notes and a summary line."""
    if not (Path(args.data) / "provinces.geojson").is_file():
        error(f"{args.data}: not a data folder (no provinces.geojson)")
        return 1
    try:
        result = import_file(
            args.dataset, args.file, args.data, args.export_date, args.dataset_version, who=args.who
        )
    except ImportFailed as exc:
        error(str(exc))
        return 1
    for problem in result.problems:
        print(problem)
    for note in result.place_notes[:NOTE_LIMIT]:
        print(f"{note} (note)")
    if len(result.place_notes) > NOTE_LIMIT:
        print(f"… and {len(result.place_notes) - NOTE_LIMIT} more rows placed by their coordinates")
    for note in result.notes:
        print(f"note: {note}")
    print(f"export date: {result.export_date} ({result.export_date_basis})")
    if result.problems:
        print(
            f"{result.rejected} row(s) rejected ({len(result.problems)} problem(s)); the others were imported"
        )
    print(result.summary())
    return 1 if result.problems else 0
