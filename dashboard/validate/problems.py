"""What validation reports: located problems, and the collector that gathers them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from dashboard.validate.characters import BIDI_RANGE, CONTROL_RANGE

#: What a rendered problem never shows as it is (see ``dashboard.validate.characters``).
_UNPRINTABLE = re.compile(f"[{CONTROL_RANGE}{BIDI_RANGE}]")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        """``file:row:field: message``, one line with no control or bidirectional characters.

        Messages quote cells, and a cell may hold an escape sequence or a right-to-left override that
        would act on the terminal or the page showing the list; such characters are shown escaped.
        """
        return _UNPRINTABLE.sub(_escape, f"{self.file}:{self.row}:{self.field}: {self.message}")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class Collector:
    """Collects problems, naming each file by its folder's own name and its place inside it.

    ``geodata/claims.csv`` and ``seeds/001_x.txt`` read the same on every machine, so a problem list can
    be pasted into an issue or compared in a test, and never shows where the server keeps its data.
    """

    def __init__(self, *folders: Path) -> None:
        # The deepest folder first, so that a folder inside another is named by its own name.
        absolute = {Path(os.path.abspath(folder)) for folder in folders}
        self.folders = sorted(absolute, key=lambda p: len(p.parts), reverse=True)
        self.problems: list[Problem] = []

    def name(self, path: Path) -> str:
        """``path`` as shown in problems: ``folder/inside/it`` (never absolute, never with '..')."""
        path = Path(os.path.abspath(path))
        for folder in self.folders:
            if path.is_relative_to(folder):
                return PurePosixPath(folder.name, *path.relative_to(folder).parts).as_posix()
        return path.name

    def add(self, file: str, row: int, field_name: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(file, row, field_name, message))
