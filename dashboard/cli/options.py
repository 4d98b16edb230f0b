"""Options that several commands share, and the few steps they all take before calling the domain.

Every command that reads the data takes ``--data``/``--seeds`` (``add_data_options``); every command
that filters (each export format, ``changes``) takes the same filter options and
``--include-retracted`` (``add_filter_options``), checked against the loaded data by
``resolve_or_report`` (``--actor`` against the actors of the imported events).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.filters import filters_from_query, resolve_filters
from dashboard.loader import DEFAULT_DATA_DIR, DataError, database_dirs, load_dataset
from dashboard.model import FILTER_NAMES, Dataset, Filters

#: Help text of each filter option (same names as ``model.FILTER_NAMES``, with '-' for '_').
FILTER_HELP: dict[str, str] = {
    "start": "keep reports whose date interval ends on or after this ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "end": "keep reports whose date interval starts on or before this ISO date",
    "province": "province, place id or place name (any case); repeat for several",
    "document": "document id (d000) or file name; repeat for several",
    "outlet": "outlet name as in documents.csv; repeat for several",
    "relayed_by": "actor id (or name) of an agency or outlet cited as relaying; repeat for several",
    "claimant": "actor id (or name) of who made the claim; repeat for several",
    "affiliation": "claimant's affiliation (CSTO, Russia, ...); repeat for several",
    "group": "group id, name or other name (iskp, ISIS-K); repeat for several",
    "type": "claim topic or event type; repeat for several",
    "actor": (
        "imported events (ACLED, UCDP GED) only: part of an actor's name, either side or associated "
        "(Taliban); repeat for several. Curated reports are not narrowed by it"
    ),
    "known_on": (
        "keep only what could be known on this ISO date: reports from documents published on or before "
        "it (a month-precision publication counts from its last day)"
    ),
}
#: Filters that take one date, not a repeatable value.
DATE_FILTERS = ("start", "end", "known_on")
INCLUDE_RETRACTED_HELP = (
    "keep reports of retracted or discredited documents and claimants, marked in the 'retracted' column"
)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and examples; wraps option help to the terminal."""


def option_name(filter_name: str) -> str:
    """The command-line option of a filter: "relayed_by" -> "--relayed-by"."""
    return "--" + filter_name.replace("_", "-")


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--data DIR`` and ``--seeds DIR``."""
    group = parser.add_argument_group("data")
    group.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help="data folder with datapackage.json and the CSV/GeoJSON files (default: the bundled geodata/)",
    )
    group.add_argument(
        "--seeds",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder with the source documents and documents.csv (default: seeds/ beside --data)",
    )


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """Add one option per filter name: ``--start``/``--end`` once, the others repeatable."""
    group = parser.add_argument_group("filters (the same names as the app's address)")
    for name in FILTER_NAMES:
        if name in DATE_FILTERS:
            group.add_argument(
                option_name(name), dest=f"filter_{name}", metavar="DATE", help=FILTER_HELP[name]
            )
        else:
            group.add_argument(
                option_name(name),
                dest=f"filter_{name}",
                action="append",
                default=[],
                metavar="VALUE",
                help=FILTER_HELP[name],
            )
    group.add_argument("--include-retracted", action="store_true", help=INCLUDE_RETRACTED_HELP)


def filters_from_args(args: argparse.Namespace) -> Filters:
    """The ``Filters`` the options ask for; ValueError (naming the option) when a date is invalid."""
    query = {}
    for name in FILTER_NAMES:
        value = getattr(args, f"filter_{name}", None)
        if value:
            query[name] = value
    if getattr(args, "include_retracted", False):
        query["include_retracted"] = "1"
    return filters_from_query(query)


def load_or_report(args: argparse.Namespace) -> Dataset | None:
    """Load the dataset named by ``--data``/``--seeds`` (the shared database's when
    ``DASHBOARD_DATABASE_URL`` is set and ``--data`` names no other folder); print every problem to
    stderr and return None."""
    from dashboard.db import DatabaseError

    try:
        return load_dataset(*(database_dirs(args.data) or (args.data, args.seeds)))
    except DatabaseError as exc:
        error(str(exc))
        return None
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"error: {len(exc.problems)} problem(s) in the data; run the validate command", file=sys.stderr)
        return None


def resolve_or_report(filters: Filters, ds: Dataset) -> Filters | None:
    """``filters`` with other names resolved; None after printing each value that names nothing."""
    resolved, problems = resolve_filters(filters, ds)
    for problem in problems:
        print(f"error: {option_name(problem.name)}: {problem.message}", file=sys.stderr)
    return None if problems else resolved


def error(message: str) -> None:
    """Print ``error: message`` to stderr."""
    print(f"error: {message}", file=sys.stderr)
