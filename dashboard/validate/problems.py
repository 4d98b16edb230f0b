"""What validation reports: located problems, the collector that gathers them, and the outcome."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: Tables counted in the success line, in this order (documents come from seeds/).
COUNTED_TABLES = ("places", "groups", "actors", "claims", "events", "reports", "documents")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.field}: {self.message}"


@dataclass
class Validation:
    """The outcome: every problem found and how much was checked."""

    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)
    geometry_files: int = 0

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def summary(self) -> str:
        """The one-line success report, e.g. ``ok: 40 places, ... 4 geometry files checked``."""
        parts = [f"{self.counts.get(name, 0)} {name}" for name in COUNTED_TABLES]
        parts.append(f"{self.geometry_files} geometry files checked")
        return "ok: " + ", ".join(parts)


class Collector:
    """Collects problems, naming files relative to the folder that holds the data folder.

    Relative names (``geodata/claims.csv``) read the same on every machine, so a problem list can be
    pasted into an issue or compared in a test.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.problems: list[Problem] = []

    def name(self, path: Path) -> str:
        """``path`` as shown in problems: relative to the base folder, with forward slashes."""
        return Path(os.path.relpath(path, self.base)).as_posix()

    def add(self, file: str, row: int, field_name: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(file, row, field_name, message))
