"""The record manifest of a briefing: which records it shows, from which documents, and each
document's SHA-256 as held, so that a reader can check the pack against the sources.

One entry per document behind the view, in publication order: its id and file, the SHA-256 of the
file's bytes in the seeds folder ("file missing" when it is not there), and the ids of the claims and
events drawn from it. The slide's notes carry it; the PDF prints it on its appendix page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.model import Dataset
from dashboard.wording import documents_in


@dataclass(frozen=True)
class ManifestEntry:
    """One document behind the view and the records drawn from it."""

    document_id: str
    file: str
    sha256: str  # hex digest of the file's bytes, or "" when the file is missing
    records: tuple[str, ...]  # claim and event ids, sorted

    def line(self) -> str:
        """ "d001 001_x.txt SHA-256 3f2a…: c016, c017, e005"."""
        digest = f"SHA-256 {self.sha256}" if self.sha256 else "file missing"
        return f"{self.document_id} {self.file} {digest}: {', '.join(self.records) or 'no record'}"


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, "" when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def manifest(ds: Dataset, flat: pd.DataFrame) -> list[ManifestEntry]:
    """The manifest of the rows shown (``flat`` already filtered)."""
    if flat.empty:
        return []
    out = []
    for doc in documents_in(flat).itertuples():
        rows = flat[flat["document_id"] == doc.document_id]
        records = tuple(sorted(set(rows["id"])))
        out.append(
            ManifestEntry(
                doc.document_id, str(doc.document), file_sha256(ds.seeds_dir / str(doc.document)), records
            )
        )
    return out


def manifest_lines(entries: list[ManifestEntry]) -> list[str]:
    """The manifest as text lines, a heading first."""
    head = "Record manifest (document, file, SHA-256 of the file as held, records drawn from it):"
    return [head, *(f"- {e.line()}" for e in entries)] if entries else [head, "- none: no record in view"]
