"""The schema, created and moved forward by numbered SQL files in ``migrations/``, each applied once.

``NNNN_name.sql`` files run in number order, each in its own transaction together with its row in
``schema_migrations`` (number, name, SHA-256 of the file, when). Two servers upgrading at once are
serialised by an advisory lock, so a migration never runs twice. A file changed after it was applied is
refused: the database would no longer match what the code expects, and nothing is guessed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

from dashboard.db import DatabaseError, connect

#: Key of the advisory lock held while the schema changes (any stable 64-bit number).
LOCK_KEY = 0x4146_4744_4253_0001
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    number: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def migrations() -> list[Migration]:
    """Every migration shipped with the package, in number order; a misnamed or duplicate file raises."""
    found: dict[int, Migration] = {}
    for entry in resources.files("dashboard.db").joinpath("migrations").iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _NAME.match(entry.name)
        if match is None:
            raise DatabaseError(f"migrations/{entry.name}: expected a name like 0002_curated.sql")
        number = int(match.group(1))
        if number in found:
            raise DatabaseError(f"migrations/{entry.name}: number {number} is used twice")
        found[number] = Migration(number, match.group(2), entry.read_text(encoding="utf-8"))
    return [found[n] for n in sorted(found)]


_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    number integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


def applied(conn) -> dict[int, tuple[str, str]]:
    """number -> (name, checksum) of the migrations the database has had."""
    conn.execute(_LEDGER)
    rows = conn.execute("SELECT number, name, checksum FROM schema_migrations").fetchall()
    return {number: (name, checksum) for number, name, checksum in rows}


def pending(conn) -> list[Migration]:
    """The migrations not yet applied; ``DatabaseError`` when an applied one was changed or is unknown."""
    done = applied(conn)
    known = {m.number: m for m in migrations()}
    for number, (name, checksum) in sorted(done.items()):
        migration = known.get(number)
        if migration is None:
            raise DatabaseError(
                f"the database has migration {number:04d}_{name}, which this version does not know: "
                "it was upgraded by a newer version of the dashboard"
            )
        if migration.checksum != checksum:
            raise DatabaseError(
                f"migrations/{number:04d}_{name}.sql changed after it was applied to this database; "
                "add a new migration instead of editing an applied one"
            )
    return [m for n, m in known.items() if n not in done]


def upgrade(url: str) -> list[Migration]:
    """Apply every pending migration to the database at ``url``; return those applied (maybe none)."""
    with connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            todo = pending(conn)
            for migration in todo:
                with conn.transaction():
                    conn.execute(migration.sql)
                    conn.execute(
                        "INSERT INTO schema_migrations (number, name, checksum) VALUES (%s, %s, %s)",
                        (migration.number, migration.name, migration.checksum),
                    )
            return todo
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))


def require_current(conn) -> None:
    """Raise ``DatabaseError`` unless every migration has been applied (the app never migrates by itself)."""
    todo = pending(conn)
    if todo:
        names = ", ".join(f"{m.number:04d}_{m.name}" for m in todo)
        raise DatabaseError(f"the database schema is behind ({names} not applied): run `db upgrade`")
