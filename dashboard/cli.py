"""Command line: ``python -m dashboard <command>`` or ``afghan-border-dashboard <command>``.

Each module in ``dashboard/commands/`` is one subcommand: it defines ``register(subparsers)``, which adds
its parser and sets ``func`` (a callable taking the parsed arguments and returning the exit status).
Modules are discovered, so adding a command means adding a module.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from dashboard import __version__, commands


def command_modules() -> list[str]:
    """Names of the modules in ``dashboard.commands``, sorted."""
    return sorted(
        info.name for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_")
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every discovered subcommand."""
    parser = argparse.ArgumentParser(
        prog="afghan-border-dashboard",
        description="Sourced map of reports on militant groups in northern Afghanistan: data tools.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        importlib.import_module(f"{commands.__name__}.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status (0 success, 1 problems found, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    return int(func(args))
