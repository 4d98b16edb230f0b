"""Command line: ``python -m dashboard COMMAND`` or ``afghan-border-dashboard COMMAND``.

One module per command (``validate``, ``export``, ``changes``, ``retract`` with ``dependents``,
``ingest``, ``import``, ``serve``, ``db``, ``assets``), each with
``register(subparsers)``, which adds its parser and sets ``func`` (parsed arguments -> exit status).
A command parses its options, calls one domain function and prints what it returns.
"""

from __future__ import annotations

import argparse
import sys

from dashboard import __version__
from dashboard.cli import assets, changes, db, event_import, export, ingest, retract, serve, validate
from dashboard.cli.options import HelpFormatter

#: The commands, in the order ``--help`` lists them.
COMMANDS = (validate, export, changes, retract, ingest, event_import, serve, db, assets)

EPILOG = """\
examples:
  afghan-border-dashboard validate
  afghan-border-dashboard export png --out map.png --province Badakhshan --title "Badakhshan, 2023"
  afghan-border-dashboard changes --from 2024-03-31 --to 2024-06-30
  afghan-border-dashboard import acled 2024-06-30-Afghanistan.csv
  afghan-border-dashboard serve --port 8501

'afghan-border-dashboard COMMAND --help' describes a command and its options.
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="afghan-border-dashboard",
        description=(
            "Sourced map of reports on militant groups in northern Afghanistan: check the data, "
            "export maps, slides and tables, list what changed, retract a source, ingest new articles, "
            "serve the dashboard."
        ),
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status (0 success, 1 problems found, 2 usage error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(ingest.modern_argv(argv))
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    return int(func(args))
