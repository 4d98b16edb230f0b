"""``validate``: check the data folder and the documents; print every problem, or one summary line."""

from __future__ import annotations

import argparse

from dashboard.commands import add_data_options
from dashboard.validate import validate


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` subcommand."""
    parser = subparsers.add_parser(
        "validate",
        help="check the data and documents; print every problem as file:row:field: message",
        description=__doc__,
    )
    add_data_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print each problem (exit 1) or the ``ok: ...`` line (exit 0)."""
    result = validate(args.data, args.seeds)
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s) found")
        return 1
    print(result.summary())
    return 0
