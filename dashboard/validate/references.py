"""Ids and references between tables: foreign keys, ';'-separated id lists, and reports of records."""

from __future__ import annotations

from dashboard.schema import Resource
from dashboard.validate.problems import Collector
from dashboard.validate.tables import Table
from dashboard.values import LIST_SEPARATOR, split_ids

#: Columns holding ';'-separated values; those mapped to a table hold ids of that table.
MULTI_VALUED: dict[tuple[str, str], str | None] = {
    ("claims", "group"): "groups",
    ("claims", "places"): "places",
    ("events", "places"): "places",
    ("events", "participants"): "actors",
    ("events", "groups"): "groups",
    ("reports", "relayed_by"): "actors",
    ("places", "alt_names"): None,
    ("groups", "alt_names"): None,
}

#: Single-valued references (the schema's foreignKeys add to these).
SINGLE_REFS: dict[tuple[str, str], str] = {
    ("claims", "claimant"): "actors",
    ("claims", "event"): "events",
    ("reports", "document"): "documents",
}

#: Which table a report's ``record_id`` points into, by its ``record_kind``.
RECORD_TABLES = {"claim": "claims", "event": "events"}


def malformed_list(value: str) -> bool:
    """True when a ';'-separated cell is not exactly its items joined by ';'.

    ``split_ids`` (the one reading of list cells) drops empty items and the spaces around ';', so a cell
    it reads differently from how it is written (``a;;b``, ``a; b``, ``a;``) hides a slip: an id left out
    or a stray separator. Repeated items are a separate rule.
    """
    return LIST_SEPARATOR.join(split_ids(value)) != value


def check_references(tables: dict[str, Table], resources: dict[str, Resource], out: Collector) -> None:
    """Every single reference, every id in a list, and every report's record must resolve."""
    ids = {name: set(t.by_id()) for name, t in tables.items()}
    single = dict(SINGLE_REFS)
    for resource in resources.values():
        for fk in resource.foreign_keys:
            # A foreign key on a ';'-separated column applies to each of its values.
            if (resource.name, fk.field) not in MULTI_VALUED:
                single.setdefault((resource.name, fk.field), fk.resource)
    for (name, column), target in single.items():
        if name in tables and target in ids:
            for n, row in tables[name].rows:
                value = row.get(column, "")
                if value and value not in ids[target]:
                    out.add(tables[name].file, n, column, f"{value!r} is not an id in {target}")
    for (name, column), target in MULTI_VALUED.items():
        if name not in tables:
            continue
        for n, row in tables[name].rows:
            _check_list(tables[name].file, n, column, row.get(column, ""), ids.get(target or ""), target, out)
    if "reports" in tables:
        for n, row in tables["reports"].rows:
            kind, record = row.get("record_kind", ""), row.get("record_id", "")
            target = RECORD_TABLES.get(kind)
            if target in ids and record and record not in ids[target]:
                out.add(tables["reports"].file, n, "record_id", f"{record!r} is not an id in {target}")


def _check_list(
    file: str, n: int, column: str, value: str, known: set[str] | None, target: str | None, out: Collector
) -> None:
    """One ';'-separated cell: no empty values or stray spaces, no repeats, and (if ids) all known."""
    if malformed_list(value):
        # One message per cell: the list is malformed, so its parts are not checked further.
        out.add(file, n, column, f"{value!r}: empty value or spaces around ';'")
        return
    parts = split_ids(value)
    for part in sorted({p for p in parts if parts.count(p) > 1}):
        out.add(file, n, column, f"{part!r} is listed twice")
    if known is not None:
        for part in parts:
            if part not in known:
                out.add(file, n, column, f"{part!r} is not an id in {target}")


def check_reported(tables: dict[str, Table], out: Collector) -> None:
    """Every claim and event is quoted by at least one report: a record without a source is a defect."""
    if "reports" not in tables:
        return
    reported = {(row.get("record_kind"), row.get("record_id")) for _, row in tables["reports"].rows}
    for kind, name in RECORD_TABLES.items():
        if name in tables:
            for n, row in tables[name].rows:
                if row.get("id") and (kind, row["id"]) not in reported:
                    out.add(tables[name].file, n, "id", f"no report in reports.csv quotes this {kind}")
