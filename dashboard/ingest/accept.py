"""Accept a reviewed draft: add the article to ``seeds/`` and its accepted rows to the data folder.

Everything is written to a temporary copy of the data and documents folders first and validated there;
only a clean copy replaces the real files (each written beside its target, then renamed over it). A
report of a claim already in the data (same claimant, figure and group, or the claim's id typed into the
draft) becomes a new report of that claim, not a new claim. Rows marked ``rejected`` are left out; rows
still ``draft`` or ``needs_review`` stop the accept, because a person must have looked at every row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.ingest.columns import DRAFT_COLUMNS
from dashboard.ingest.document import web_address_problem
from dashboard.ingest.files import read_draft, read_proposals
from dashboard.ingest.reader import ArticleError, read_article
from dashboard.ingest.rows import same_claim
from dashboard.validate import validate
from dashboard.values import split_ids

ACCEPTED, REJECTED = "accepted", "rejected"


@dataclass
class AcceptResult:
    """What accepting did, or why it refused (``problems`` non-empty means nothing was changed)."""

    problems: list[str] = field(default_factory=list)
    document_id: str = ""
    added: dict[str, int] = field(default_factory=dict)  # table -> rows added
    reports_of_existing: list[str] = field(default_factory=list)  # record ids that got a new report

    @property
    def ok(self) -> bool:
        """True when the data was changed."""
        return not self.problems


class _Table:
    """A CSV file of the data: its header, its rows, and the rows to append (existing bytes untouched)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            self.rows = list(reader)
            self.header = list(reader.fieldnames or [])
        self.new: list[dict[str, str]] = []

    def ids(self) -> set[str]:
        return {r.get("id", "") for r in self.rows + self.new}

    def next_id(self, prefix: str) -> str:
        numbers = [int(m.group(1)) for i in self.ids() if (m := re.fullmatch(rf"{prefix}(\d+)", i))]
        return f"{prefix}{(max(numbers) + 1 if numbers else 0):03d}"

    def add(self, row: dict[str, str]) -> None:
        self.new.append({c: row.get(c, "") for c in self.header})

    def write_to(self, path: Path) -> None:
        """Append the new rows to a copy of the file's bytes."""
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            data += b"\r\n" if b"\r\n" in data else b"\n"
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.header, lineterminator="\n")
        for row in self.new:
            writer.writerow(row)
        path.write_bytes(data + buffer.getvalue().encode("utf-8"))


def accept_draft(draft_path: Path, data_dir: Path, seeds_dir: Path | None = None) -> AcceptResult:
    """Merge the accepted rows of ``draft_path`` into ``data_dir`` and ``seeds_dir``, or change nothing."""
    draft_path, data_dir = Path(draft_path), Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else data_dir.parent / "seeds"
    result = AcceptResult()
    rows, result.problems = read_draft(draft_path)
    if result.problems:
        return result
    accepted = _check_statuses(draft_path, rows, result)
    _check_urls(draft_path, accepted, result)
    if result.problems:
        return result
    text = _check_article(draft_path, accepted, result)
    if result.problems or text is None:
        return result
    with tempfile.TemporaryDirectory(prefix="ingest-accept-") as tmp:
        root = Path(tmp)
        tmp_data, tmp_seeds = root / data_dir.name, root / seeds_dir.name
        if tmp_data == tmp_seeds:
            tmp_seeds = root / (seeds_dir.name + "-documents")
        shutil.copytree(data_dir, tmp_data)
        shutil.copytree(seeds_dir, tmp_seeds)
        changed = _merge(draft_path, accepted, text, data_dir, seeds_dir, tmp_data, tmp_seeds, result)
        if result.problems:
            return result
        validation = validate(tmp_data, tmp_seeds)
        if not validation.ok:
            result.problems = [str(p) for p in validation.problems]
            return result
        _replace(changed)
    return result


def _check_statuses(
    draft_path: Path, rows: list[tuple[int, dict[str, str]]], result: AcceptResult
) -> list[tuple[int, dict[str, str]]]:
    accepted = []
    for n, row in rows:
        status = (row.get("status") or "").strip().lower()
        if status == ACCEPTED:
            accepted.append((n, row))
        elif status != REJECTED:
            result.problems.append(
                f"{draft_path}:{n}:status: {status or 'empty'!r} — "
                "set it to 'accepted' or 'rejected' after review"
            )
        if row.get("kind") not in ("claim", "event") and status == ACCEPTED:
            result.problems.append(f"{draft_path}:{n}:kind: {row.get('kind')!r} is not 'claim' or 'event'")
    if not accepted and not result.problems:
        result.problems.append(f"{draft_path}:0:status: no row is 'accepted'; nothing to add")
    return accepted


def _check_urls(draft_path: Path, accepted: list[tuple[int, dict[str, str]]], result: AcceptResult) -> None:
    """The article's address goes into documents.csv and from there into links: web addresses only."""
    for n, row in accepted:
        problem = web_address_problem(row.get("url") or "")
        if problem:
            result.problems.append(f"{draft_path}:{n}:url: {problem}")


def _check_article(
    draft_path: Path, accepted: list[tuple[int, dict[str, str]]], result: AcceptResult
) -> str | None:
    sources = {(row.get("article_path", ""), row.get("article_sha256", "")) for _, row in accepted}
    if len(sources) != 1:
        result.problems.append(
            f"{draft_path}:0:article_path: the rows name {len(sources)} articles; a draft is one"
        )
        return None
    ((path_text, sha),) = sources
    path = Path(path_text)
    if not path.is_absolute():
        path = draft_path.parent / path
    try:
        article = read_article(path)
    except ArticleError as exc:
        result.problems.append(f"{draft_path}:0:article_path: {exc}")
        return None
    if article.source_sha256 != sha:
        result.problems.append(f"{draft_path}:0:article_sha256: {path} has changed since it was ingested")
        return None
    for n, row in accepted:
        quote = row.get("quote", "")
        if not quote or quote not in article.text:
            result.problems.append(f"{draft_path}:{n}:quote: not found verbatim in {path.name}")
    return article.text


def _merge(
    draft_path: Path,
    accepted: list[tuple[int, dict[str, str]]],
    text: str,
    data_dir: Path,
    seeds_dir: Path,
    tmp_data: Path,
    tmp_seeds: Path,
    result: AcceptResult,
) -> list[tuple[Path, Path]]:
    """Write the merged files into the temporary folders; return (temporary, real) pairs to install."""
    tables = {
        name: _Table(data_dir / f"{name}.csv") for name in ("places", "actors", "events", "claims", "reports")
    }
    documents = _Table(seeds_dir / "documents.csv")
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    for doc in documents.rows:
        if doc.get("sha256") == digest:
            result.problems.append(
                f"{draft_path}:0:article_path: this article is already in the data as {doc['id']}"
            )
            return []
    doc_id = documents.next_id("d")
    file_name = f"{doc_id[1:]}_{digest[:16]}.txt"
    first = accepted[0][1]
    documents.add(
        {
            "id": doc_id,
            "file": file_name,
            "sha256": digest,
            "title": first.get("title", ""),
            "outlet": first.get("outlet", ""),
            "author": first.get("author", ""),
            "url": first.get("url", ""),
            "published": first.get("published", ""),
            "published_precision": first.get("published_precision", ""),
            "published_basis": first.get("published_basis", ""),
            "language": first.get("language", "") or "en",
            "translation_note": first.get("translation_note", ""),
        }
    )
    result.document_id = doc_id
    _add_proposals(draft_path, accepted, tables)
    event_ids: dict[str, str] = {}
    for _, row in accepted:
        if row["kind"] == "event":
            _merge_event(row, tables, event_ids, doc_id, result)
    claim_ids: dict[str, str] = {}
    for _, row in accepted:
        if row["kind"] == "claim":
            _merge_claim(row, tables, event_ids, claim_ids, doc_id, result)
    (tmp_seeds / file_name).write_bytes(data)
    changed = [(tmp_seeds / file_name, seeds_dir / file_name)]
    documents.write_to(tmp_seeds / "documents.csv")
    changed.append((tmp_seeds / "documents.csv", seeds_dir / "documents.csv"))
    for name, table in tables.items():
        if table.new:
            table.write_to(tmp_data / f"{name}.csv")
            changed.append((tmp_data / f"{name}.csv", data_dir / f"{name}.csv"))
            result.added[name] = len(table.new)
    result.added["documents"] = 1
    return changed


def _add_proposals(
    draft_path: Path, accepted: list[tuple[int, dict[str, str]]], tables: dict[str, _Table]
) -> None:
    """Proposed actors and places (the draft's side files) that accepted rows refer to."""
    wanted = {"actors": set(), "places": set()}
    for _, row in accepted:
        wanted["actors"].update(
            split_ids(row.get("claimant", ""))
            + split_ids(row.get("relayed_by", ""))
            + split_ids(row.get("participants", ""))
        )
        wanted["places"].update(split_ids(row.get("places", "")))
    for name, rows in read_proposals(draft_path).items():
        for row in rows:
            if row.get("id") in wanted[name] and row["id"] not in tables[name].ids():
                tables[name].add(row)


_OVERRIDES = ("figure_low", "figure_best", "figure_high", "figure_qualifier", "unit")
_DATE_OVERRIDES = ("date", "date_end", "date_precision", "date_qualifier", "date_basis")


def _report(row: dict[str, str], kind: str, record_id: str, doc_id: str, reports: _Table) -> dict[str, str]:
    report = {
        "id": reports.next_id("r"),
        "document": doc_id,
        "record_kind": kind,
        "record_id": record_id,
        "quote": row.get("quote", ""),
        "relayed_by": row.get("relayed_by", ""),
        "notes": row.get("notes", ""),
    }
    reports.add(report)
    return reports.new[-1]


def _differs(row: dict[str, str], record: dict[str, str], columns: tuple[str, ...]) -> bool:
    return any((row.get(c) or "") != (record.get(c) or "") for c in columns)


def _merge_event(
    row: dict[str, str],
    tables: dict[str, _Table],
    event_ids: dict[str, str],
    doc_id: str,
    result: AcceptResult,
) -> None:
    events = tables["events"]
    existing = {e["id"]: e for e in events.rows}
    draft_id = row.get("id", "")
    if draft_id in existing:
        record_id = draft_id
        result.reports_of_existing.append(record_id)
        report = _report(row, "event", record_id, doc_id, tables["reports"])
        if _differs(row, existing[record_id], _DATE_OVERRIDES[:4]):
            report.update({c: row.get(c, "") for c in _DATE_OVERRIDES})
        return
    if draft_id and draft_id in event_ids:
        _report(row, "event", event_ids[draft_id], doc_id, tables["reports"])
        return
    record_id = events.next_id("e")
    event_ids[draft_id or record_id] = record_id
    events.add(
        {
            "id": record_id,
            "type": row.get("type", ""),
            "title": row.get("subject", ""),
            "date": row.get("date", ""),
            "date_end": row.get("date_end", ""),
            "date_precision": row.get("date_precision", ""),
            "date_qualifier": row.get("date_qualifier", ""),
            "date_basis": row.get("date_basis", ""),
            "places": row.get("places", ""),
            "participants": row.get("participants", ""),
            "groups": row.get("group", ""),
            "notes": row.get("notes", ""),
        }
    )
    _report(row, "event", record_id, doc_id, tables["reports"])


def _merge_claim(
    row: dict[str, str],
    tables: dict[str, _Table],
    event_ids: dict[str, str],
    claim_ids: dict[str, str],
    doc_id: str,
    result: AcceptResult,
) -> None:
    claims = tables["claims"]
    existing = {c["id"]: c for c in claims.rows}
    draft_id = row.get("id", "")
    match = existing.get(draft_id) or next((c for c in claims.rows if same_claim(row, c)), None)
    if match is not None:
        result.reports_of_existing.append(match["id"])
        report = _report(row, "claim", match["id"], doc_id, tables["reports"])
        if _differs(row, match, _OVERRIDES):
            report.update({c: row.get(c, "") for c in _OVERRIDES})
        if _differs(row, match, _DATE_OVERRIDES[:4]):
            report.update({c: row.get(c, "") for c in _DATE_OVERRIDES})
        return
    if draft_id and draft_id in claim_ids:
        _report(row, "claim", claim_ids[draft_id], doc_id, tables["reports"])
        return
    record_id = claims.next_id("c")
    claim_ids[draft_id or record_id] = record_id
    event = row.get("event", "")
    claims.add(
        {
            "id": record_id,
            "topic": row.get("type", ""),
            "subject": row.get("subject", ""),
            "group": row.get("group", ""),
            "figure_low": row.get("figure_low", ""),
            "figure_best": row.get("figure_best", ""),
            "figure_high": row.get("figure_high", ""),
            "figure_qualifier": row.get("figure_qualifier", ""),
            "unit": row.get("unit", ""),
            "places": row.get("places", ""),
            "date": row.get("date", ""),
            "date_end": row.get("date_end", ""),
            "date_precision": row.get("date_precision", ""),
            "date_qualifier": row.get("date_qualifier", ""),
            "date_basis": row.get("date_basis", ""),
            "claimant": row.get("claimant", ""),
            "stance": row.get("stance", ""),
            "event": event_ids.get(event, event),
            "source_reliability": row.get("source_reliability", ""),
            "info_credibility": row.get("info_credibility", ""),
            "analyst_confidence": row.get("analyst_confidence", ""),
            "notes": row.get("notes", ""),
        }
    )
    _report(row, "claim", record_id, doc_id, tables["reports"])


def _replace(changed: list[tuple[Path, Path]]) -> None:
    """Install each file: copy beside its target, then rename over it (a rename is atomic)."""
    staged = []
    for tmp, real in changed:
        stage = real.with_name(f".{real.name}.accept-tmp")
        shutil.copyfile(tmp, stage)
        staged.append((stage, real))
    for stage, real in staged:
        os.replace(stage, real)


__all__ = ["AcceptResult", "accept_draft", "read_draft", "DRAFT_COLUMNS"]
