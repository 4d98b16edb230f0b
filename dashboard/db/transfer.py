"""``db load`` and ``db dump``: a reviewed data folder into the shared database, and back out.

A folder is loaded only when it validates, and whole: the database's curated content is replaced in one
transaction, under the same lock as every change, so a server never reads half a load. A dump writes
the database's content as a data folder and a documents folder that validate and equal the folder
loaded (the same bytes for the tables and documents; the same data for the GeoJSON files), so that a
data folder reviewed in git and the database stay one dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from dashboard.datafolder import LOCK_TIMEOUT, ChangeRefused, reading
from dashboard.db import DatabaseError, connect, curated, state
from dashboard.db.migrate import require_current
from dashboard.exports.paths import OutputError, write_bytes
from dashboard.validate import validate


@dataclass
class Loaded:
    """What ``load_folder`` did."""

    version: int
    counts: dict[str, int]
    files: int
    not_exact: list[str] = field(default_factory=list)  # CSV files a dump will lay out its own way


@dataclass
class Dumped:
    """What ``dump_folder`` wrote."""

    version: int
    files: list[Path]
    left: list[Path] = field(default_factory=list)  # files already in the folders, not in the database


def load_folder(
    url: str, data_dir: Path, seeds_dir: Path | None = None, *, who: str, timeout: float = LOCK_TIMEOUT
) -> Loaded:
    """Replace the database's curated data with the folders' in one transaction.

    ``ChangeRefused`` (every problem) when the folders do not validate: nothing is changed then.
    """
    data_dir = Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else data_dir.parent / "seeds"
    with reading(data_dir, seeds_dir):  # no change to the folder half done, none starting meanwhile
        result = validate(data_dir, seeds_dir)
        if not result.ok:
            raise ChangeRefused(result.problems)
        files = curated.folder_files(data_dir, seeds_dir)
    try:
        with connect(url) as conn:
            require_current(conn)
            conn.commit()
            with conn.transaction():
                state.lock(conn, timeout)
                curated.clear(conn)
                not_exact = [
                    f"{key[0]}/{key[1]}"
                    for key, data in files.items()
                    if not curated.store_file(conn, key, data)
                ]
                version = state.bump(conn, who)
    except psycopg.Error as exc:
        raise DatabaseError(f"the load failed and nothing was changed: {exc}") from exc
    return Loaded(version, dict(result.counts), len(files), not_exact)


def snapshot_mode(conn) -> None:
    """Make the connection's next transactions read-only snapshots (REPEATABLE READ)."""
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True


def read_snapshot(conn) -> tuple[state.State, dict[curated.FileKey, bytes]]:
    """The dataset's state and every curated file, read in one snapshot (call in a REPEATABLE READ
    transaction, so that a change committed meanwhile is wholly in or wholly out)."""
    current = state.current(conn)
    if current.version == 0:
        raise DatabaseError("the database holds no curated data yet: load a data folder with `db load`")
    return current, curated.read_files(conn)


def dump_folder(url: str, out: Path, seeds_out: Path | None = None, *, force: bool = False) -> Dumped:
    """Write the database's curated data into ``out`` and its documents into ``seeds_out``
    (default: ``seeds/`` beside ``out``). A folder that is not empty is refused unless ``force``;
    each file is written atomically."""
    out = Path(out)
    seeds_out = Path(seeds_out) if seeds_out is not None else out.parent / "seeds"
    if out.resolve() == seeds_out.resolve():
        raise OutputError(f"{out}: the data and its documents need two folders (give --seeds-out)")
    for folder in (out, seeds_out):
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"{folder} is not a folder")
        if folder.is_dir() and any(folder.iterdir()) and not force:
            raise OutputError(f"{folder} is not empty; use --force to write into it")
    with connect(url) as conn:
        require_current(conn)
        conn.commit()
        snapshot_mode(conn)
        current, files = read_snapshot(conn)
    folders = {curated.DATA: out, curated.SEEDS: seeds_out}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    written = [
        write_bytes(folders[key] / name, data, force=True) for (key, name), data in sorted(files.items())
    ]
    left = [
        path
        for key, folder in folders.items()
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".") and (key, path.name) not in files
    ]
    return Dumped(current.version, written, left)
