"""Figures (low, best, high) with their unit and qualifier, on claims and on reports that restate them.

A figure without a unit is meaningless and one without a qualifier overstates its precision, so both
are required whenever any figure is given, and the qualifier decides which bound must be present. The
words of the figure as stated (``figure_text``: "at least several hundred") are required beside the
number, so that a reader sees what was coded; a coding convention (``figure_coding``) needs a figure.
"""

from __future__ import annotations

from dashboard.validate.problems import Collector
from dashboard.validate.tables import Table, number

#: The figure columns each ``figure_qualifier`` needs ("up to 6,500" is an upper bound, and so on).
QUALIFIER_NEEDS = {
    "up_to": ("figure_high",),
    "more_than": ("figure_low",),
    "at_least": ("figure_low",),
    "range": ("figure_low", "figure_high"),
    "exact": ("figure_best",),
    "approximately": ("figure_best",),
}

#: Figure columns in the order their values must keep (low <= best <= high).
FIGURES = ("figure_low", "figure_best", "figure_high")


def check_figures(tables: dict[str, Table], out: Collector) -> None:
    """Check the figures of every claim and report."""
    for name in ("claims", "reports"):
        if name in tables:
            for n, row in tables[name].rows:
                check_row_figures(tables[name].file, n, row, out)


def check_row_figures(file: str, n: int, row: dict[str, str], out: Collector) -> None:
    """Unit and qualifier present exactly when a figure is, figures in order, bounds the qualifier needs."""
    given = [name for name in FIGURES if row.get(name, "")]
    qualifier = row.get("figure_qualifier", "")
    if not given:
        for name in ("unit", "figure_qualifier", "figure_text", "figure_coding"):
            if row.get(name, ""):
                out.add(file, n, name, "given without any figure")
        return
    for name in ("unit", "figure_qualifier", "figure_text"):
        if name in row and not row.get(name, ""):
            out.add(file, n, name, f"required when a figure is given ({', '.join(given)})")
    values = [(name, number(row, name)) for name in FIGURES]
    present = [(name, v) for name, v in values if v is not None]
    for (a, va), (b, vb) in zip(present, present[1:], strict=False):
        if va > vb:
            out.add(file, n, b, f"{b} {vb:g} is below {a} {va:g}")
    for name in QUALIFIER_NEEDS.get(qualifier, ()):
        if not row.get(name, ""):
            out.add(file, n, name, f"required by figure_qualifier {qualifier!r}")
