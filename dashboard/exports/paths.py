"""Output paths that stay where they were asked to be and never replace a file silently.

A briefing pack writes several files into one folder, with names built from a title the user typed.
``safe_name`` turns any text into a plain file name; ``output_path`` joins a name to a folder and
refuses a result outside that folder (``..``, an absolute name, a symbolic link leading out) or an
existing file unless ``force`` is given. ``check_file`` and ``write_bytes`` are the one output path of
every export: no symbolic link, FIFO or device is ever written through, a folder that cannot be written
(read-only) is refused before anything is made, and a file is replaced atomically or not at all: on a
full disk the write fails with a :class:`WriteError` naming the file and the reason, and nothing of it
is left behind. :func:`staged_files` does the same for several files at once (a briefing pack).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.durable import fsync_dir

#: Longest file stem produced by ``safe_name`` (file systems allow 255 bytes; leave room for suffixes).
MAX_STEM = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: Names Windows reserves whatever the extension; a pack may be opened there.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)


class OutputError(ValueError):
    """A file cannot be written where asked; the message says why and names the path."""


class WriteError(OSError):
    """Writing a file failed (a full disk, a read-only folder); nothing of it was left behind.

    An ``OSError`` with the system's ``errno``; its message names the file and gives the reason.
    """

    def __init__(self, path: Path, cause: OSError) -> None:
        reason = cause.strerror or str(cause) or type(cause).__name__
        super().__init__(cause.errno, f"{Path(path).name}: {reason}")
        self.path = Path(path)

    def __str__(self) -> str:
        return str(self.strerror)


def safe_name(text: str, default: str = "briefing") -> str:
    """A file stem made from ``text``: ASCII letters, digits, '.', '_' and '-' only, no leading dot.

    "Kunduz / Takhar: May 2023" -> "Kunduz-Takhar-May-2023". Empty results become ``default``.
    """
    # Punctuation, symbols and spaces separate words ("Tajik–Afghan" -> "Tajik-Afghan"); accents go.
    spaced = "".join("-" if unicodedata.category(ch)[0] in "PSZ" and ch not in "._-" else ch for ch in text)
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"-{2,}", "-", _UNSAFE.sub("-", ascii_text)).strip("-.")[:MAX_STEM].strip("-.")
    if not stem or stem.split(".")[0].casefold() in _RESERVED:
        return default
    return stem


def output_path(folder: Path, name: str, force: bool = False) -> Path:
    """``folder/name`` after checking that it stays inside ``folder`` and may be written.

    Raises ``OutputError`` when ``name`` is empty, absolute or has a folder part, when the result
    (symbolic links resolved) lies outside ``folder``, when ``folder`` does not exist, or when the file
    exists and ``force`` is false. ``name`` is used as given; build it with ``safe_name`` first.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise OutputError(f"folder {folder} does not exist")
    if not name or name in (".", "..") or Path(name).name != name or "\\" in name or "\x00" in name:
        raise OutputError(f"{name!r} is not a plain file name")
    path = folder / name
    root = folder.resolve()
    if not path.resolve().is_relative_to(root):
        raise OutputError(f"{path} leads outside {folder}")
    return check_file(path, force)


def check_file(path: Path, force: bool = False) -> Path:
    """``path`` if a file may be written there; ``OutputError`` saying why not.

    The folder must exist. An existing entry must be a regular file, and is replaced only with
    ``force``. A symbolic link is refused even with ``force`` (writing through it would change a file
    elsewhere), and so are folders, FIFOs, devices and sockets (opening a FIFO blocks until a reader
    comes; a device is not ours to overwrite).
    """
    path = Path(path)
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except NotADirectoryError as exc:
        raise OutputError(f"folder {path.parent} does not exist") from exc
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise OutputError(f"{path} is a symbolic link; give the path of a regular file instead")
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{path} is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(f"{path} is {_kind(info.st_mode)}, not a regular file; choose another name")
    if not path.parent.is_dir():
        raise OutputError(f"folder {path.parent} does not exist")
    if info is not None and not force:
        raise OutputError(f"{path} exists; use --force to overwrite it")
    _check_writable(path.parent)
    return path


def _check_writable(folder: Path) -> None:
    """``OutputError`` when no file can be created in ``folder``, said before anything is made.

    ``os.access`` asks the kernel, which answers for a read-only mount even for root (permission bits
    do not stop root, a read-only file system does).
    """
    if os.access(folder, os.W_OK | os.X_OK):
        return
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    why = "is on a read-only file system" if read_only else "is not writable (permission denied)"
    raise OutputError(f"folder {folder} {why}; choose another folder")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_bytes(path: Path, data: bytes, force: bool = False) -> Path:
    """Write ``data`` to ``path`` after ``check_file``; with ``force`` an existing file is replaced.

    The bytes go to a temporary file in the same folder, are flushed to disk, and the temporary file is
    then renamed over ``path`` (``os.replace``, atomic on one file system). Whatever fails on the way (a
    full disk, an interrupted write), the previous file stays as it was and the temporary file is
    removed: there is never a half-written ``path``.
    """
    path = check_file(path, force)
    tmp_name = _write_temporary(path, data)
    try:
        # A link or FIFO put at ``path`` since the check is replaced as a name, never followed or opened.
        os.replace(tmp_name, path)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise WriteError(path, exc) from exc
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent, tolerant=True)
    return path


def _write_temporary(path: Path, data: bytes) -> str:
    """``data`` in a new temporary file beside ``path``, flushed to disk; its name.

    ``WriteError`` (naming ``path``) when the system refuses; the temporary file is then removed.
    """
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as exc:
        raise WriteError(path, exc) from exc
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp_name, 0o644)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise WriteError(path, exc) from exc
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return tmp_name


class Staged:
    """Files written beside their targets, put in place together by :func:`staged_files`."""

    def __init__(self) -> None:
        self._files: list[tuple[str, Path]] = []

    def add(self, path: Path, data: bytes, force: bool = False) -> Path:
        """Write ``data`` for ``path`` (checked as by ``write_bytes``); it appears there only at the end."""
        path = check_file(path, force)
        self._files.append((_write_temporary(path, data), path))
        return path

    def _commit(self) -> None:
        for tmp_name, path in self._files:
            try:
                os.replace(tmp_name, path)
            except OSError as exc:
                raise WriteError(path, exc) from exc
        for folder in {path.parent for _, path in self._files}:
            fsync_dir(folder, tolerant=True)

    def _discard(self) -> None:
        for tmp_name, _ in self._files:
            Path(tmp_name).unlink(missing_ok=True)


@contextmanager
def staged_files() -> Iterator[Staged]:
    """Several files written all or none: each ``add`` writes a temporary file beside its target; when
    the block ends they are renamed into place, and when anything fails in it (a full disk at the third
    file) every temporary file is removed and no target is touched."""
    batch = Staged()
    try:
        yield batch
        batch._commit()
    finally:
        batch._discard()  # after a commit there is nothing left to remove
