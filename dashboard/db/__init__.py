"""The team's shared store: PostgreSQL with PostGIS, chosen by ``DASHBOARD_DATABASE_URL``.

Without that variable the product keeps its embedded store (the data folder and its DuckDB/Parquet
events) and needs no server. With it, the curated records, the audit log and the imported events live in
the database named by the URL (``postgresql://user@host:port/name``). Its schema is created and moved
forward only by :func:`dashboard.db.migrate.upgrade` (``python -m dashboard db upgrade``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

#: The environment variable naming the shared database; unset or empty: the embedded store.
DATABASE_URL_ENV = "DASHBOARD_DATABASE_URL"
#: Seconds a connection attempt may take before the database counts as unreachable.
CONNECT_TIMEOUT = 5


class DatabaseError(RuntimeError):
    """The database cannot be used as asked; the message says why, without the password."""


def database_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The shared database's URL from the environment, or None for the embedded store."""
    value = (os.environ if environ is None else environ).get(DATABASE_URL_ENV, "").strip()
    if not value:
        return None
    if not value.startswith(("postgresql://", "postgres://")):
        raise DatabaseError(f"{DATABASE_URL_ENV}: expected a postgresql:// URL, got {redact(value)!r}")
    return value


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***``: for messages and logs."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def connect(url: str, **kwargs: object):
    """An open psycopg connection to ``url``; ``DatabaseError`` (password hidden) when it cannot be had."""
    import psycopg

    try:
        return psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, **kwargs)
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot reach the database {redact(url)}: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return redact(text.splitlines()[0]) if text else type(exc).__name__
