"""One module per CLI subcommand, each with ``register(subparsers)``; shared option helpers live here.

Every command that reads the data takes ``--data``/``--seeds`` (``add_data_options``); every export
format takes the same filter options (``add_filter_options`` and ``filters_from_args``) and the same
output rules (``check_output``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.loader import DEFAULT_DATA_DIR, DataError, load_dataset
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
    "group": "group id; repeat for several",
    "type": "claim topic or event type; repeat for several",
}


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--data DIR`` and ``--seeds DIR``."""
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help="data folder with datapackage.json and the CSV/GeoJSON files (default: geodata/)",
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder with the source documents and documents.csv (default: seeds/ beside --data)",
    )


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """Add one option per filter name: ``--start``/``--end`` once, the others repeatable."""
    for name in FILTER_NAMES:
        flag = "--" + name.replace("_", "-")
        if name in ("start", "end"):
            parser.add_argument(flag, dest=f"filter_{name}", metavar="DATE", help=FILTER_HELP[name])
        else:
            parser.add_argument(
                flag,
                dest=f"filter_{name}",
                action="append",
                default=[],
                metavar="VALUE",
                help=FILTER_HELP[name],
            )


def filters_from_args(args: argparse.Namespace) -> Filters:
    """The ``Filters`` the options ask for; ValueError (naming the option) when a value is invalid."""
    from dashboard.filters import filters_from_query

    query = {}
    for name in FILTER_NAMES:
        value = getattr(args, f"filter_{name}", None)
        if value:
            query[name] = value
    return filters_from_query(query)


def load_or_report(args: argparse.Namespace) -> Dataset | None:
    """Load the dataset named by ``--data``/``--seeds``; print every problem to stderr and return None."""
    try:
        return load_dataset(args.data, args.seeds)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"error: {len(exc.problems)} problem(s) in the data; run the validate command", file=sys.stderr)
        return None


def check_output(path: Path, force: bool) -> str | None:
    """Why ``path`` cannot be written (an existing file without ``force``, a missing folder), or None."""
    if path.exists() and not force:
        return f"{path} exists; use --force to overwrite it"
    if path.is_dir():
        return f"{path} is a folder"
    if not path.parent.is_dir():
        return f"folder {path.parent} does not exist"
    return None
