"""The imported events' store: one Parquet file per dataset in ``DATA/events/``, with a manifest beside it.

``DATA/events/acled.parquet`` holds every event ever imported from ACLED (withdrawn ones marked, never
deleted), ``DATA/events/acled.json`` says which export it holds: dataset, export date and version,
licence and attribution, the file it came from and what the last import changed. DuckDB queries the
Parquet files in place (no extension, no copy in memory): ``EventStore.connect`` gives a connection
with one view, ``events``, over all of them.

An import replaces both files under the store's lock (:meth:`EventStore.writing`), so that two imports
never merge into the same old file. Both are written beside their targets and flushed first; then the
Parquet file is renamed into place (the commit point), then the manifest. Both carry the same
``import_id`` (the Parquet file in its key-value metadata), so a reader always pairs the events with
their own manifest: killed between the two renames, the new manifest waiting beside its target is the
one that matches, and the next import puts it in place. A file removed, truncated or from another
import is reported (:meth:`EventStore.problems`) and its dataset left out, never read half.

With ``DASHBOARD_DATABASE_URL`` set (or a ``url`` given), the events live in the shared database
instead (``pg``): ``engine`` then hands out a PostgreSQL handle the same aggregates run on, and an
``EventStore``'s manifests and fingerprint come from there.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import duckdb

from dashboard.datafolder import Steps
from dashboard.datafolder.lock import LOCK_TIMEOUT, locked
from dashboard.db import DatabaseError, database_url
from dashboard.durable import fsync_dir
from dashboard.events.datasets import DATASETS, STORED_COLUMNS
from dashboard.validate import Problem

#: The store's folder inside a data folder.
FOLDER = "events"


def empty_select() -> str:
    """SQL for an empty table with the stored columns (when nothing is imported yet)."""
    return "SELECT " + ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in STORED_COLUMNS.items()) + " LIMIT 0"


#: The key, in a Parquet file's key-value metadata and in its manifest, that pairs the two.
IMPORT_ID = "import_id"


class StoreError(Exception):
    """The store cannot be written as it is; the message names the file and says what to do."""


@dataclass(frozen=True)
class StoreState:
    """What a reader may use: each readable dataset's manifest, and why the others are left out."""

    manifests: dict[str, dict] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


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

    def pending(self, path: Path) -> Path:
        """Where the next version of ``path`` is written before it is renamed into place."""
        return path.with_name(f".{path.name}.new")

    def state(self) -> StoreState:
        """The store as a reader may use it now (checked once per state of its files; in the
        database, each dataset's manifest, which a transaction writes with its events)."""
        if self.url:
            from dashboard.events import pg

            try:
                found = pg.manifests(self.url)
            except DatabaseError as exc:  # the page goes on without them and says why
                return StoreState({}, (Problem("database", 0, "", f"imported events left out: {exc}"),))
            return StoreState({key: found[key] for key in DATASETS if key in found})
        return _state(str(self.folder), self.fingerprint())

    def datasets(self) -> list[str]:
        """Keys of the datasets imported here and readable, in ``DATASETS`` order."""
        return list(self.state().manifests)

    def manifest(self, dataset: str) -> dict:
        """The manifest of ``dataset`` that goes with its events ({} when none can be read)."""
        return dict(self.state().manifests.get(dataset, {}))

    def manifests(self) -> dict[str, dict]:
        """Every readable dataset's manifest by key."""
        return {key: dict(value) for key, value in self.state().manifests.items()}

    def problems(self) -> list[Problem]:
        """Why a dataset is left out: its events removed, unreadable, or not the ones its manifest names."""
        return list(self.state().problems)

    def fingerprint(self) -> tuple:
        """(name, mtime in ns, size) of every file of the store (in the database: each dataset's
        revision): a cache key that changes with an import."""
        if self.url:
            from dashboard.events import pg

            try:
                return pg.fingerprint(self.url)
            except DatabaseError:  # unreachable: no dataset is readable (``state`` says why)
                return ("postgresql", "unreachable")
        entries = []
        try:
            with os.scandir(self.folder) as listing:
                for entry in listing:
                    try:
                        if entry.is_file():
                            info = entry.stat()
                            entries.append((entry.name, info.st_mtime_ns, info.st_size))
                    except OSError:  # removed since the folder was listed
                        continue
        except OSError:  # no store (yet)
            return ()
        return tuple(sorted(entries))

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with the view ``events`` over every readable dataset's file."""
        con = duckdb.connect(config={"threads": max(1, os.cpu_count() or 1)})
        files = [str(self.parquet(key)) for key in self.datasets()]
        if files:
            listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            con.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet([{listed}], union_by_name = true)")
        else:
            con.execute(f"CREATE VIEW events AS {empty_select()}")
        return con

    # --- writing (the importer) ----------------------------------------------------------------------

    @contextmanager
    def writing(self, dataset: str, timeout: float = LOCK_TIMEOUT) -> Iterator[dict]:
        """Hold the store's lock for one import of ``dataset``; yield its current manifest.

        An import killed earlier is completed or undone first. ``StoreError`` when the dataset's stored
        events cannot be read (merging into them would lose the events already imported).
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        with locked(self.folder, exclusive=True, timeout=timeout):
            self.recover()
            found = [p for p in self.problems() if p.file in _names(self.folder, dataset)]
            if found:
                raise StoreError(
                    f"{found[0]}; nothing imported. Restore the file from a backup, or move "
                    f"{FOLDER}/{dataset}.parquet and {FOLDER}/{dataset}.json away to start the dataset afresh"
                )
            yield self.manifest(dataset)

    def recover(self) -> str:
        """Complete an import killed after its commit point, remove what one left before it; call locked."""
        done = []
        for key in DATASETS:
            target, waiting = self.manifest_path(key), self.pending(self.manifest_path(key))
            if waiting.is_file():
                new_id = _id_of_manifest(waiting)
                if new_id and new_id == _id_of_events(self.parquet(key)):
                    os.replace(waiting, target)  # the events are in place: their manifest goes with them
                    done.append(f"completed the import of {key}")
                else:
                    waiting.unlink()
            leftover = self.pending(self.parquet(key))
            if leftover.exists():
                leftover.unlink()
                done.append(f"removed an unfinished import of {key}")
        if done:
            fsync_dir(self.folder, tolerant=True)
        return "; ".join(done)

    def write(self, con: duckdb.DuckDBPyConnection, dataset: str, select_sql: str, manifest: dict) -> None:
        """Write ``select_sql``'s rows as ``dataset``'s Parquet file and its manifest, as one change.

        Call inside :meth:`writing`. Both are written beside their targets and flushed; the Parquet file
        is renamed into place first (the commit point), then the manifest.
        """
        steps = Steps()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        import_id = f"{stamp}-{os.getpid()}-{secrets.token_hex(4)}"
        events, described = self.parquet(dataset), self.manifest_path(dataset)
        new_events, new_manifest = self.pending(events), self.pending(described)
        try:
            con.execute(
                f"COPY ({select_sql}) TO '{_literal(new_events)}' "
                f"(FORMAT parquet, ROW_GROUP_SIZE 100000, KV_METADATA {{{IMPORT_ID}: '{import_id}'}})"
            )
            _fsync_file(new_events)
            steps.step("events written")
            _write_json(new_manifest, {**manifest, IMPORT_ID: import_id})
            steps.step("manifest written")
            os.replace(new_events, events)
        except BaseException:
            # Before the commit point: the stored events and manifest are as they were; nothing is left.
            for path in (new_events, new_manifest):
                path.unlink(missing_ok=True)
            raise
        fsync_dir(self.folder, tolerant=True)
        steps.step("events installed")
        os.replace(new_manifest, described)
        fsync_dir(self.folder, tolerant=True)
        steps.step("manifest installed")


def _names(folder: Path, dataset: str) -> tuple[str, str]:
    """How problems name a dataset's two files: ``geodata/events/acled.parquet`` and its manifest."""
    base = f"{Path(folder).parent.name}/{FOLDER}/{dataset}"
    return f"{base}.parquet", f"{base}.json"


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


def _write_json(path: Path, body: dict) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(body, out, indent=2, ensure_ascii=False)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())
    os.chmod(path, 0o644)  # readable like the data files beside it


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _id_of_events(path: Path) -> str | None:
    """The import id in a Parquet file's metadata ("" for a file from before ids); None when unreadable."""
    return _read_id(path)[0]


def _read_id(path: Path) -> tuple[str | None, str]:
    """(the import id or None, why the file cannot be read). Reads the file's footer only."""
    try:
        with duckdb.connect() as con:
            rows = con.execute(
                "SELECT decode(value) FROM parquet_kv_metadata(?) WHERE decode(key) = ?",
                [str(path), IMPORT_ID],
            ).fetchall()
    except (duckdb.Error, OSError) as exc:
        return None, str(exc).splitlines()[0].removeprefix("Invalid Input Error: ")
    return (rows[0][0] if rows else ""), ""


def _id_of_manifest(path: Path) -> str | None:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(body.get(IMPORT_ID, "")) if isinstance(body, dict) else None


def _read_manifest(path: Path) -> dict | str:
    """The manifest at ``path``, or why it cannot be read."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "is missing"
    except (OSError, ValueError) as exc:
        return f"cannot be read ({exc})"
    return body if isinstance(body, dict) else "is not a manifest (not a JSON object)"


def _check(folder: Path, key: str) -> dict | Problem | None:
    """``key``'s manifest when its events can be read with it; else the problem; None: never imported."""
    store = EventStore(folder.parent)
    events, described = store.parquet(key), store.manifest_path(key)
    name, manifest_name = _names(folder, key)
    if not events.exists():
        if described.exists():
            return Problem(name, 0, "", "is missing (its manifest is there); its events are left out")
        return None
    found, reason = _read_id(events)
    if found is None:
        return Problem(name, 0, "", f"cannot be read ({reason}); its events are left out")
    for candidate in (described, store.pending(described)):
        body = _read_manifest(candidate)
        if isinstance(body, dict) and (not found or str(body.get(IMPORT_ID, "")) == found):
            return body  # an old store's files carry no id: its manifest is theirs
    body = _read_manifest(described)
    why = body if isinstance(body, str) else f"is from another import than {name}"
    return Problem(manifest_name, 0, "", f"{why}; the events of {name} are left out")


@lru_cache(maxsize=16)
def _state(folder: str, fingerprint: tuple) -> StoreState:
    """Each dataset checked, once per state of the store's files (the fingerprint is the key)."""
    del fingerprint  # only the cache key
    manifests, problems = {}, []
    for key in DATASETS:
        found = _check(Path(folder), key)
        if isinstance(found, Problem):
            problems.append(found)
        elif found is not None:
            manifests[key] = found
    return StoreState(manifests, tuple(problems))


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
