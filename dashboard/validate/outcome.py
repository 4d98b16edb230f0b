"""The outcome of a validation: every problem found, what was checked, and the tables as read."""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.validate.problems import Problem
from dashboard.validate.tables import Table

#: Tables counted in the success line, in this order (documents come from seeds/).
COUNTED_TABLES = ("places", "groups", "actors", "claims", "events", "reports", "documents")


@dataclass
class Validation:
    """The outcome: every problem found and how much was checked."""

    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)
    geometry_files: int = 0
    #: What was checked, as read: the tables (cell text), document texts by id and GeoJSON features by
    #: file stem. The loader builds the dataset from these, so it loads exactly what was validated.
    tables: dict[str, Table] = field(default_factory=dict, repr=False)
    texts: dict[str, str] = field(default_factory=dict, repr=False)
    features: dict[str, list[dict]] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def summary(self) -> str:
        """The one-line success report, e.g. ``ok: 40 places, ... 4 geometry files checked``."""
        parts = [f"{self.counts.get(name, 0)} {name}" for name in COUNTED_TABLES]
        parts.append(f"{self.geometry_files} geometry files checked")
        return "ok: " + ", ".join(parts)
