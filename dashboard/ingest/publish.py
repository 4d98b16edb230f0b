"""Publish reviewed draft rows: one transaction adds the article, its records and reports, and the audit
entries that say who did it and why.

The merge reads the data inside the transaction (under its lock), so two publications never work from
the same old state. The transaction validates the whole new state before it commits; each problem it
finds in a row this publication added is told as the draft's own row and field
(``draft.csv:5:unit: ... (geodata/claims.csv:40:unit)``), because that is what the reviewer edits.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import audit
from dashboard.datafolder import LOCK_TIMEOUT, ChangeRefused, Transaction, TransactionError
from dashboard.ingest.document import web_address_problem
from dashboard.ingest.review import REJECTED, edits, id_problem, provisional
from dashboard.ingest.rows import same_claim
from dashboard.store import change
from dashboard.validate import Problem
from dashboard.values import split_ids

Row = tuple[int, dict[str, str]]


@dataclass
class Submission:
    """What a reviewer publishes: the reviewed and rejected rows of one article's draft.

    ``label`` names the draft in problems (the draft file as given, or the app's review) and, unless
    ``source`` is given, in the audit log; row numbers are the draft's (a spreadsheet's: the first row
    is 2). ``drafted`` holds the drafter's values by row number where they are known, so that the
    reviewer's edits are logged.
    """

    label: str
    rows: list[Row]
    rejected: list[Row]
    text: str
    proposals: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    proposal_labels: dict[str, str] = field(default_factory=dict)  # "actors" -> "draft.actors.csv"
    drafted: dict[int, dict[str, str]] = field(default_factory=dict)
    source: str = ""  # how the audit log names the draft (its file name, never a server path)


@dataclass
class AcceptResult:
    """What publishing did, or why it refused (``problems`` non-empty means nothing was changed)."""

    problems: list[str] = field(default_factory=list)
    document_id: str = ""
    added: dict[str, int] = field(default_factory=dict)  # table -> rows added
    reports_of_existing: list[str] = field(default_factory=list)  # record ids that got a new report
    records: dict[int, str] = field(default_factory=dict)  # draft row -> the record it became
    audit_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the data was changed."""
        return not self.problems


def check_submission(sub: Submission) -> list[str]:
    """Problems found without the data: web addresses, and quotes that are not verbatim in the text."""
    problems = []
    for n, row in sub.rows:
        url_problem = web_address_problem(row.get("url") or "")
        if url_problem:
            problems.append(f"{sub.label}:{n}:url: {url_problem}")
        if row.get("kind") not in ("claim", "event"):
            problems.append(f"{sub.label}:{n}:kind: {row.get('kind')!r} is not 'claim' or 'event'")
        quote = row.get("quote", "")
        if not quote or quote not in sub.text:
            problems.append(f"{sub.label}:{n}:quote: not found verbatim in the article")
    return problems


def publish(
    sub: Submission,
    data_dir: Path,
    seeds_dir: Path,
    *,
    who: str,
    reason: str = "",
    timeout: float = LOCK_TIMEOUT,
    waiting: Callable[[], None] | None = None,
) -> AcceptResult:
    """Add the article and the reviewed rows of ``sub`` to the data in one transaction, or change nothing.

    The data is ``data_dir`` and ``seeds_dir``, or the shared database when one is configured
    (:func:`dashboard.store.change`).
    """
    result = AcceptResult(problems=check_submission(sub))
    if result.problems:
        return result
    merge = None
    try:
        with change(data_dir, seeds_dir, who=who, reason=reason, timeout=timeout, waiting=waiting) as tx:
            merge = _Merge(tx, sub, result)
            merge.run()
            if result.problems:
                raise _Refused
    except _Refused:
        pass
    except ChangeRefused as exc:
        result.problems = merge.explain(exc.problems) if merge else [str(p) for p in exc.problems]
    except TransactionError as exc:
        result.problems = [f"{Path(data_dir).name}:0:: {exc}"]
    if result.problems:
        result.added, result.records, result.audit_ids, result.document_id = {}, {}, [], ""
        result.reports_of_existing = []
    return result


class _Refused(Exception):
    """The submission has problems of its own: leave the transaction without committing."""


class _Table:
    """A table of the data as the transaction reads it, and the rows this publication appends."""

    def __init__(self, tx: Transaction, name: str) -> None:
        self.name = name
        self.rows = tx.rows(name)
        self.new: list[dict[str, str]] = []
        self.origins: list[tuple[str, int, dict[str, str]]] = []  # per new row: file label, row, fields

    def ids(self) -> set[str]:
        return {r.get("id", "") for r in self.rows + self.new}

    def next_id(self, prefix: str) -> str:
        numbers = [int(m.group(1)) for i in self.ids() if (m := re.fullmatch(rf"{prefix}(\d+)", i))]
        return f"{prefix}{(max(numbers) + 1 if numbers else 0):03d}"

    def add(self, row: dict[str, str], label: str, n: int, fields: dict[str, str] | None = None) -> dict:
        """Append ``row``; its problems are told as ``label``'s row ``n``, fields renamed by ``fields``."""
        self.new.append(dict(row))
        self.origins.append((label, n, fields or {}))
        return self.new[-1]

    def origin(self, row: int) -> tuple[str, int, dict[str, str]] | None:
        """Where the table's spreadsheet row ``row`` came from, when this publication added it."""
        index = row - 2 - len(self.rows)
        return self.origins[index] if 0 <= index < len(self.origins) else None


#: How the columns of the data's tables are called in a draft row, where the names differ.
_CLAIM_FIELDS = {"topic": "type", "record_id": "id"}
_EVENT_FIELDS = {"type": "type", "title": "subject", "groups": "group"}
_REPORT_FIELDS = {"record_id": "id", "document": "article_path"}
_DOCUMENT_FIELDS = {"file": "article_path", "sha256": "article_sha256", "id": "article_path"}
_OVERRIDES = ("figure_low", "figure_best", "figure_high", "figure_qualifier", "unit", "figure_text")
_DATE_OVERRIDES = (
    "date", "date_end", "date_precision", "date_qualifier", "date_basis", "date_earliest", "date_latest",
)  # fmt: skip
#: The date columns whose difference from the record makes a report carry its own date block.
_DATE_COMPARED = (*_DATE_OVERRIDES[:4], "date_earliest", "date_latest")
_SAID = ("said_date", "said_precision", "said_earliest", "said_latest", "said_basis")
_TABLES = ("places", "actors", "events", "claims", "reports", "documents")


class _Merge:
    """The reviewed rows merged into the tables of one transaction."""

    def __init__(self, tx: Transaction, sub: Submission, result: AcceptResult) -> None:
        self.tx, self.sub, self.result = tx, sub, result
        self.tables = {name: _Table(tx, name) for name in _TABLES}
        self.claims = {c["id"]: c for c in self.tables["claims"].rows}
        self.events = {e["id"]: e for e in self.tables["events"].rows}
        self.event_ids: dict[str, str] = {}
        self.claim_ids: dict[str, str] = {}
        self.doc_id = ""

    def run(self) -> None:
        """Check the ids against the data, then add the document, proposals, records and audit entries."""
        self._check_ids()
        if self.result.problems:
            return
        data = self.sub.text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        known = next((d["id"] for d in self.tables["documents"].rows if d.get("sha256") == digest), None)
        if known:
            self.result.problems.append(
                f"{self.sub.label}:0:article_path: this article is already in the data as {known}"
            )
            return
        file_name = self._add_document(digest)
        self._add_proposals()
        for kind in ("event", "claim"):
            for n, row in self.sub.rows:
                if row["kind"] == kind:
                    self._merge(n, row)
        for n, row in self.sub.rejected:
            draft_id = row.get("id") or f"{self.sub.label}:{n}"
            self._audit("reject", row.get("kind") or "claim", draft_id, n, reason=_rejection(row))
        self.tx.write_file("seeds", file_name, data)
        for name, table in self.tables.items():
            if table.new:
                self.tx.append_rows(name, table.new)
                self.result.added[name] = len(table.new)

    def _check_ids(self) -> None:
        """Refuse, by name, an id that is neither the draft's own nor a record of the row's kind."""
        drafted_events = {r.get("id", "") for _, r in self.sub.rows if r.get("kind") == "event"}
        for n, row in self.sub.rows:
            problem = id_problem(row["kind"], row.get("id", ""), set(self.claims), set(self.events))
            if problem:
                self.result.problems.append(f"{self.sub.label}:{n}:id: {problem}")
            event = row.get("event", "")
            if row["kind"] == "claim" and event and event not in self.events and event not in drafted_events:
                self.result.problems.append(
                    f"{self.sub.label}:{n}:event: {event!r} is neither an event of the data nor a reviewed "
                    "event row of this draft"
                )

    def _add_document(self, digest: str) -> str:
        documents = self.tables["documents"]
        self.doc_id = documents.next_id("d")
        file_name = f"{self.doc_id[1:]}_{digest[:16]}.txt"
        n, first = self.sub.rows[0]
        columns = ("title", "outlet", "author", "url", "published", "published_precision")
        columns += ("published_basis", "translation_note")
        row = {c: first.get(c, "") for c in columns}
        row.update(id=self.doc_id, file=file_name, sha256=digest, language=first.get("language", "") or "en")
        documents.add(row, self.sub.label, n, _DOCUMENT_FIELDS)
        self.result.document_id = self.doc_id
        self.result.added["documents"] = 1
        self._audit("add", "document", self.doc_id, 0)
        return file_name

    def _add_proposals(self) -> None:
        """Proposed actors and places (the draft's side files) that published rows refer to."""
        wanted: dict[str, set[str]] = {"actors": set(), "places": set()}
        for _, row in self.sub.rows:
            for column in ("claimant", "relayed_by", "participants"):
                wanted["actors"].update(split_ids(row.get(column, "")))
            wanted["places"].update(split_ids(row.get("places", "")))
        for name, rows in self.sub.proposals.items():
            table = self.tables[name]
            for i, row in enumerate(rows, start=2):
                if row.get("id") in wanted[name] and row["id"] not in table.ids():
                    table.add(row, self.sub.proposal_labels.get(name, self.sub.label), i)
                    self._audit("add", name[:-1], row["id"], 0)

    def _merge(self, n: int, row: dict[str, str]) -> None:
        kind = row["kind"]
        draft_id = row.get("id", "")
        existing = self.claims if kind == "claim" else self.events
        made = self.claim_ids if kind == "claim" else self.event_ids
        match = existing.get(draft_id)
        if match is None and kind == "claim" and provisional(kind, draft_id):
            match = next((c for c in self.tables["claims"].rows if same_claim(row, c)), None)
        if match is not None:
            report = self._report(n, row, kind, match["id"], match)
            self.result.reports_of_existing.append(match["id"])
            self._audit("add_report", kind, match["id"], n, new=report["id"])
        elif draft_id and draft_id in made:
            report = self._report(n, row, kind, made[draft_id], None)
        else:
            record_id = self._new_record(n, row)
            made[draft_id or record_id] = record_id
            report = self._report(n, row, kind, record_id, None)
            self._audit("add", kind, record_id, n, new=report["id"])
        record_id = report["record_id"]
        self.result.records[n] = record_id
        for name, old, new in edits(self.sub.drafted.get(n, row), row):
            self._audit("edit", kind, record_id, n, field=name, old=old, new=new)

    def _new_record(self, n: int, row: dict[str, str]) -> str:
        if row["kind"] == "event":
            table = self.tables["events"]
            record_id = table.next_id("e")
            values = {c: row.get(c, "") for c in ("date", "date_end", "date_precision", "date_qualifier")}
            values.update(date_basis=row.get("date_basis", ""), places=row.get("places", ""))
            values.update({c: row.get(c, "") for c in ("date_earliest", "date_latest", *_SAID)})
            values.update(event_type=row.get("event_type", ""), sub_event_type=row.get("sub_event_type", ""))
            values.update(status=row.get("event_status", ""), location=row.get("location", ""))
            values.update(participants=row.get("participants", ""), notes=row.get("notes", ""))
            values.update(id=record_id, type=row.get("type", ""), title=row.get("subject", ""))
            values["groups"] = row.get("group", "")
            table.add(values, self.sub.label, n, _EVENT_FIELDS)
            return record_id
        table = self.tables["claims"]
        record_id = table.next_id("c")
        copied = ("subject", "group", *_OVERRIDES, "places", *_DATE_OVERRIDES, *_SAID, "claimant", "stance")
        copied += ("analyst_confidence", "notes")
        values = {c: row.get(c, "") for c in copied}
        event = row.get("event", "")
        values.update(id=record_id, topic=row.get("type", ""), event=self.event_ids.get(event, event))
        table.add(values, self.sub.label, n, _CLAIM_FIELDS)
        return record_id

    def _report(
        self, n: int, row: dict[str, str], kind: str, record_id: str, record: dict[str, str] | None
    ) -> dict[str, str]:
        """A report of ``record_id``, with the row's figure and date where they differ from the record's."""
        reports = self.tables["reports"]
        report = {
            "id": reports.next_id("r"),
            "document": self.doc_id,
            "record_kind": kind,
            "record_id": record_id,
            "quote": row.get("quote", ""),
            "relayed_by": row.get("relayed_by", ""),
            "notes": row.get("notes", ""),
        }
        if record is not None:
            if kind == "claim" and _differs(row, record, _OVERRIDES):
                report.update({c: row.get(c, "") for c in _OVERRIDES})
            if _differs(row, record, _DATE_COMPARED):
                report.update({c: row.get(c, "") for c in _DATE_OVERRIDES})
        return reports.add(report, self.sub.label, n, _REPORT_FIELDS)

    def _audit(self, action: str, kind: str, record_id: str, n: int, **values: str) -> None:
        where = f"{self.sub.source or self.sub.label}:{n}" if n else ""
        entry = audit.record(self.tx, action, kind, record_id, draft_row=where, **values)
        self.result.audit_ids.append(entry["id"])

    def explain(self, problems: list[Problem]) -> list[str]:
        """Each problem of the new data told as the draft's row and field where this publication added it."""
        files = {}
        for name, table in self.tables.items():
            folder = self.tx.seeds_dir if name == "documents" else self.tx.data_dir
            files[f"{folder.name}/{name}.csv"] = table
        out = []
        for problem in problems:
            table = files.get(problem.file)
            origin = table.origin(problem.row) if table is not None else None
            if origin is None:
                out.append(str(problem))
                continue
            label, n, fields = origin
            where = fields.get(problem.field, problem.field)
            told = f"{problem.message} (in {problem.file}:{problem.row}:{problem.field})"
            out.append(str(Problem(label, n, where, told)))  # str() escapes control characters
        return out


def _differs(row: dict[str, str], record: dict[str, str], columns: tuple[str, ...]) -> bool:
    return any((row.get(c) or "") != (record.get(c) or "") for c in columns)


def _rejection(row: dict[str, str]) -> str:
    return (row.get("reason") or "").strip() or "rejected at review (no reason given)"


__all__ = ["AcceptResult", "REJECTED", "Submission", "check_submission", "publish"]
