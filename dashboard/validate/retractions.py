"""Retraction records (``retractions.csv``): each names a known document or actor, with a valid date.

The schema checks the columns' forms (id pattern, ``target_kind`` and ``kind`` from their lists, a date
of the form YYYY, YYYY-MM or YYYY-MM-DD); this module checks what needs the other tables: the target
is an id of the table its ``target_kind`` names, the date exists in the calendar and does not come
before the document it retracts was published, and no target is retracted twice with the same kind.
"""

from __future__ import annotations

from dashboard import dates
from dashboard.validate.problems import Collector
from dashboard.validate.tables import Table

#: Which table a retraction's ``target`` is an id of, by its ``target_kind``.
TARGET_TABLES = {"document": "documents", "actor": "actors"}


def target_problem(target: str, target_kind: str, known: dict[str, set[str]]) -> str | None:
    """Why ``target`` is not an id of the table ``target_kind`` names, or None when it is.

    ``known`` maps table name ("documents", "actors") to its ids. Used by the validator and by the
    ``retract`` command, so both say the same thing about an unknown target.
    """
    table = TARGET_TABLES.get(target_kind)
    if table is None or target in known.get(table, set()):
        return None
    for other_kind, other in TARGET_TABLES.items():
        if other_kind != target_kind and target in known.get(other, set()):
            return f"{target!r} is an id in {other}, not in {table}: set target_kind to {other_kind}"
    return f"{target!r} is not an id in {table}"


def check_retractions(tables: dict[str, Table], out: Collector) -> None:
    """Every retraction's target exists, its date is real and not before the document's publication."""
    retractions = tables.get("retractions")
    if retractions is None:
        return
    known = {name: set(tables[name].by_id()) for name in TARGET_TABLES.values() if name in tables}
    published = {
        doc_id: row.get("published", "")
        for doc_id, (_, row) in tables.get("documents", _EMPTY).by_id().items()
    }
    first_row: dict[tuple[str, str, str], int] = {}
    for n, row in retractions.rows:
        target, target_kind = row.get("target", ""), row.get("target_kind", "")
        if target and len(known) == len(TARGET_TABLES):  # an unread table is reported on its own
            problem = target_problem(target, target_kind, known)
            if problem:
                out.add(retractions.file, n, "target", problem)
        when = _date(retractions.file, n, row.get("date", ""), out)
        if when is not None and target_kind == "document" and published.get(target):
            _after_publication(retractions.file, n, when, target, published[target], out)
        key = (target_kind, target, row.get("kind", ""))
        if all(key):
            first = first_row.setdefault(key, n)
            if first != n:
                out.add(retractions.file, n, "target", f"{target!r} is already {key[2]} at row {first}")


_EMPTY = Table("", "", [])


def _date(file: str, n: int, text: str, out: Collector) -> dates.PartialDate | None:
    try:
        dates.precision_of(text)
    except ValueError:
        return None  # empty or not of the form YYYY[-MM[-DD]]: the schema's rules report it
    try:
        return dates.parse_partial(text)
    except ValueError as exc:
        out.add(file, n, "date", str(exc))
        return None


def _after_publication(
    file: str, n: int, when: dates.PartialDate, target: str, published: str, out: Collector
) -> None:
    """A document cannot be retracted before it was published (the date is a slip)."""
    try:
        first_published = dates.parse_partial(published).first
    except ValueError:
        return  # the documents table reports its own bad date
    if when.last < first_published:
        out.add(file, n, "date", f"{when.text} is before {target} was published ({published})")
