"""How an export's columns become the stored ones: a ``Spec`` per dataset, written as SQL over text cells.

Each spec names its essential columns (without them nothing is imported), the optional ones it reads
(a missing one is reported and left empty), one SQL expression per stored column, and the row checks:
a row that fails any check is reported as ``file:row:field: message`` and left out; the others are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def cell(name: str, present: set[str]) -> str:
    """SQL for a column's trimmed text, NULL when blank or when the export lacks the column."""
    if name not in present:
        return "CAST(NULL AS VARCHAR)"
    return f"NULLIF(TRIM(\"{name}\"), '')"


def whole(expr: str, sql_type: str = "INTEGER") -> str:
    """SQL: ``expr`` as a whole number ("3", "3.0"), NULL when it is not one."""
    number = f"TRY_CAST({expr} AS DOUBLE)"
    return f"CAST(CASE WHEN {number} = TRUNC({number}) THEN {number} END AS {sql_type})"


@dataclass(frozen=True)
class Check:
    """A row check: rows where ``bad`` (SQL) holds are reported with ``message`` filled from ``value``."""

    field: str  # the export's column named in the report
    bad: str  # SQL condition over the typed table
    value: str  # SQL for the value quoted in the message
    message: str  # str.format template with {value}


@dataclass(frozen=True)
class Spec:
    """What one dataset's export looks like and how it maps to the stored columns."""

    dataset: str
    essential: tuple[str, ...]
    optional: tuple[str, ...]
    id_column: str
    columns: Callable[[set[str]], dict[str, str]]  # present columns -> stored column -> SQL
    checks: Callable[[set[str]], list[Check]]
    raw_fields: tuple[str, ...] = ()  # columns whose text the checks quote, as ``raw_<column>``


def number_checks(field: str, raw: str, value: str, low: float, high: float) -> list[Check]:
    """Checks for a required coordinate: given, a number, within [low, high]."""
    return [
        Check(field, f"{raw} IS NULL", "''", "missing (events need coordinates)"),
        Check(field, f"{raw} IS NOT NULL AND {value} IS NULL", raw, "not a number: {value!r}"),
        Check(
            field,
            f"{value} IS NOT NULL AND ({value} < {low} OR {value} > {high} OR isnan({value}))",
            raw,
            f"out of range ({low:g} to {high:g}): {{value}}",
        ),
    ]


def code_check(field: str, raw: str, value: str, allowed: range) -> Check:
    """A check that an optional code, when given, is one of ``allowed``."""
    words = f"{allowed.start}–{allowed.stop - 1}"
    return Check(
        field,
        f"{raw} IS NOT NULL AND ({value} IS NULL "
        f"OR {value} NOT BETWEEN {allowed.start} AND {allowed.stop - 1})",
        raw,
        f"not a code from {words}: {{value!r}}",
    )


def count_check(field: str, raw: str, value: str) -> Check:
    """A check that an optional count, when given, is a whole number of at least 0."""
    return Check(
        field,
        f"{raw} IS NOT NULL AND ({value} IS NULL OR {value} < 0)",
        raw,
        "not a whole number of 0 or more: {value!r}",
    )
