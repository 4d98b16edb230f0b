"""``validate``: check the data folder and the documents; print every problem, or one summary line."""

from __future__ import annotations

import argparse
import sys

from dashboard.cli.options import HelpFormatter, add_data_options
from dashboard.datafolder import TransactionError, reading
from dashboard.db import DatabaseError, database_url, redact
from dashboard.loader import database_dirs
from dashboard.validate import validate

DESCRIPTION = """\
Check the data folder and the source documents. Every problem is printed on its own line as
file:row:field: message (row 1 is the header), then the command exits with status 1. With no
problem it prints one line with the counts and exits with status 0.

With DASHBOARD_DATABASE_URL set and no --data, the shared database's current data is checked (as
the app reads it), and the first line says so.
"""

EPILOG = """\
examples:
  afghan-border-dashboard validate
  afghan-border-dashboard validate --data ~/work/geodata --seeds ~/work/seeds
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` command."""
    parser = subparsers.add_parser(
        "validate",
        help="check the data and documents; print every problem as file:row:field: message",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    add_data_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print each problem (exit 1) or the ``ok: ...`` line (exit 0)."""
    try:
        shared = database_dirs(args.data)
    except DatabaseError as exc:
        print(f"validate: the shared database: {exc}", file=sys.stderr)
        return 1
    try:
        if shared is not None:
            print(f"the shared database at {redact(database_url() or '')}:")
            result = validate(*shared)
        else:
            with reading(args.data, args.seeds):  # completes or undoes a change a killed process left
                result = validate(args.data, args.seeds)
    except TransactionError as exc:
        print(f"validate: {exc}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s) found")
        return 1
    print(result.summary())
    return 0
