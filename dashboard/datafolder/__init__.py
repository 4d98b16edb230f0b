"""One change to the data folder: locked, validated before it is committed, and all files or none.

Every writer of curated data (accepting a reviewed draft now; retractions, imports and a team database
later) goes through :func:`transaction`::

    with transaction(data_dir, seeds_dir, who="a.curator", reason="article of 10 October") as tx:
        claims = tx.rows("claims")
        tx.append_rows("claims", [new_claim])
        tx.write_file("seeds", "005_3f2a.txt", article_bytes)

1. The data folder's exclusive lock is taken (:mod:`.lock`); a second writer waits, then fails clearly.
2. A change left behind by a killed process is completed or undone first (:func:`journal.recover`).
3. What the block writes is staged inside the folders (``.staging/``), never in the system's temporary
   folder; at the end of the block the whole new state is validated there. A problem raises
   :class:`ChangeRefused` with every problem found, and nothing is changed.
4. The commit goes through a manifest (:mod:`.journal`): manifest written and flushed, each staged file
   renamed into place, manifest removed. Killed at any step, the next reader or writer finds the old
   data or the new one.

With ``DASHBOARD_DATABASE_URL`` set the curated data lives in the shared database instead: writers
call :func:`dashboard.store.change`, which gives this same interface for either store.

Readers call :func:`reading`, which recovers a change left behind and holds a shared lock while they read,
so that a reader never sees a commit half done.
"""

from __future__ import annotations

import csv
import getpass
import io
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dashboard.datafolder import journal
from dashboard.datafolder.lock import LOCK_TIMEOUT, LockTimeout, TransactionError, locked
from dashboard.schema import GEODATA_CONTRACT, SEEDS_CONTRACT, product_schema
from dashboard.validate import Problem, validate
from dashboard.values import blank, plain_number

__all__ = [
    "utc_now",
    "LOCK_TIMEOUT",
    "ChangeRefused",
    "LockTimeout",
    "Steps",
    "Transaction",
    "TransactionError",
    "default_who",
    "reading",
    "recover",
    "transaction",
]

#: Test hooks: pause a change at its N-th step (1, 2, ...), writing "N name" to the pause file, until
#: that file is removed. The tests kill a change at every step this way, and hold one to run another.
PAUSE_AT_ENV = "DASHBOARD_TXN_PAUSE_AT"
PAUSE_FILE_ENV = "DASHBOARD_TXN_PAUSE_FILE"


class Steps:
    """The numbered steps of a change, each a place where ``PAUSE_AT_ENV`` can pause it (any writer of
    the data: a folder's transaction, an events import)."""

    def __init__(self) -> None:
        self.count = 0

    def step(self, name: str) -> None:
        """Count a step; pause here while the pause file exists if it is the one ``PAUSE_AT_ENV`` names."""
        self.count += 1
        if os.environ.get(PAUSE_AT_ENV) != str(self.count):
            return
        pause = Path(os.environ[PAUSE_FILE_ENV])
        told = pause.with_name(pause.name + ".tmp")
        told.write_text(f"{self.count} {name}\n", encoding="utf-8")
        os.replace(told, pause)  # whole when it appears: the test reads it at once
        while pause.exists():
            time.sleep(0.02)


class ChangeRefused(TransactionError):
    """The new state does not validate; ``problems`` lists every problem, nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the new data; nothing was changed:"]
        super().__init__("\n".join(lines + [str(p) for p in self.problems]))


def default_who() -> str:
    """The system user's name, for changes made from the command line."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a container, say)
        return f"uid-{os.getuid()}"


def utc_now() -> str:
    """The current time as ISO 8601 UTC to the second: ``2026-12-01T09:30:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _seeds(data_dir: Path, seeds_dir: Path | None) -> Path:
    return Path(seeds_dir) if seeds_dir is not None else Path(data_dir).parent / "seeds"


def recover(data_dir: Path, seeds_dir: Path | None = None, timeout: float = LOCK_TIMEOUT) -> str:
    """Complete or undo a change a killed process left behind; return what was done ("" for nothing)."""
    data_dir, seeds_dir = Path(data_dir), _seeds(data_dir, seeds_dir)
    if not data_dir.is_dir() or not journal.pending(data_dir, seeds_dir):
        return ""
    with locked(data_dir, exclusive=True, timeout=timeout):
        return journal.recover(data_dir, seeds_dir)


@contextmanager
def reading(data_dir: Path, seeds_dir: Path | None = None, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Read the data folder in the ``with`` block with no change half done, and none starting meanwhile."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():  # nothing to lock: the reader reports the missing folder itself
        yield
        return
    recover(data_dir, seeds_dir, timeout)
    with locked(data_dir, exclusive=False, timeout=timeout):
        yield


@contextmanager
def transaction(
    data_dir: Path,
    seeds_dir: Path | None = None,
    *,
    who: str,
    reason: str = "",
    timeout: float = LOCK_TIMEOUT,
    waiting: Callable[[], None] | None = None,
) -> Iterator[Transaction]:
    """A locked change to ``data_dir`` and ``seeds_dir``, committed whole at the end of the block.

    Raises ``LockTimeout`` when another change holds the folder longer than ``timeout`` seconds,
    ``ChangeRefused`` (with every problem) when the new state does not validate. An exception inside
    the block discards everything it wrote. ``waiting`` is called once if the lock is busy.
    """
    data_dir, seeds_dir = Path(data_dir), _seeds(data_dir, seeds_dir)
    if not who:
        raise TransactionError("a change must say who makes it")
    with locked(data_dir, exclusive=True, timeout=timeout, waiting=waiting):
        journal.recover(data_dir, seeds_dir)
        tx = Transaction(data_dir, seeds_dir, who, reason)
        tx.step("locked")
        try:
            yield tx
            tx.commit()
        finally:
            # Refused, failed or done: nothing staged stays. A commit that failed after its manifest
            # (a disk error while renaming) is completed or undone here, as the next process would.
            journal.recover(data_dir, seeds_dir)


class Transaction:
    """The files one change writes, staged until :meth:`commit` (called by :func:`transaction`)."""

    def __init__(self, data_dir: Path, seeds_dir: Path, who: str, reason: str) -> None:
        self.data_dir, self.seeds_dir = data_dir, seeds_dir
        self.who, self.reason = who, reason
        self.id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        self.folders = {"data": data_dir, "seeds": seeds_dir}
        self._staged: dict[tuple[str, str], Path] = {}
        self._appends: dict[str, list[dict[str, str]]] = {}
        self._steps = Steps()

    # --- reading and writing -------------------------------------------------------------------------

    def rows(self, table: str) -> list[dict[str, str]]:
        """The rows of ``table`` as this change leaves them so far (its own appends included)."""
        path = self._current(*_location(table))
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))) if path else []
        return rows + [dict(r) for r in self._appends.get(table, [])]

    def write_table(self, table: str, rows: Any) -> None:
        """Replace ``table`` with ``rows`` (a list of dicts or a DataFrame), in the schema's columns."""
        folder, name = _location(table)
        columns = _columns(table)
        records = rows.to_dict("records") if hasattr(rows, "to_dict") else list(rows)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([_cell(record.get(c)) for c in columns])
        self._appends.pop(table, None)
        self.write_file(folder, name, buffer.getvalue().encode("utf-8"))

    def append_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Add ``rows`` at the end of ``table``; the rows already there are kept byte for byte."""
        self._appends.setdefault(table, []).extend({k: _cell(v) for k, v in r.items()} for r in rows)

    def write_file(self, folder: str, name: str, data: bytes) -> None:
        """Stage ``data`` as the file ``name`` of the ``"data"`` or ``"seeds"`` folder."""
        if name != Path(name).name or name.startswith(".") or folder not in self.folders:
            raise TransactionError(f"{folder}/{name}: not a plain file name of the data or documents folder")
        view = journal.view_dir(self.folders[folder], self.id)
        view.mkdir(parents=True, exist_ok=True)
        path = view / name
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        self._staged[(folder, name)] = path
        self.step(f"staged {name}")

    # --- committing ----------------------------------------------------------------------------------

    def commit(self) -> None:
        """Validate the staged state and install it whole; ``ChangeRefused`` when it does not validate."""
        self._write_appends()
        if not self._staged:
            return
        views = {key: self._view(key) for key in self.folders}
        result = validate(views["data"], views["seeds"])
        if not result.ok:
            raise ChangeRefused(result.problems)
        self.step("validated")
        files = self._plan()
        manifest = journal.write_manifest(
            self.data_dir, self.id, self.seeds_dir, self.who, self.reason, files
        )
        self.step("manifest written")
        planned = journal.planned(self.data_dir, manifest)
        for f in planned:
            os.replace(f.staged, f.target)
            self.step(f"installed {f.target.name}")
        for folder in {f.target.parent for f in planned}:
            journal.fsync_dir(folder)
        (self.data_dir / journal.MANIFEST).unlink()
        journal.fsync_dir(self.data_dir)
        self.step("manifest removed")
        journal.remove_staging(self.data_dir, self.seeds_dir)
        self.step("cleaned up")

    def _current(self, folder: str, name: str) -> Path | None:
        """The file as this change leaves it so far: its staged copy, else the folder's own."""
        path = self._staged.get((folder, name)) or self.folders[folder] / name
        return path if path.is_file() else None

    def _write_appends(self) -> None:
        for table, rows in self._appends.items():
            folder, name = _location(table)
            current = self._current(folder, name)
            data = current.read_bytes() if current else b""
            header = next(csv.reader(io.StringIO(data.decode("utf-8")))) if data else _columns(table)
            newline = "\r\n" if b"\r\n" in data else "\n"
            if data and not data.endswith(b"\n"):
                data += newline.encode()
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=header, lineterminator=newline, extrasaction="ignore")
            if not data:
                writer.writeheader()
            writer.writerows({c: r.get(c, "") for c in header} for r in rows)
            self.write_file(folder, name, data + buffer.getvalue().encode("utf-8"))
        self._appends.clear()

    def _view(self, key: str) -> Path:
        """The folder as it will be: its staged files, and hard links to the others (no copies)."""
        folder = self.folders[key]
        if not any(k == key for k, _ in self._staged):
            return folder  # unchanged: the validator reads the folder itself
        view = journal.view_dir(folder, self.id)
        for path in folder.iterdir():
            if path.name.startswith(".") or (key, path.name) in self._staged or not path.is_file():
                continue
            _link_or_copy(path, view / path.name)
        return view

    def _plan(self) -> list[dict]:
        """The manifest's file list; hard links to the files about to be replaced go to ``old/``."""
        files = []
        for (key, name), staged in self._staged.items():
            folder = self.folders[key]
            target = folder / name
            had_old = target.is_file()
            if had_old:
                old = journal.old_dir(folder, self.id)
                old.mkdir(parents=True, exist_ok=True)
                _link_or_copy(target, old / name)
            files.append({"folder": key, "name": name, "sha256": journal.digest(staged), "had_old": had_old})
        return files

    def step(self, name: str) -> None:
        """Mark a step of the change (the tests pause it here to kill it, see ``PAUSE_AT_ENV``)."""
        self._steps.step(name)


def _location(table: str) -> tuple[str, str]:
    """(folder key, file name) of a table of the product's schema."""
    for key, contract in (("data", GEODATA_CONTRACT), ("seeds", SEEDS_CONTRACT)):
        resource = product_schema(contract).get(table)
        if resource is not None:
            return key, resource.path
    raise TransactionError(f"{table!r} is not a table of the data")


def _columns(table: str) -> list[str]:
    for contract in (GEODATA_CONTRACT, SEEDS_CONTRACT):
        resource = product_schema(contract).get(table)
        if resource is not None:
            return resource.field_names
    raise TransactionError(f"{table!r} is not a table of the data")


def _cell(value: Any) -> str:
    """A value as the text of a data file's cell: blank as "", 6500.0 as 6500."""
    if isinstance(value, str):
        return value
    if blank(value):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return plain_number(value)
    return str(value)


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (no copy of the data); a copy only where the file system has no hard links."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
