"""The data folder's lock: ``flock`` on the folder itself, exclusive for a writer, shared for a reader.

The lock is taken on the folder's own directory descriptor rather than on a lock file, so there is no
file to leave behind or to race over when it is removed, and the kernel releases the lock the moment its
holder exits, however it exits (a killed writer never leaves the folder locked). A process that cannot
get the lock within ``timeout`` seconds fails with :class:`LockTimeout`, saying what it waited for.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: How long a writer or reader waits for another writer, in seconds.
LOCK_TIMEOUT = 60.0
#: How often a waiting process tries again, in seconds.
_POLL = 0.05


class TransactionError(Exception):
    """A change to the data folder could not be made; the message says why and names the folder."""


class LockTimeout(TransactionError):
    """Another process kept the data folder locked for longer than the caller would wait."""


@contextmanager
def locked(
    folder: Path,
    exclusive: bool,
    timeout: float = LOCK_TIMEOUT,
    waiting: Callable[[], None] | None = None,
) -> Iterator[None]:
    """Hold ``folder``'s lock (exclusive or shared) for the ``with`` block.

    ``waiting`` is called once when the lock is held by someone else, before waiting (to tell a user).
    """
    folder = Path(folder)
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise TransactionError(f"{folder.name}: cannot open the data folder ({exc.strerror or exc})") from exc
    try:
        _acquire(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, timeout, folder, waiting)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, mode: int, timeout: float, folder: Path, waiting: Callable[[], None] | None) -> None:
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if not told and waiting is not None:
            waiting()
        told = True
        if time.monotonic() >= deadline:
            raise LockTimeout(
                f"{folder.name}: another change to the data folder is still in progress after "
                f"{timeout:g} s of waiting; nothing was changed. Try again when it has finished."
            )
        time.sleep(_POLL)
