"""One change to the curated data in the shared database, with the data folder's own interface.

:func:`transaction` gives the caller the same :class:`~dashboard.datafolder.Transaction` a data folder
gives (``rows``, ``write_table``, ``append_rows``, ``write_file``), so that every writer (accepting a
draft, retracting a source, the audit entries they write) is one code path for both stores::

    BEGIN
    pg_advisory_xact_lock        -- changes run one after the other: each reads what the last committed
    read the curated files into a private working copy (geodata/, seeds/)
    ... the caller's block reads and writes that copy ...
    validate the whole new state (the same validator)  -> ChangeRefused, and ROLLBACK
    replace the changed tables, layers and files; bump dataset_state.version with who
    COMMIT

Until the COMMIT nothing is visible to anyone else; a process killed at any step leaves the database as
it was (PostgreSQL rolls back the transaction of a connection that goes away), and the lock goes with it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from dashboard.datafolder import LOCK_TIMEOUT, Transaction, TransactionError
from dashboard.db import DatabaseError, connect, curated, redact, state

#: The private working copy of a change: ``dashboard-change-<process id>-...`` in the temporary folder.
WORK_PREFIX = "dashboard-change-"
#: The working copy's folder names: problems name files as they do in a data folder.
DATA_NAME, SEEDS_NAME = "geodata", "seeds"


@contextmanager
def transaction(
    url: str,
    *,
    who: str,
    reason: str = "",
    timeout: float = LOCK_TIMEOUT,
    waiting: Callable[[], None] | None = None,
) -> Iterator[Transaction]:
    """A change to the database's curated data, committed whole at the end of the block.

    Raises what :func:`dashboard.datafolder.transaction` raises: ``LockTimeout``, ``ChangeRefused``
    with every problem, ``TransactionError`` (the database unreachable or failing, or holding no data
    yet). An exception inside the block changes nothing.
    """
    if not who:
        raise TransactionError("a change must say who makes it")
    try:
        conn = connect(url)
    except DatabaseError as exc:
        raise TransactionError(f"{exc}; nothing was changed") from exc
    _remove_left_behind()
    try:
        with conn, tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-") as work:
            yield from _change(conn, Path(work), who, reason, timeout, waiting)
    except psycopg.Error as exc:
        raise TransactionError(
            f"the shared database {redact(url)} failed: {_first_line(exc)}; nothing was changed"
        ) from exc


def _change(conn, work: Path, who: str, reason: str, timeout: float, waiting) -> Iterator[Transaction]:
    with conn.transaction():
        state.lock(conn, timeout, waiting)
        if state.current(conn).version == 0:
            raise TransactionError(
                "the shared database holds no curated data yet: load a data folder into it with `db load`"
            )
        before = curated.read_files(conn)
        data_dir, seeds_dir = work / DATA_NAME, work / SEEDS_NAME
        data_dir.mkdir()
        seeds_dir.mkdir()
        curated.write_folder_files(before, data_dir, seeds_dir)
        tx = Transaction(data_dir, seeds_dir, who, reason)
        tx.step("locked")
        yield tx
        tx.commit()  # validates the working copy: ChangeRefused leaves the database untouched
        after = curated.folder_files(data_dir, seeds_dir)
        changed = {key: data for key, data in after.items() if before.get(key) != data}
        for key, data in changed.items():
            curated.store_file(conn, key, data)
            tx.step(f"stored {key[1]}")
        for key in before.keys() - after.keys():
            curated.remove_file(conn, key)
        if changed:
            state.bump(conn, who)
            tx.step("version moved on")


def _remove_left_behind() -> None:
    """Remove the working copies of changes whose process was killed (its id names the folder)."""
    for path in Path(tempfile.gettempdir()).glob(f"{WORK_PREFIX}*"):
        pid = path.name[len(WORK_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return redact(text.splitlines()[0]) if text else type(exc).__name__
