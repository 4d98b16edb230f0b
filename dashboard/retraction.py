"""Retraction without deletion: mark a document or a claimant as retracted or discredited.

A retraction is one row appended to ``retractions.csv`` (id, target, target_kind, kind, date, reason,
notes); no claim, event, report or document is ever removed. The flat table marks every report that
rests on a retracted target (``retracted``, ``retracted_on``, ``retraction_reason``), and
``filters.apply_filters`` leaves those reports out unless retracted reports are asked for; a claim or
event with no other report then drops out with them.

A report rests on a target when it comes from the retracted document, or when its claim's (or event's)
claimant is the retracted actor. A retraction applies from the last day its date covers: a view
"as known on" an earlier day still shows the report, marked.

Appending is one change to the curated data (:func:`dashboard.store.change`): locked, the whole
new state validated first, committed whole, in the data folder or in the shared database when one is
configured. When anything fails, nothing changes.
"""

from __future__ import annotations

import fcntl
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.datafolder import ChangeRefused, TransactionError, default_who
from dashboard.dates import parse_partial
from dashboard.flat import flat_reports
from dashboard.loader import default_seeds_dir
from dashboard.model import Dataset
from dashboard.store import change
from dashboard.validate.retractions import TARGET_TABLES

#: What a retraction says about its target.
KINDS = ("retracted", "discredited")
TABLE = "retractions.csv"
LOCK = ".retractions.lock"
_ID = re.compile(r"x(\d+)")


@dataclass
class RetractResult:
    """What ``retract`` did: the row appended, or the problems that stopped it (nothing changed)."""

    problems: list[str] = field(default_factory=list)
    row: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the row was appended."""
        return not self.problems


@contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """Hold the data folder's retraction lock (an exclusive ``flock``) for the ``with`` block.

    The lock earlier versions took to append a retraction, kept for tools that take it; a retraction
    is now one change under the data folder's own lock (see :func:`retract`).
    """
    with open(Path(data_dir) / LOCK, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def next_id(ids: set[str]) -> str:
    """The next free retraction id: x001, x002, ..."""
    numbers = [int(m.group(1)) for i in ids if (m := _ID.fullmatch(i))]
    return f"x{(max(numbers) + 1 if numbers else 1):03d}"


class _Refused(Exception):
    """The retraction names no single target: leave the change without committing."""


def retract(
    data_dir: Path,
    target: str,
    reason: str,
    *,
    when: str | None = None,
    kind: str = "retracted",
    notes: str = "",
    seeds_dir: Path | None = None,
    who: str | None = None,
) -> RetractResult:
    """Append a retraction of document or actor ``target`` to the retractions table.

    ``when`` is an ISO date (YYYY, YYYY-MM or YYYY-MM-DD; default today); ``who`` makes the change
    (default: the system user). The row is added in one change to the curated data
    (:func:`dashboard.store.change`: ``data_dir/retractions.csv``, or the shared database when one
    is configured), which validates the whole new state first; problems come back as
    ``file:row:field: message`` and leave everything as it was.
    """
    data_dir = Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir(data_dir)
    when = when or date.today().isoformat()
    result = RetractResult()
    try:
        with change(data_dir, seeds_dir, who=who or default_who(), reason=reason.strip()) as tx:
            rows = tx.rows("retractions")
            number = len(rows) + 2  # the spreadsheet row the new record takes (the header is row 1)
            found = [
                kind_
                for kind_, table in TARGET_TABLES.items()
                if target in {r.get("id", "") for r in tx.rows(table)}
            ]
            result.row = {
                "id": next_id({r.get("id", "") for r in rows}),
                "target": target,
                "target_kind": found[0] if len(found) == 1 else "",
                "kind": kind,
                "date": when,
                "reason": reason.strip(),
                "notes": notes.strip(),
            }
            if len(found) != 1:
                why = (
                    "is an id of both a document and an actor"
                    if found
                    else "is not an id in documents or actors"
                )
                result.problems = [f"{tx.data_dir.name}/{TABLE}:{number}:target: {target!r} {why}"]
                raise _Refused
            tx.append_rows("retractions", [result.row])
    except _Refused:
        pass
    except ChangeRefused as exc:
        result.problems = [str(p) for p in exc.problems]
    except TransactionError as exc:
        result.problems = [f"{data_dir.name}:0:: {exc}"]
    return result


# --- what rests on a target ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dependent:
    """A claim or event with a report resting on the target."""

    kind: str  # "claim" or "event"
    id: str
    subject: str
    resting: tuple[str, ...]  # report ids that rest on the target
    others: tuple[str, ...]  # report ids that do not, and are not retracted otherwise

    @property
    def alone(self) -> bool:
        """True when no other standing report carries it: retracting the target removes it."""
        return not self.others


@dataclass(frozen=True)
class Dependents:
    """Everything that rests on one document or actor."""

    target: str
    target_kind: str
    name: str
    records: tuple[Dependent, ...]

    @property
    def alone(self) -> tuple[Dependent, ...]:
        """The records that rest on the target alone."""
        return tuple(r for r in self.records if r.alone)


def resolve_target(ds: Dataset, target: str) -> tuple[str, str]:
    """(target_kind, name) of a document or actor id; ValueError when it names neither or both."""
    known = {"documents": set(ds.documents["id"]), "actors": set(ds.actors["id"])}
    kinds = [kind for kind, table in TARGET_TABLES.items() if target in known[table]]
    if len(kinds) != 1:
        if kinds:
            raise ValueError(f"{target!r} is an id of both a document and an actor")
        raise ValueError(f"{target!r} is not the id of a document or an actor")
    if kinds[0] == "document":
        return "document", str(ds.documents.loc[ds.documents["id"] == target, "title"].iloc[0])
    return "actor", str(ds.actors.loc[ds.actors["id"] == target, "name"].iloc[0])


def resting_on(flat: pd.DataFrame, target_kind: str, target: str) -> pd.Series:
    """True for the rows (reports) that rest on the document or actor ``target``."""
    column = "document_id" if target_kind == "document" else "claimant"
    return flat[column] == target


def dependents(ds: Dataset, target: str, flat: pd.DataFrame | None = None) -> Dependents:
    """Every claim and event with a report resting on ``target``, and which rest on it alone.

    A record rests on the target alone when each of its other reports is already retracted (or it
    has none): retracting the target leaves nothing standing for it. ValueError for an unknown id.
    """
    target_kind, name = resolve_target(ds, target)
    flat = flat_reports(ds) if flat is None else flat
    resting = resting_on(flat, target_kind, target)
    standing = flat["retracted"] == ""
    records = []
    for (kind, record_id), rows in flat[resting].groupby(["kind", "id"], sort=False):
        mine = flat[(flat["kind"] == kind) & (flat["id"] == record_id)]
        others = mine[~resting.loc[mine.index] & standing.loc[mine.index]]
        records.append(
            Dependent(
                kind=str(kind),
                id=str(record_id),
                subject=str(rows["subject"].iloc[0]),
                resting=tuple(rows["report_id"]),
                others=tuple(others["report_id"]),
            )
        )
    records.sort(key=lambda r: (r.kind, r.id))
    return Dependents(target, target_kind, name, tuple(records))


def check_date(text: str) -> str:
    """``text`` if it is an ISO date at any precision; ValueError naming the option otherwise."""
    try:
        parse_partial(text)
    except ValueError as exc:
        raise ValueError(f"date: {exc}") from exc
    return text
