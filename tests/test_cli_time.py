"""The command line over time on the bundled data: --known-on, changes, retract, --include-retracted,
dependents. Commands that write run on a copy of the data."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from dashboard.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def copy(tmp_path) -> Path:
    """A copy of the bundled data folder (with seeds/ beside it); returns the data folder."""
    shutil.copytree(REPO / "geodata", tmp_path / "geodata")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    return tmp_path / "geodata"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8", newline="")))


def test_export_csv_known_on_holds_only_the_documents_published_by_then(tmp_path, capsys):
    out = tmp_path / "known.csv"
    assert main(["export", "csv", "--out", str(out), "--known-on", "2024-03-31"]) == 0
    rows = _rows(out)
    assert {r["document_id"] for r in rows} == {"d000", "d001", "d002"}
    assert {r["published"] for r in rows} == {"2023-05", "2023-11", "2024-03"}
    assert capsys.readouterr().out == f"{len(rows)} rows written to {out}\n"


def test_known_on_a_day_inside_a_month_leaves_that_month_out(tmp_path):
    out = tmp_path / "known.csv"
    assert main(["export", "csv", "--out", str(out), "--known-on", "2024-03-15"]) == 0
    assert {r["document_id"] for r in _rows(out)} == {"d000", "d001"}


def test_a_bad_known_on_date_is_a_usage_error(tmp_path, capsys):
    assert main(["export", "csv", "--out", str(tmp_path / "x.csv"), "--known-on", "March 2024"]) == 2
    assert "error: known_on: 'March 2024' is not an ISO 8601 date" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_changes_lists_patrushev_23000_as_new_and_nothing_from_2025(capsys):
    assert main(["changes", "--from", "2024-03-31", "--to", "2024-06-30"]) == 0
    out = capsys.readouterr().out
    new = out.split("New claims and events")[1].split("\n\n", 2)[1]
    assert "New claim c026: Militants of terrorist organisations in Afghanistan" in new
    assert "about 23,000 fighters: Nikolai Patrushev — KabulNow, June 2024 (d003, r069)" in new
    assert "10,000 fighters → about 23,000 fighters" in out.split("Figures that moved")[1]
    assert "2025" not in out and "d004" not in out and "Izvestia" not in out


def test_changes_writes_markdown_or_csv_by_extension(tmp_path, capsys):
    md, table = tmp_path / "since.md", tmp_path / "since.csv"
    assert main(["changes", "--from", "2024-03-31", "--to", "2024-06-30", "--out", str(md)]) == 0
    assert "written to" in capsys.readouterr().out
    assert md.read_text(encoding="utf-8").startswith("# What changed after 31 March 2024, up to 30 June 2024")
    assert main(["changes", "--from", "2024-03-31", "--to", "2024-06-30", "--out", str(table)]) == 0
    assert any(r["section"] == "new" and r["id"] == "c026" for r in _rows(table))
    assert main(["changes", "--from", "2024-03-31", "--out", str(table)]) == 1  # exists, no --force
    assert "exists; use --force" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2024", "--to", "2023"], "from: 2024 is not before to 2023"),
        (["--from", "2024", "--known-on", "2024-06"], "known-on: does not apply to changes"),
        (["--from", "2024", "--out", "x.txt"], "out: .txt is not one of"),
        (["--from", "2024", "--group", "isis-x"], "--group: no group 'isis-x' in the data"),
    ],
)
def test_changes_usage_errors(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(["changes", *args]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_retract_d001_hides_its_reports_until_asked_for(copy, tmp_path, capsys):
    data = ["--data", str(copy)]
    assert (
        main(["retract", "d001", "--reason", "Withdrawn by the outlet", "--date", "2025-05-01", *data]) == 0
    )
    assert capsys.readouterr().out.startswith("x001: document d001 retracted on 2025-05-01")
    hidden, shown = tmp_path / "hidden.csv", tmp_path / "shown.csv"
    assert main(["export", "csv", "--out", str(hidden), *data]) == 0
    assert main(["export", "csv", "--out", str(shown), "--include-retracted", *data]) == 0
    assert "d001" not in {r["document_id"] for r in _rows(hidden)}
    back = [r for r in _rows(shown) if r["document_id"] == "d001"]
    assert back and {(r["retracted"], r["retracted_on"]) for r in back} == {("retracted", "2025-05-01")}
    assert len(_rows(shown)) == len(_rows(hidden)) + len(back)
    # Known on a day before the retraction, d001's reports still count (marked).
    before = tmp_path / "before.csv"
    assert main(["export", "csv", "--out", str(before), "--known-on", "2025-04-30", *data]) == 0
    assert "d001" in {r["document_id"] for r in _rows(before)}
    assert main(["validate", *data]) == 0


def test_retract_of_an_unknown_id_fails_and_changes_nothing(copy, capsys):
    files = {p.name: p.read_bytes() for p in copy.iterdir()}
    assert main(["retract", "d999", "--reason", "No such document", "--data", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "geodata/retractions.csv:2:target: 'd999' is not an id in documents or actors" in err
    assert "nothing was changed" in err
    assert {p.name: p.read_bytes() for p in copy.iterdir() if p.name in files} == files


def test_retract_usage_errors(copy, capsys):
    assert main(["retract", "d001", "--reason", " ", "--data", str(copy)]) == 2
    assert main(["retract", "d001", "--reason", "x", "--date", "yesterday", "--data", str(copy)]) == 2
    assert "date: 'yesterday'" in capsys.readouterr().err
    assert (copy / "retractions.csv").read_text(encoding="utf-8").count("\n") == 1


def test_dependents_lists_what_rests_on_a_document(capsys):
    assert main(["dependents", "d003"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("document d003: Central Asia Remains Concerned About Terrorism")
    assert "claim c026: Militants of terrorist organisations in Afghanistan [r069] ALONE" in out
    assert "claim c016: ISKP strength in Afghanistan [r057] also in r055, r056" in out
    assert main(["dependents", "nobody"]) == 2
