"""End to end: article -> ``ingest`` -> reviewed draft -> ``ingest --accept`` -> data that loads.

Every test works on a copy of the project's data and documents in a temporary folder.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.loader import load_dataset

REPO = Path(__file__).resolve().parents[1]
WIRE = REPO / "tests" / "ingest_articles" / "wire_tajik_border.txt"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "geodata", tmp_path / "geodata")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    return tmp_path / "geodata"


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _ingest(data: Path, article: Path, out: Path, published: str = "2024-10-10") -> list[dict[str, str]]:
    status = main(
        [
            "ingest",
            str(article),
            "--published",
            published,
            "--outlet",
            "Asia-Plus",
            "--title",
            "Border guards repel incursion",
            "--url",
            "https://example.org/wire",
            "--data",
            str(data),
            "--out",
            str(out),
        ]
    )
    assert status == 0
    with open(out, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _review(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """What a reviewer does: keep the schema's units, name the group, reject the rest."""
    for row in rows:
        keep = row["kind"] == "event" or row["unit"] in ("people_killed", "fighters", "troops")
        row["status"] = "accepted" if keep else "rejected"
        if row["kind"] == "claim" and keep and not row["group"]:
            row["group"] = "terrorist-groups" if row["unit"] != "troops" else "csto-forces"
    return rows


def test_article_to_accepted_data(data, tmp_path, capsys):
    draft = tmp_path / "draft.csv"
    rows = _review(_ingest(data, WIRE, draft))
    _write(draft, rows)
    before = load_dataset(data)
    assert main(["ingest", "--accept", str(draft), "--data", str(data)]) == 0
    after = load_dataset(data)
    (doc,) = [d for d in after.documents.itertuples() if d.id not in set(before.documents["id"])]
    assert doc.published == "2024-10-10" and doc.outlet == "Asia-Plus"
    assert after.texts[doc.id] == WIRE.read_text(encoding="utf-8")
    new_reports = after.reports[after.reports["document"] == doc.id]
    accepted = [r for r in rows if r["status"] == "accepted"]
    assert len(new_reports) == len(accepted)
    assert set(new_reports["quote"]) == {r["quote"] for r in accepted}
    killed = after.claims[after.claims["unit"] == "people_killed"]
    assert 3 in set(killed["figure_best"])
    # the proposed speaker became an actor because an accepted row names it
    assert "state-committee-for-national-security" in set(after.actors["id"])
    assert "accepted as document" in capsys.readouterr().out


def test_a_claim_already_in_the_data_gets_a_new_report(data, tmp_path):
    article = tmp_path / "repeat.txt"
    article.write_text(
        "Sidorov estimate repeated\n\n"
        "Last year, the former Chief of the CSTO Joint Staff, Colonel General Anatoly Sidorov claimed "
        "that the "
        "Islamic State – Khorasan province (ISKP) had amassed up to 6,500 members.\n",
        encoding="utf-8",
    )
    draft = tmp_path / "draft.csv"
    rows = _ingest(data, article, draft, published="2024-09")
    (row,) = [r for r in rows if r["kind"] == "claim"]
    row["status"] = "accepted"
    row["id"] = "n-c001"  # the reviewer's id does not matter: same claimant, figure and group does
    _write(draft, [row])
    claims_before = (data / "claims.csv").read_bytes()
    assert main(["ingest", "--accept", str(draft), "--data", str(data)]) == 0
    assert (data / "claims.csv").read_bytes() == claims_before
    after = load_dataset(data)
    report = after.reports.iloc[-1]
    assert report["record_kind"] == "claim" and report["record_id"] == "c016"
    assert report["date"] == "2023" and report["date_precision"] == "year"


def test_invalid_draft_is_refused_and_nothing_changes(data, tmp_path, capsys):
    draft = tmp_path / "draft.csv"
    rows = _review(_ingest(data, WIRE, draft))
    for row in rows:
        if row["kind"] == "claim" and row["status"] == "accepted":
            row["unit"] = "goats"  # an edit the schema does not allow
            break
    _write(draft, rows)
    seeds = data.parent / "seeds"
    before = {**_digests(data), **{f"seeds/{k}": v for k, v in _digests(seeds).items()}}
    assert main(["ingest", "--accept", str(draft), "--data", str(data)]) == 1
    after = {**_digests(data), **{f"seeds/{k}": v for k, v in _digests(seeds).items()}}
    assert after == before
    err = capsys.readouterr().err
    assert "refused, nothing was changed" in err
    assert "geodata/claims.csv:" in err and ":unit: 'goats' is not one of the allowed values" in err


def test_rows_not_reviewed_stop_the_accept(data, tmp_path, capsys):
    draft = tmp_path / "draft.csv"
    _ingest(data, WIRE, draft)
    before = _digests(data)
    assert main(["ingest", "--accept", str(draft), "--data", str(data)]) == 1
    assert _digests(data) == before
    assert "set it to 'accepted' or 'rejected'" in capsys.readouterr().err


def test_changed_article_is_refused(data, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(WIRE.read_text(encoding="utf-8"), encoding="utf-8")
    draft = tmp_path / "draft.csv"
    _write(draft, _review(_ingest(data, article, draft)))
    article.write_text(WIRE.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    before = _digests(data)
    assert main(["ingest", "--accept", str(draft), "--data", str(data)]) == 1
    assert _digests(data) == before
    assert "has changed since it was ingested" in capsys.readouterr().err


def test_bad_article_gets_a_clear_error(data, tmp_path, capsys):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    status = main(
        [
            "ingest",
            str(binary),
            "--published",
            "2024-10",
            "--data",
            str(data),
            "--out",
            str(tmp_path / "d.csv"),
        ]
    )
    assert status == 1
    assert str(binary) in capsys.readouterr().err
    assert not (tmp_path / "d.csv").exists()
