"""Retraction without deletion: mark a document or a claimant as retracted or discredited.

A retraction is one row appended to ``retractions.csv`` (id, target, target_kind, kind, date, reason,
notes); no claim, event, report or document is ever removed. The flat table marks every report that
rests on a retracted target (``retracted``, ``retracted_on``, ``retraction_reason``), and
``filters.apply_filters`` leaves those reports out unless retracted reports are asked for; a claim or
event with no other report then drops out with them.

A report rests on a target when it comes from the retracted document, or when its claim's (or event's)
claimant is the retracted actor. A retraction applies from the last day its date covers: a view
"as known on" an earlier day still shows the report, marked.

Appending is atomic and locked: an exclusive ``flock`` on ``.retractions.lock`` in the data folder
keeps two writers apart; the new table is written into a copy of the data folder and validated there
with everything else, and only a clean result replaces ``retractions.csv`` (temporary file, then
``os.replace``). When anything fails, nothing changes.
"""

from __future__ import annotations

import csv
import fcntl
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.dates import parse_partial
from dashboard.exports.paths import write_bytes
from dashboard.flat import flat_reports
from dashboard.loader import default_seeds_dir
from dashboard.model import RETRACTION_COLUMNS, Dataset
from dashboard.validate import validate
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
    """Hold the data folder's retraction lock (an exclusive ``flock``) for the ``with`` block."""
    with open(Path(data_dir) / LOCK, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_ids(path: Path, column: str = "id") -> set[str]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return {row.get(column, "") for row in csv.DictReader(fh)}
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()  # the validation of the result names what is wrong with the file


def target_kind_of(target: str, data_dir: Path, seeds_dir: Path) -> str | None:
    """ "document" or "actor": which table ``target`` is an id of (None when neither or both)."""
    found = [
        kind
        for kind, path in (("document", seeds_dir / "documents.csv"), ("actor", data_dir / "actors.csv"))
        if target in _read_ids(path)
    ]
    return found[0] if len(found) == 1 else None


def next_id(ids: set[str]) -> str:
    """The next free retraction id: x001, x002, ..."""
    numbers = [int(m.group(1)) for i in ids if (m := _ID.fullmatch(i))]
    return f"x{(max(numbers) + 1 if numbers else 1):03d}"


def _appended(current: bytes, row: dict[str, str]) -> bytes:
    """``current`` (the table's bytes, untouched) with ``row`` added as one CSV line."""
    text = current.decode("utf-8") if current else ",".join(RETRACTION_COLUMNS) + "\n"
    if text and not text.endswith("\n"):
        text += "\r\n" if "\r\n" in text else "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([row.get(c, "") for c in RETRACTION_COLUMNS])
    return (text + buffer.getvalue()).encode("utf-8")


def retract(
    data_dir: Path,
    target: str,
    reason: str,
    *,
    when: str | None = None,
    kind: str = "retracted",
    notes: str = "",
    seeds_dir: Path | None = None,
) -> RetractResult:
    """Append a retraction of document or actor ``target`` to ``data_dir/retractions.csv``.

    ``when`` is an ISO date (YYYY, YYYY-MM or YYYY-MM-DD; default today). The whole data folder is
    validated with the new row first; problems come back as ``file:row:field: message`` and leave
    every file as it was.
    """
    data_dir = Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir(data_dir)
    when = when or date.today().isoformat()
    path = data_dir / TABLE
    with locked(data_dir):
        current = path.read_bytes() if path.is_file() else b""
        rows = list(csv.DictReader(io.StringIO(current.decode("utf-8", errors="replace"))))
        number = len(rows) + 2  # the spreadsheet row the new record takes (the header is row 1)
        target_kind = target_kind_of(target, data_dir, seeds_dir)
        row = {
            "id": next_id({r.get("id", "") for r in rows}),
            "target": target,
            "target_kind": target_kind or "",
            "kind": kind,
            "date": when,
            "reason": reason.strip(),
            "notes": notes.strip(),
        }
        if target_kind is None:
            both = target in _read_ids(seeds_dir / "documents.csv") and target in _read_ids(
                data_dir / "actors.csv"
            )
            why = (
                "is an id of both a document and an actor" if both else "is not an id in documents or actors"
            )
            return RetractResult([f"{data_dir.name}/{TABLE}:{number}:target: {target!r} {why}"], row)
        data = _appended(current, row)
        problems = _validated(data_dir, seeds_dir, data)
        if problems:
            return RetractResult(problems, row)
        write_bytes(path, data, force=True)
    return RetractResult([], row)


def _validated(data_dir: Path, seeds_dir: Path, data: bytes) -> list[str]:
    """Every problem of the data folder with ``data`` as its retractions table (checked in a copy)."""
    with tempfile.TemporaryDirectory(prefix="retract-") as tmp:
        copy = Path(tmp) / data_dir.name
        shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns(LOCK))
        (copy / TABLE).write_bytes(data)
        return [str(p) for p in validate(copy, seeds_dir).problems]


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
