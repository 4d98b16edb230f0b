"""The imported events' store: one Parquet file per dataset in ``DATA/events/``, with a manifest beside it.

``DATA/events/acled.parquet`` holds every event ever imported from ACLED (withdrawn ones marked, never
deleted), ``DATA/events/acled.json`` says which export it holds: dataset, export date and version,
licence and attribution, the file it came from and what the last import changed. DuckDB queries the
Parquet files in place (no extension, no copy in memory): ``EventStore.connect`` gives a connection
with one view, ``events``, over all of them. A file is replaced whole and atomically (written beside,
then renamed), so a reader never sees half an import.

With ``DASHBOARD_DATABASE_URL`` set (or a ``url`` given), the events live in the shared database
instead (``pg``): ``engine`` then hands out a PostgreSQL handle the same aggregates run on, and an
``EventStore``'s manifests and fingerprint come from there.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import duckdb

from dashboard.db import database_url
from dashboard.events.datasets import DATASETS, STORED_COLUMNS

#: The store's folder inside a data folder.
FOLDER = "events"


def empty_select() -> str:
    """SQL for an empty table with the stored columns (when nothing is imported yet)."""
    return "SELECT " + ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in STORED_COLUMNS.items()) + " LIMIT 0"


class EventStore:
    """The imported events of one data folder, or of the shared database when one is named.

    ``url``: the shared database (None: ``DASHBOARD_DATABASE_URL``; "": the data folder's files).
    """

    def __init__(self, data_dir: Path, url: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.folder = self.data_dir / FOLDER
        self.url = database_url() if url is None else url

    def parquet(self, dataset: str) -> Path:
        """The Parquet file of ``dataset``."""
        return self.folder / f"{dataset}.parquet"

    def manifest_path(self, dataset: str) -> Path:
        """The manifest of ``dataset``."""
        return self.folder / f"{dataset}.json"

    def datasets(self) -> list[str]:
        """Keys of the datasets imported here, in ``DATASETS`` order."""
        if self.url:
            return list(self.manifests())
        return [key for key in DATASETS if self.parquet(key).is_file()]

    def manifest(self, dataset: str) -> dict:
        """The manifest of ``dataset`` ({} when it was never imported)."""
        if self.url:
            return self.manifests().get(dataset, {})
        path = self.manifest_path(dataset)
        if not path.is_file():
            return {}
        return json.loads(path.read_text(encoding="utf-8"))

    def manifests(self) -> dict[str, dict]:
        """Every imported dataset's manifest by key, in ``DATASETS`` order."""
        if self.url:
            from dashboard.events import pg

            found = pg.manifests(self.url)
            return {key: found[key] for key in DATASETS if key in found}
        return {key: self.manifest(key) for key in self.datasets()}

    def fingerprint(self) -> tuple:
        """(name, mtime in ns, size) of every file of the store (in the database: each dataset's
        revision): a cache key that changes with an import."""
        if self.url:
            from dashboard.events import pg

            return pg.fingerprint(self.url)
        if not self.folder.is_dir():
            return ()
        return tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(self.folder.iterdir())
            if p.is_file()
        )

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with the view ``events`` over every dataset's Parquet file."""
        con = duckdb.connect(config={"threads": max(1, os.cpu_count() or 1)})
        files = [str(self.parquet(key)) for key in self.datasets()]
        if files:
            listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            con.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet([{listed}], union_by_name = true)")
        else:
            con.execute(f"CREATE VIEW events AS {empty_select()}")
        return con

    def write(self, con: duckdb.DuckDBPyConnection, dataset: str, select_sql: str, manifest: dict) -> None:
        """Write ``select_sql``'s rows as ``dataset``'s Parquet file, then its manifest; each atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dataset}-", suffix=".parquet", dir=self.folder)
        os.close(fd)
        try:
            con.execute(
                f"COPY ({select_sql}) TO '{tmp.replace(chr(39), chr(39) * 2)}' "
                "(FORMAT parquet, ROW_GROUP_SIZE 100000)"
            )
            os.replace(tmp, self.parquet(dataset))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.write_manifest(dataset, manifest)

    def write_manifest(self, dataset: str, manifest: dict) -> None:
        """Replace ``dataset``'s manifest atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dataset}-", suffix=".json", dir=self.folder)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(manifest, out, indent=2, ensure_ascii=False)
            out.write("\n")
        os.chmod(tmp, 0o644)  # readable like the data files beside it (mkstemp makes it private)
        os.replace(tmp, self.manifest_path(dataset))


@lru_cache(maxsize=4)
def _connection(folder: str, fingerprint: tuple) -> duckdb.DuckDBPyConnection:
    """One connection per state of the store (a new import gives a new fingerprint, so a new connection)."""
    del fingerprint  # only the cache key
    return EventStore(Path(folder)).connect()


def engine(data_dir: Path, url: str | None = None):
    """A cursor over the ``events`` view of ``data_dir``'s store, for one thread's queries.

    The connection behind it is shared until the store changes; each caller gets its own cursor, which
    DuckDB allows to be used from another thread than the connection's. With a shared database
    (``url``, or ``DASHBOARD_DATABASE_URL`` when it is None), a ``pg.PgEngine`` over its events instead.
    """
    store = EventStore(data_dir, url)
    if store.url:
        from dashboard.events.pg import PgEngine

        return PgEngine(store.url)
    return _connection(str(store.data_dir), store.fingerprint()).cursor()
