"""Reviewed drafts for the tiny data folder of ``factory``: an article and its draft CSV, written by hand.

The accept tests that kill, race and recover need many quick runs; a hand-written draft of one or two
rows over the tiny data validates in a moment, where drafting a real article against the bundled data
takes seconds.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from dashboard.ingest.columns import DRAFT_COLUMNS

ARTICLES = {
    "one": "A. Minister said that about 300 fighters crossed into Badakhshan.\n",
    "two": "According to TASS, up to 500 militants gathered near Fayzabad.\n",
}

_CLAIMS = {
    "one": {
        "group": "isis-k",
        "figure_best": "300",
        "figure_qualifier": "approximately",
        "figure_text": "about 300",
    },
    "two": {
        "group": "militants",
        "figure_high": "500",
        "figure_qualifier": "up_to",
        "figure_text": "up to 500",
    },
}


def claim_row(name: str, **changes: str) -> dict[str, str]:
    """A reviewed claim row quoting the whole article ``name``."""
    text = ARTICLES[name]
    quote = text.strip()
    row = {
        "kind": "claim",
        "id": "n-c001",
        "quote": quote,
        "quote_start": "0",
        "quote_end": str(len(quote)),
        "type": "force_strength",
        "subject": f"Fighters ({name})",
        "unit": "fighters",
        "places": "badakhshan",
        "date": "2023-12",
        "date_precision": "month",
        "date_qualifier": "as_of",
        "date_basis": "Article of December 2023.",
        "claimant": "minister",
        "stance": "assertion",
        "status": "reviewed",
        "title": f"Article {name}",
        "outlet": "Outlet C",
        "url": f"https://example.org/{name}",
        "published": "2023-12",
        "published_precision": "month",
        "published_basis": "Month from the address.",
        **_CLAIMS[name],
    }
    row.update(changes)
    return row


def write_draft(folder: Path, name: str, rows: list[dict[str, str]] | None = None, bom: bool = False) -> Path:
    """Write article ``name`` and its draft (``rows``, default one reviewed claim) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    article = folder / f"{name}.txt"
    article.write_text(ARTICLES[name], encoding="utf-8")
    sha = hashlib.sha256(article.read_bytes()).hexdigest()
    draft = folder / f"{name}-draft.csv"
    with open(draft, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(DRAFT_COLUMNS))
        writer.writeheader()
        for row in rows if rows is not None else [claim_row(name)]:
            writer.writerow({**row, "article_path": str(article), "article_sha256": sha})
    return draft


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def state(*folders: Path) -> dict[str, str]:
    """Every file under ``folders`` by relative path: its digest, or for ``audit.csv`` its rows without
    their times (which differ from run to run). Hidden files and staging folders are included."""
    out = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            key = f"{folder.name}/{path.relative_to(folder)}"
            if path.name == "audit.csv" and path.parent == folder:
                rows = [{k: v for k, v in r.items() if k != "at"} for r in read_rows(path)]
                out[key] = json.dumps(rows)
            else:
                out[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
