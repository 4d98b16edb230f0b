"""Reading the files of a data folder: regular files only.

A name in the folder could be a device (``/dev/zero`` never ends) or a named pipe (reading it waits
forever); either would hang validation, so anything but a regular file is refused before it is opened.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``; OSError (with ``strerror`` set) when it is missing or not a regular file."""
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file")
    return path.read_bytes()
