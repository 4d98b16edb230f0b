"""The curated dataset's version, and the lock every change to it holds.

``curated.dataset_state`` has one row: ``version`` (0 before anything was loaded) moves on with every
change, with when and by whom. A server reading the data asks for the version alone to know whether it
has to read anything else. A change takes a transaction-scoped advisory lock first, so that changes
made at once by several curators (several servers, the command line) run one after the other, each
reading what the one before it committed: no change is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import psycopg

from dashboard.datafolder.lock import LockTimeout

#: Key of the advisory lock held by every change to the curated data (any stable 64-bit number).
CHANGE_LOCK_KEY = 0x4146_4744_4253_0002


@dataclass(frozen=True)
class State:
    """The row of ``curated.dataset_state``."""

    version: int
    changed_at: datetime
    changed_by: str


def current(conn) -> State:
    """The dataset's version, when it last changed and by whom."""
    row = conn.execute("SELECT version, changed_at, changed_by FROM curated.dataset_state").fetchone()
    return State(*row)


def bump(conn, who: str) -> int:
    """Move the version on (inside the change's transaction) and return the new one."""
    row = conn.execute(
        "UPDATE curated.dataset_state SET version = version + 1, changed_at = now(), changed_by = %s "
        "RETURNING version",
        (who,),
    ).fetchone()
    return int(row[0])


def lock(conn, timeout: float, waiting: Callable[[], None] | None = None) -> None:
    """Take the change lock for the current transaction; ``LockTimeout`` after ``timeout`` seconds.

    ``waiting`` is called once when another change holds the lock, before waiting for it.
    """
    if conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (CHANGE_LOCK_KEY,)).fetchone()[0]:
        return
    if waiting is not None:
        waiting()
    conn.execute("SELECT set_config('lock_timeout', %s, true)", (f"{max(int(timeout * 1000), 1)}ms",))
    try:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (CHANGE_LOCK_KEY,))
    except psycopg.errors.LockNotAvailable as exc:
        raise LockTimeout(
            f"another change to the shared database is still in progress after {timeout:g} s of waiting; "
            "nothing was changed. Try again when it has finished."
        ) from exc
    conn.execute("SELECT set_config('lock_timeout', '0', true)")
