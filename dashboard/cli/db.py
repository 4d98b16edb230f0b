"""``db``: the team's shared PostgreSQL/PostGIS store: create or move its schema forward, show its state."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.cli.options import HelpFormatter, error
from dashboard.db import DATABASE_URL_ENV

DESCRIPTION = f"""\
Manage the shared database a team's servers use instead of the embedded store. The database is named
by --url or, when that is not given, by ${DATABASE_URL_ENV} (postgresql://user@host:port/name); it needs
the PostGIS extension available on the server. 'db load' puts a reviewed data folder into it, 'db dump'
writes its data back out as a data folder that equals the one loaded.
"""

EPILOG = f"""\
examples:
  afghan-border-dashboard db status --url postgresql://dashboard@127.0.0.1:5432/dashboard
  {DATABASE_URL_ENV}=postgresql://dashboard@db.example.org/dashboard afghan-border-dashboard db upgrade
  afghan-border-dashboard db load --data geodata --seeds seeds
  afghan-border-dashboard db dump --out reviewed/geodata --seeds-out reviewed/seeds
"""

LOAD_DESCRIPTION = """\
Validate a data folder and its documents folder, then replace the database's curated data (tables, map
layers, documents, audit log) with them in one transaction. A folder with problems is refused, with every
problem listed, and the database is left as it was. Servers reading the database show the new data at
their next rerun.
"""

DUMP_DESCRIPTION = """\
Write the database's curated data as a data folder (--out) and a documents folder (--seeds-out, default
seeds/ beside --out) that validate and equal the folder loaded: the same bytes for the tables and the
documents, the same data for the GeoJSON files. A folder that is not empty is refused unless --force;
each file is written whole or not at all. Files already in the folders that the database does not hold
are left as they are and listed.
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
    load = actions.add_parser(
        "load",
        help="validate a data folder and make it the database's curated data (one transaction)",
        description=LOAD_DESCRIPTION,
        epilog="example:\n  afghan-border-dashboard db load --data geodata --seeds seeds --url postgresql://dashboard@127.0.0.1/dashboard\n",
        formatter_class=HelpFormatter,
    )
    load.add_argument("--data", type=Path, required=True, metavar="DIR", help="the data folder to load")
    load.add_argument(
        "--seeds", type=Path, metavar="DIR", help="its documents folder (default: seeds/ beside --data)"
    )
    load.add_argument(
        "--who", default=None, help="who loads it, for the dataset's state (default: the system user)"
    )
    add_url_option(load)
    load.set_defaults(func=run_load)
    dump = actions.add_parser(
        "dump",
        help="write the database's curated data as a data folder and a documents folder",
        description=DUMP_DESCRIPTION,
        epilog="example:\n  afghan-border-dashboard db dump --out out/geodata --seeds-out out/seeds\n",
        formatter_class=HelpFormatter,
    )
    dump.add_argument("--out", type=Path, required=True, metavar="DIR", help="the data folder to write")
    dump.add_argument(
        "--seeds-out",
        type=Path,
        metavar="DIR",
        help="the documents folder to write (default: seeds/ beside --out)",
    )
    dump.add_argument("--force", action="store_true", help="write into folders that are not empty")
    add_url_option(dump)
    dump.set_defaults(func=run_dump)


def add_url_option(parser: argparse.ArgumentParser) -> None:
    """``--url``: the database, defaulting to the environment's."""
    parser.add_argument("--url", metavar="URL", help=f"the database (default: ${DATABASE_URL_ENV})")


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


def run_load(args: argparse.Namespace) -> int:
    """Load the folder, or print every problem (exit 1) and change nothing."""
    from dashboard.datafolder import ChangeRefused, TransactionError, default_who
    from dashboard.db import DatabaseError, redact
    from dashboard.db.transfer import load_folder
    from dashboard.events.pg_transfer import EventFilesError, load_events

    try:
        url = url_from_args(args)
        loaded = load_folder(url, args.data, args.seeds, who=args.who or default_who(), also=load_events)
    except EventFilesError as exc:
        error(f"{exc}; the database was not changed")
        return 1
    except ChangeRefused as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        error(f"{len(exc.problems)} problem(s) in {args.data}; the database was not changed")
        return 1
    except (DatabaseError, TransactionError) as exc:
        error(str(exc))
        return 1
    counts = ", ".join(f"{n} {name}" for name, n in loaded.counts.items())
    print(f"{redact(url)}: loaded {loaded.files} files ({counts}); the data is now version {loaded.version}")
    if loaded.events:
        print("imported events: " + ", ".join(f"{n} {key}" for key, n in loaded.events.items()))
    for name in loaded.not_exact:
        print(
            f"note: {name} is laid out in a way of its own; a dump gives back its cells in the usual layout"
        )
    return 0


def run_dump(args: argparse.Namespace) -> int:
    """Write the folders and say what was written."""
    from dashboard.db import DatabaseError
    from dashboard.events.pg_transfer import dump_events
    from dashboard.exports.database import dump_folder
    from dashboard.exports.paths import OutputError

    try:
        url = url_from_args(args)
        dumped = dump_folder(url, args.out, args.seeds_out, force=args.force, also=dump_events)
    except (DatabaseError, OutputError, OSError) as exc:
        error(str(exc))
        return 1
    print(
        f"wrote version {dumped.version}: {len(dumped.files)} files into {args.out} and its documents folder"
    )
    if dumped.events:
        print("imported events: " + ", ".join(f"{n} {key}" for key, n in dumped.events.items()))
    for path in dumped.left:
        print(f"note: {path} is not in the database and was left as it was")
    return 0
