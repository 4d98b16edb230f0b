"""Flushing a folder's entries to disk: the last step of every atomic write (a data folder's change,
an events import, an export), so that a rename survives a power cut and not only a killed process."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(folder: Path, *, tolerant: bool = False) -> None:
    """Flush a folder's entries (renames, removals) to disk. ``tolerant``: where the system cannot open
    or flush a folder (Windows, some file systems), go on (the rename itself is done); otherwise that
    raises."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        if tolerant:
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not tolerant:
            raise
    finally:
        os.close(fd)
