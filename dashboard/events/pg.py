"""Imported events in the shared PostgreSQL/PostGIS store: the engine handle, manifests and COPY.

With ``DASHBOARD_DATABASE_URL`` set, the events live in the table ``imported.events`` (migration
``0003_events``) instead of Parquet files. :class:`PgEngine` is what ``store.engine`` then hands to
``aggregate``: it runs the same SQL (through the PostgreSQL :mod:`dialect`) on a pooled connection and
returns the rows, so filters and aggregates are computed in the database, never in Python. Rows move
between DuckDB and PostgreSQL as CSV through ``COPY`` (:func:`copy_in`, :func:`copy_out`), both engines
writing and reading it in C.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from dashboard.db import DatabaseError, connect, redact
from dashboard.events.dialect import POSTGRESQL

#: The schema of the imported events' tables.
SCHEMA = "imported"
#: Idle connections kept per database for the app's queries.
IDLE_LIMIT = 4
#: Bytes moved per write during a COPY.
CHUNK = 1 << 20

_idle: dict[str, list] = {}
_lock = threading.Lock()


def _open(url: str):
    """A new autocommit connection whose ``events`` is ``imported.events``.

    Only reads: a viewer's role needs no right to create anything (the schema is ``db upgrade``'s).
    """
    conn = connect(url, autocommit=True)
    try:
        if conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.events",)).fetchone()[0] is None:
            raise DatabaseError(
                f"the database {redact(url)} has no table {SCHEMA}.events (migration 0003_events is not "
                "applied): run `db upgrade`"
            )
        conn.execute(f"SET search_path TO {SCHEMA}, public")
    except BaseException:
        conn.close()
        raise
    return conn


class StaleConnection(DatabaseError):
    """A pooled connection the server had dropped (a restart, an idle timeout): worth one new try."""


@contextmanager
def borrowed(url: str, fresh: bool = False) -> Iterator:
    """A pooled connection to ``url`` for one query (``fresh``: a new one).

    A connection that fails is closed, never pooled again; the failure is a ``DatabaseError`` without
    the password, a ``StaleConnection`` when the connection had been pooled.
    """
    import psycopg

    conn = None
    if not fresh:
        with _lock:
            pool = _idle.setdefault(url, [])
            conn = pool.pop() if pool else None
    reused = conn is not None
    if conn is None:
        conn = _open(url)
    try:
        yield conn
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
        conn.close()
        kind = StaleConnection if reused else DatabaseError
        raise kind(f"the database {redact(url)} failed: {str(exc).strip().splitlines()[0]}") from exc
    except BaseException:
        conn.close()  # in an unknown state: never hand it out again
        raise
    if conn.closed or conn.broken:
        return
    with _lock:
        pool = _idle.setdefault(url, [])
        if len(pool) < IDLE_LIMIT:
            pool.append(conn)
            return
    conn.close()


class Result:
    """A query's rows and column names, fetched whole (queries return aggregates or bounded rows)."""

    def __init__(self, names: list[str], rows: list[tuple]) -> None:
        self.description = [(name,) for name in names]
        self._rows = rows

    def fetchone(self) -> tuple | None:
        """The first row, or None."""
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple]:
        """Every row."""
        return self._rows


class PgEngine:
    """The engine handle for PostgreSQL: ``execute(sql, params)`` as a DuckDB cursor offers it."""

    dialect = POSTGRESQL

    def __init__(self, url: str) -> None:
        self.url = url

    def execute(self, sql: str, params: Sequence = ()) -> Result:
        """Run one statement written for both engines (``?`` placeholders) and return its rows.

        Statements only read, so one that met a dropped pooled connection is run again on a new one.
        """
        sql, params = self.dialect.translate(sql, params)
        try:
            return self._run(sql, params, fresh=False)
        except StaleConnection:
            return self._run(sql, params, fresh=True)

    def _run(self, sql: str, params: list, fresh: bool) -> Result:
        with borrowed(self.url, fresh) as conn:
            cur = conn.execute(sql, params)
            names = [column.name for column in cur.description or ()]
            return Result(names, cur.fetchall() if cur.description else [])


def manifests(url: str) -> dict[str, dict]:
    """Every imported dataset's manifest by key (the manifest as the embedded store's JSON file holds it)."""
    with borrowed(url) as conn:
        rows = conn.execute(f"SELECT dataset, manifest FROM {SCHEMA}.manifests").fetchall()
    return dict(rows)


def fingerprint(url: str) -> tuple:
    """A cache key that changes with every import or load: the datasets' revisions."""
    with borrowed(url) as conn:
        rows = conn.execute(f"SELECT dataset, revision FROM {SCHEMA}.manifests ORDER BY dataset").fetchall()
    return ("postgresql", redact(url), tuple(rows))


def copy_in(duck, select_sql: str, cur, table: str, columns: Sequence[str]) -> None:
    """COPY the rows of DuckDB's ``select_sql`` (its columns in ``columns``' order) into ``table``."""
    listed = ", ".join(columns)
    with tempfile.TemporaryDirectory(prefix="events-copy-") as folder:
        path = Path(folder) / "rows.csv"
        duck.execute(f"COPY ({select_sql}) TO '{_literal(path)}' (FORMAT csv, HEADER false)")
        with cur.copy(f"COPY {table} ({listed}) FROM STDIN (FORMAT csv)") as copy, path.open("rb") as rows:
            while chunk := rows.read(CHUNK):
                copy.write(chunk)


@contextmanager
def copy_out(cur, select_sql: str, params: Sequence = ()) -> Iterator[Path]:
    """The rows of PostgreSQL's ``select_sql`` as a CSV file (NULL unquoted and empty, '' quoted),
    for DuckDB's ``read_csv``; the file is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="events-copy-") as folder:
        path = Path(folder) / "rows.csv"
        with path.open("wb") as out, cur.copy(f"COPY ({select_sql}) TO STDOUT (FORMAT csv)", params) as copy:
            for chunk in copy:
                out.write(chunk)
        yield path


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


#: PostgreSQL's type for each of the stored columns' DuckDB types.
PG_TYPES: dict[str, str] = {
    "VARCHAR": "text",
    "DATE": "date",
    "TINYINT": "smallint",
    "INTEGER": "integer",
    "DOUBLE": "double precision",
    "UBIGINT": "bigint",  # an H3 cell id keeps its top bit clear: it fits a signed bigint
}
#: Columns compared and sorted as bytes, as the embedded engine does (the table declares them "C").
BYTE_COLUMNS: tuple[str, ...] = ("dataset", "event_id")


def column_ddl(columns: dict[str, str]) -> str:
    """``name type`` pairs for a table with these stored columns (name -> DuckDB type)."""
    return ", ".join(
        f"{name} {PG_TYPES[kind]}" + (' COLLATE "C"' if name in BYTE_COLUMNS else "")
        for name, kind in columns.items()
    )
