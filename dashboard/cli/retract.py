"""``retract`` and ``dependents``: mark a document or claimant as retracted; list what rests on one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.cli.options import HelpFormatter, add_data_options, error, load_or_report

RETRACT_DESCRIPTION = """\
Record that a document or an actor (as claimant) is retracted or discredited, with a date and a reason.
One row is appended to retractions.csv in the data folder; nothing is deleted. From then on the reports
of that document, and of claims and events whose claimant is that actor, are left out of every view
and export unless --include-retracted (or the app's toggle) brings them back, marked. The data folder
is validated with the new row first and locked while it is written: when anything is wrong, the
problems are printed as file:row:field: message and nothing changes.
"""

RETRACT_EPILOG = """\
examples:
  afghan-border-dashboard retract d001 --reason "The outlet withdrew the article"
  afghan-border-dashboard retract tajik-border-commander --kind discredited --date 2025-05-02 \\
      --reason "Figures contradicted by the border service's own report"
"""

DEPENDENTS_DESCRIPTION = """\
List every claim and event that rests on a document (it has a report from it) or on an actor (its
claimant), with the reports concerned, and say which rest on it alone: those with no other report
that is not already retracted, which a retraction of it would remove from every view.
"""

DEPENDENTS_EPILOG = """\
examples:
  afghan-border-dashboard dependents d003
  afghan-border-dashboard dependents patrushev
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``retract`` and ``dependents`` commands."""
    from dashboard.retraction import KINDS

    parser = subparsers.add_parser(
        "retract",
        help="mark a document or claimant as retracted or discredited (nothing is deleted)",
        description=RETRACT_DESCRIPTION,
        epilog=RETRACT_EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "target", metavar="DOC_OR_ACTOR", help="a document id (d001) or an actor id (patrushev)"
    )
    parser.add_argument(
        "--reason", required=True, help="why, in a sentence a reader of the exports can follow"
    )
    parser.add_argument("--date", metavar="DATE", help="when it was retracted, ISO date (default: today)")
    parser.add_argument(
        "--kind", choices=KINDS, default="retracted", help="retracted (default) or discredited"
    )
    parser.add_argument("--notes", default="", help="anything else worth keeping with the record")
    add_data_options(parser)
    parser.set_defaults(func=run_retract)

    parser = subparsers.add_parser(
        "dependents",
        help="list the claims and events that rest on a document or claimant, and which rest on it alone",
        description=DEPENDENTS_DESCRIPTION,
        epilog=DEPENDENTS_EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "target", metavar="DOC_OR_ACTOR", help="a document id (d001) or an actor id (patrushev)"
    )
    add_data_options(parser)
    parser.set_defaults(func=run_dependents)


def run_retract(args: argparse.Namespace) -> int:
    """Append the retraction, or print why not (exit 1) and change nothing."""
    from dashboard.retraction import check_date, retract

    if not args.reason.strip():
        error("reason: give a reason")
        return 2
    try:
        when = check_date(args.date) if args.date else None
    except ValueError as exc:
        error(str(exc))
        return 2
    try:
        result = retract(
            Path(args.data),
            args.target,
            args.reason,
            when=when,
            kind=args.kind,
            notes=args.notes,
            seeds_dir=args.seeds,
        )
    except OSError as exc:
        error(f"{args.data}: {exc.strerror or exc}; nothing was changed")
        return 1
    if not result.ok:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        error(f"{len(result.problems)} problem(s); nothing was changed")
        return 1
    row = result.row
    print(
        f"{row['id']}: {row['target_kind']} {row['target']} {row['kind']} on {row['date']}: {row['reason']}"
    )
    print(f"see what rested on it: afghan-border-dashboard dependents {row['target']}")
    return 0


def run_dependents(args: argparse.Namespace) -> int:
    """Print the records that rest on the target, those resting on it alone marked."""
    from dashboard.retraction import dependents

    ds = load_or_report(args)
    if ds is None:
        return 1
    try:
        found = dependents(ds, args.target)
    except ValueError as exc:
        error(str(exc))
        return 2
    print(f"{found.target_kind} {found.target}: {found.name}")
    if not found.records:
        print("nothing rests on it")
        return 0
    for record in found.records:
        where = "ALONE" if record.alone else f"also in {', '.join(record.others)}"
        print(f"  {record.kind} {record.id}: {record.subject} [{', '.join(record.resting)}] {where}")
    print(
        f"{len(found.records)} claim(s)/event(s) rest on it; {len(found.alone)} rest on it alone "
        "(a retraction would remove them from every view)"
    )
    return 0
