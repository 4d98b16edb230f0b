"""``db``: the team's shared PostgreSQL/PostGIS store: create or move its schema forward, show its state."""

from __future__ import annotations

import argparse

from dashboard.cli.options import HelpFormatter, error
from dashboard.db import DATABASE_URL_ENV

DESCRIPTION = f"""\
Manage the shared database a team's servers use instead of the embedded store. The database is named
by --url or, when that is not given, by ${DATABASE_URL_ENV} (postgresql://user@host:port/name); it needs
the PostGIS extension available on the server.
"""

EPILOG = f"""\
examples:
  afghan-border-dashboard db status --url postgresql://dashboard@127.0.0.1:5432/dashboard
  {DATABASE_URL_ENV}=postgresql://dashboard@db.example.org/dashboard afghan-border-dashboard db upgrade
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``db`` command and its subcommands."""
    parser = subparsers.add_parser(
        "db",
        help="the shared PostgreSQL/PostGIS store: upgrade its schema, show its state",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = actions.add_parser(
        "upgrade",
        help="create the schema or apply the migrations it lacks",
        description="Create the schema, or apply each migration it lacks once, in its own transaction.",
        epilog="example:\n  afghan-border-dashboard db upgrade --url postgresql://dashboard@127.0.0.1/dashboard\n",
        formatter_class=HelpFormatter,
    )
    add_url_option(upgrade)
    upgrade.set_defaults(func=run_upgrade)
    status = actions.add_parser(
        "status",
        help="list applied and pending migrations",
        description="List each migration as applied or pending; exit status 1 while any is pending.",
        epilog="example:\n  afghan-border-dashboard db status --url postgresql://dashboard@127.0.0.1/dashboard\n",
        formatter_class=HelpFormatter,
    )
    add_url_option(status)
    status.set_defaults(func=run_status)


def add_url_option(parser: argparse.ArgumentParser) -> None:
    """``--url``: the database, defaulting to the environment's."""
    parser.add_argument(
        "--url", metavar="URL", help=f"the database (default: ${DATABASE_URL_ENV})"
    )


def url_from_args(args: argparse.Namespace) -> str:
    """The database URL from ``--url`` or the environment; ``DatabaseError`` when neither names one."""
    from dashboard.db import DatabaseError, database_url

    url = args.url.strip() if args.url else database_url()
    if not url:
        raise DatabaseError(f"url: give --url or set {DATABASE_URL_ENV}")
    return url


def run_upgrade(args: argparse.Namespace) -> int:
    """Apply the pending migrations and list them."""
    from dashboard.db import DatabaseError, redact
    from dashboard.db.migrate import upgrade

    try:
        url = url_from_args(args)
        done = upgrade(url)
    except DatabaseError as exc:
        error(str(exc))
        return 1
    if not done:
        print(f"{redact(url)}: the schema is current")
    for migration in done:
        print(f"applied {migration.number:04d}_{migration.name}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """Print each migration as applied or pending; exit 1 while any is pending."""
    from dashboard.db import DatabaseError, connect
    from dashboard.db.migrate import applied, migrations

    try:
        with connect(url_from_args(args)) as conn:
            done = applied(conn)
    except DatabaseError as exc:
        error(str(exc))
        return 1
    for migration in migrations():
        state = "applied" if migration.number in done else "pending"
        print(f"{migration.number:04d}_{migration.name}: {state}")
    return 0 if all(m.number in done for m in migrations()) else 1
