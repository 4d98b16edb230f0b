"""Load a data folder again when its files change, and keep serving the last data that validated.

A running app must not lose its map because a curator saved a file with a bad cell, a file was removed,
or an editor is half way through writing one. :class:`LastGood` loads the folder when its fingerprint
(names, sizes and change times of its files) changes; when the new state does not validate, it keeps the
dataset it had and says why in a :class:`Stale` notice (the file and the first problems, since when the
older data is shown). Once the folder validates again, the new data replaces the old and the notice goes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, TypeVar

from dashboard.loader import DataError, data_fingerprint
from dashboard.validate import Problem

T = TypeVar("T")

#: Problems named in the notice; the rest are counted.
FIRST_PROBLEMS = 3


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Stale:
    """The data folder stopped validating at ``since``; the data loaded at ``loaded_at`` is still shown."""

    problems: tuple[Problem, ...]
    since: datetime
    loaded_at: datetime

    def message(self, first: int = FIRST_PROBLEMS) -> str:
        """One paragraph for people: what is wrong (file, row, field), since when, what is shown instead."""
        shown = "; ".join(str(p) for p in self.problems[:first])
        more = len(self.problems) - first
        if more > 0:
            shown += f" (and {more} more)"
        return (
            f"The data folder has problems since {_clock(self.since)}: {shown}. "
            f"The page shows the data as loaded at {_clock(self.loaded_at)} until the folder "
            "validates again; it is then picked up without a restart."
        )


def _clock(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class LastGood(Generic[T]):
    """``build(data_dir, seeds_dir)`` again whenever the folders' files change; the last good result kept.

    Thread-safe: the app's sessions share one instance, and a change is loaded once, by the first
    session that sees it, while the others wait for it rather than loading it too.
    """

    def __init__(
        self,
        data_dir: Path,
        seeds_dir: Path,
        build: Callable[[Path, Path], T],
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.data_dir, self.seeds_dir = Path(data_dir), Path(seeds_dir)
        self._build, self._clock = build, clock
        self._lock = threading.Lock()
        self._fingerprint: tuple | None = None
        self._good: T | None = None
        self._loaded_at: datetime | None = None
        self._stale: Stale | None = None
        self._error: DataError | None = None  # the folder has never validated: nothing to fall back on

    def get(self) -> tuple[T, Stale | None]:
        """The data and, when it is older than the folder, why; ``DataError`` when none ever loaded."""
        fingerprint = data_fingerprint(self.data_dir, self.seeds_dir)
        with self._lock:
            if fingerprint != self._fingerprint:
                self._reload()
                # Taken before loading: a file changed while it loaded gives a new fingerprint next time.
                self._fingerprint = fingerprint
            if self._good is None:
                assert self._error is not None
                raise self._error
            return self._good, self._stale

    def _reload(self) -> None:
        try:
            value = self._build(self.data_dir, self.seeds_dir)
        except DataError as exc:
            if self._good is None:
                self._error = exc
                return
            since = self._stale.since if self._stale is not None else self._clock()
            assert self._loaded_at is not None
            self._stale = Stale(tuple(exc.problems), since, self._loaded_at)
            return
        self._good, self._loaded_at, self._stale, self._error = value, self._clock(), None, None
