"""``db load``: a reviewed data folder into the shared database (``db dump``'s reading side too).

A folder is loaded only when it validates, and whole: the database's curated content is replaced in one
transaction, under the same lock as every change, so a server never reads half a load. A dump writes
the database's content as a data folder and a documents folder that validate and equal the folder
loaded (the same bytes for the tables and documents; the same data for the GeoJSON files), so that a
data folder reviewed in git and the database stay one dataset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from dashboard.datafolder import LOCK_TIMEOUT, ChangeRefused, reading
from dashboard.db import DatabaseError, connect, curated, state
from dashboard.db.migrate import require_current
from dashboard.validate import validate


@dataclass
class Loaded:
    """What ``load_folder`` did."""

    version: int
    counts: dict[str, int]
    files: int
    not_exact: list[str] = field(default_factory=list)  # CSV files a dump will lay out its own way
    events: dict[str, int] = field(default_factory=dict)  # imported events loaded, by dataset


#: Moves a folder's other contents (the imported events) in or out, inside the caller's transaction:
#: ``(connection, data folder) -> rows by dataset``. Given by the caller, so that this package does not
#: depend on the events package, which depends on it.
Transfer = Callable[[object, Path], dict[str, int]]


def load_folder(
    url: str,
    data_dir: Path,
    seeds_dir: Path | None = None,
    *,
    who: str,
    timeout: float = LOCK_TIMEOUT,
    also: Transfer | None = None,
) -> Loaded:
    """Replace the database's curated data with the folders' in one transaction (with ``also``'s).

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
                # The folder's imported events (events/), in the same transaction; none: left as they are.
                events = also(conn, data_dir) if also is not None else {}
                version = state.bump(conn, who)
    except psycopg.Error as exc:
        raise DatabaseError(f"the load failed and nothing was changed: {exc}") from exc
    return Loaded(version, dict(result.counts), len(files), not_exact, events)


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
