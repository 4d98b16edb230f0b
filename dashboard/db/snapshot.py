"""Reading the shared database's curated data through the data folder's own path.

Each version of the data (``curated.dataset_state.version``) is written once, from one consistent
snapshot, into a private cache folder (``v<version>/geodata`` and ``v<version>/seeds``); the loader
then validates and loads it like any data folder, so every filter, export and "known on" view is the
same code for both stores. Knowing whether anything changed costs one query (the version): a server
sees another server's change at its next rerun. Older versions are removed, except the one before the
current (a page may still be reading it) and any folder a reader holds.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg

from dashboard.datafolder.lock import LockTimeout, TransactionError, locked
from dashboard.db import DatabaseError, connect, curated, redact, state
from dashboard.db.transfer import read_snapshot, snapshot_mode

#: Where the versions are written (default: ``$XDG_CACHE_HOME`` or ``~/.cache``, then
#: ``afghan-border-dashboard/db``); one sub-folder per database.
CACHE_DIR_ENV = "DASHBOARD_DB_CACHE_DIR"
#: How many versions stay in the cache (the current one and the one before it).
KEEP = 2
#: A folder being written that is older than this (seconds) was left by a killed process.
STALE_BUILD = 3600
_VERSION = re.compile(r"v(\d+)")


@dataclass(frozen=True)
class Snapshot:
    """One version of the curated data, written as a data folder and a documents folder."""

    version: int
    data_dir: Path
    seeds_dir: Path


def cache_root(url: str) -> Path:
    """This database's cache folder (named by a digest of the URL, never by the URL itself)."""
    base = os.environ.get(CACHE_DIR_ENV)
    if not base:
        home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = str(Path(home) / "afghan-border-dashboard" / "db")
    return Path(base) / hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def materialise(url: str) -> Snapshot:
    """The database's current version as folders (written now if this version is not cached yet).

    ``DatabaseError`` (password hidden) when the database cannot be reached or holds no data yet.
    """
    root = cache_root(url)
    try:
        with connect(url) as conn:
            snapshot_mode(conn)  # the version and the files below come from one snapshot
            version = state.current(conn).version
            folder = root / f"v{version}"
            if not folder.is_dir():
                _, files = read_snapshot(conn)
                _build(root, folder, files)
    except psycopg.errors.UndefinedTable as exc:
        raise DatabaseError(f"{redact(url)} has no curated tables: run `db upgrade`, then `db load`") from exc
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot read the database {redact(url)}: {exc}") from exc
    _prune(root, version)
    return Snapshot(version, folder / "geodata", folder / "seeds")


def _build(root: Path, folder: Path, files: dict) -> None:
    """Write the files into a new folder, then rename it into place (whole, or not at all)."""
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    build = root / f".build-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    (build / "geodata").mkdir(parents=True)
    (build / "seeds").mkdir()
    try:
        curated.write_folder_files(files, build / "geodata", build / "seeds")
        os.rename(build, folder)
    except OSError:
        if not folder.is_dir():  # not another process that wrote the same version first
            raise
    finally:
        shutil.rmtree(build, ignore_errors=True)


def _prune(root: Path, current: int) -> None:
    """Remove cached versions but the newest ``KEEP`` and what killed builds left behind."""
    if not root.is_dir():
        return
    versions = sorted(
        (int(m.group(1)), path) for path in root.iterdir() if (m := _VERSION.fullmatch(path.name))
    )
    for number, path in versions[:-KEEP]:
        if number == current:
            continue
        try:
            with locked(path / "geodata", exclusive=True, timeout=0):  # not while a reader holds it
                shutil.rmtree(path)
        except (LockTimeout, TransactionError, OSError):
            continue  # in use, or already removed by another process: the next change tries again
    for path in root.glob(".build-*"):
        try:
            if time.time() - path.stat().st_mtime > STALE_BUILD:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue
