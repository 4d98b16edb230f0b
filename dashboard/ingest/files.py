"""Reading and writing the files of ingestion: the data folder's tables, drafts and their proposals.

Everything else in ``dashboard.ingest`` works on values; this module (and ``reader.read_article`` for
the article itself) is where files are opened. A draft ``DRAFT.csv`` has two proposal files beside it,
``DRAFT.actors.csv`` and ``DRAFT.places.csv``.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from dashboard.ingest.attribution import People
from dashboard.ingest.columns import ACTOR_COLUMNS, ACTORS_SUFFIX, DRAFT_COLUMNS, PLACE_COLUMNS, PLACES_SUFFIX
from dashboard.ingest.context import Draft, Sources
from dashboard.ingest.document import DocumentInfo
from dashboard.ingest.draft import draft_article
from dashboard.ingest.places import Gazetteer
from dashboard.ingest.reader import read_article

#: A draft is UTF-8, with or without the byte-order mark a spreadsheet's "CSV UTF-8" adds.
DRAFT_ENCODING = "utf-8-sig"

#: Columns a draft must have to be accepted.
REQUIRED_COLUMNS = (
    "kind",
    "id",
    "quote",
    "quote_start",
    "quote_end",
    "status",
    "article_path",
    "article_sha256",
)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _rows_if_present(path: Path) -> list[dict[str, str]]:
    return read_rows(path) if path.exists() else []


def load_gazetteer(path: Path) -> Gazetteer:
    """The gazetteer of a ``places.csv`` file."""
    return Gazetteer.from_rows(read_rows(Path(path)))


def load_people(data_dir: Path, outlet: str) -> People:
    """Actors and groups of ``data_dir`` (``actors.csv``, ``groups.csv``; either may be missing)."""
    data_dir = Path(data_dir)
    return People.from_rows(
        _rows_if_present(data_dir / "actors.csv"), _rows_if_present(data_dir / "groups.csv"), outlet
    )


def load_sources(data_dir: Path, outlet: str) -> Sources:
    """What ``data_dir`` knows, for drafting one article of ``outlet``."""
    data_dir = Path(data_dir)
    return Sources(
        gazetteer=load_gazetteer(data_dir / "places.csv"),
        people=load_people(data_dir, outlet),
        claims=_rows_if_present(data_dir / "claims.csv"),
    )


def build_draft(article_path: Path, info: DocumentInfo, data_dir: Path) -> Draft:
    """Read the article and the data folder, and propose the article's figures, events and assertions."""
    article = read_article(article_path)
    return draft_article(article, info, load_sources(data_dir, info.outlet))


def sidecar(draft_path: Path, suffix: str) -> Path:
    """``DRAFT.csv`` -> ``DRAFT.actors.csv`` / ``DRAFT.places.csv``."""
    draft_path = Path(draft_path)
    return draft_path.with_name(draft_path.stem + suffix)


def write_draft(draft: Draft, out: Path) -> list[Path]:
    """Write the draft CSV and, when there are any, its proposed actors and places beside it."""
    out = Path(out)
    written = [out]
    write_rows(out, DRAFT_COLUMNS, draft.rows)
    for suffix, columns, rows in (
        (ACTORS_SUFFIX, ACTOR_COLUMNS, list(draft.proposed_actors.values())),
        (PLACES_SUFFIX, PLACE_COLUMNS, list(draft.proposed_places.values())),
    ):
        side = sidecar(out, suffix)
        if rows:
            write_rows(side, columns, rows)
            written.append(side)
        elif side.exists():
            side.unlink()  # a stale proposal file from an earlier run would be taken for this one's
    return written


def write_rows(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Write ``rows`` as a UTF-8 CSV file with exactly ``columns``."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def read_draft(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows of a draft CSV with their spreadsheet row numbers, and the problems of its layout.

    A spreadsheet saves "CSV UTF-8" with a byte-order mark: it is read like any UTF-8 file.
    Rows are numbered by record, as a spreadsheet numbers them (a quote with a line break is one row).
    """
    problems: list[str] = []
    try:
        with open(path, encoding=DRAFT_ENCODING, newline="") as fh:
            reader = csv.DictReader(fh)
            rows = [(n, _cells(row)) for n, row in enumerate(reader, start=2)]
            header = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return [], [f"{path}:0:: cannot read the draft ({exc})"]
    for column in REQUIRED_COLUMNS:
        if column not in header:
            problems.append(f"{path}:1:{column}: column missing")
    return rows, problems


def _cells(row: dict) -> dict[str, str]:
    """A draft row with every cell text (a short row's missing cells are "", extra cells dropped)."""
    return {k: v if isinstance(v, str) else "" for k, v in row.items() if k is not None}


def read_proposals(draft_path: Path) -> dict[str, list[dict[str, str]]]:
    """The proposed ``actors`` and ``places`` rows beside a draft (none where a file is missing)."""
    out = {}
    for name, suffix in (("actors", ACTORS_SUFFIX), ("places", PLACES_SUFFIX)):
        path = sidecar(draft_path, suffix)
        if path.exists():
            with open(path, encoding=DRAFT_ENCODING, newline="") as fh:
                out[name] = [_cells(row) for row in csv.DictReader(fh)]
        else:
            out[name] = []
    return out


def update_draft(path: Path, changes: dict[int, dict[str, str]]) -> None:
    """Set cells of a draft file's rows (by spreadsheet row number), replacing the file atomically.

    The file keeps its columns and every other cell; it is written as UTF-8 without a byte-order mark.
    """
    path = Path(path)
    with open(path, encoding=DRAFT_ENCODING, newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        header = list(reader.fieldnames or [])
    for n, values in changes.items():
        rows[n - 2].update(values)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
