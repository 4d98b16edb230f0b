"""CSV export: safe cells and plain numbers, and ``export csv`` taking the path every format takes."""

from __future__ import annotations

import csv
import io
import os

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.exports.tabular import neutralise, write_rows
from dashboard.values import plain_number


def test_csv_cells_are_safe_and_numbers_plain(flat):
    flat = flat.copy()
    flat.loc[0, "subject"] = '=HYPERLINK("http://x")'
    flat.loc[1, "notes"] = "+1 -2"
    flat.loc[2, "quote"] = "@SUM(A1)"
    flat.loc[3, "claimant_role"] = "\tcmd"
    flat.loc[0, "lon"] = -77.03637
    flat.loc[0, "figure_best"] = 1.5

    buf = io.StringIO()
    assert write_rows(flat, buf) == len(flat)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert rows[0]["subject"] == '\'=HYPERLINK("http://x")'
    assert rows[1]["notes"] == "'+1 -2"
    assert rows[2]["quote"] == "'@SUM(A1)"
    assert rows[3]["claimant_role"] == "'\tcmd"
    assert (rows[0]["lon"], rows[0]["figure_best"], rows[0]["figure_high"]) == ("-77.03637", "1.5", "6500")
    assert rows[1]["figure_low"] == ""


def test_format_number_and_neutralise():
    assert [plain_number(v) for v in (6500.0, 9.4e9, 0.1, float("nan"), None, pd.NA, 7)] == [
        "6500",
        "9400000000",
        "0.1",
        "",
        "",
        "",
        "7",
    ]
    assert [neutralise(v) for v in ("-5", "a-b", "", None, "\rx")] == ["'-5", "a-b", "", "", "'\rx"]


@pytest.mark.parametrize("option", [["--title", "X"], ["--caveat", "UNCLASSIFIED"], ["--size", "a4"]])
def test_csv_accepts_every_briefing_option_with_a_note(data_dirs, tmp_path, capsys, option):
    out = tmp_path / "out.csv"
    assert main(["export", "csv", "--data", str(data_dirs[0]), "--out", str(out), *option]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"6 rows written to {out}\n"
    assert f"note: csv does not use {option[0]}: a CSV file holds only the rows" in captured.err
    assert out.read_text(encoding="utf-8").startswith("kind,id,document,")


def test_xlsx_and_geojson_use_the_title_and_note_only_map_options(data_dirs, tmp_path, capsys):
    import json

    out = tmp_path / "out.geojson"
    args = [
        "export",
        "geojson",
        "--data",
        str(data_dirs[0]),
        "--out",
        str(out),
        "--title",
        "T",
        "--zoom",
        "7",
    ]
    assert main(args) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["metadata"]["Title"] == "T"
    err = capsys.readouterr().err
    assert "note: geojson does not use --zoom" in err and "--title" not in err


def test_csv_is_written_atomically_and_keeps_no_temporary_file(data_dirs, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "out.csv"
    out.write_text("previous", encoding="utf-8")
    renames = []
    real_replace = os.replace

    def spy(src, dst):
        renames.append((os.path.dirname(src), str(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    assert main(["export", "csv", "--data", str(data_dirs[0]), "--out", str(out), "--force"]) == 0
    assert renames == [(str(folder), str(out))]  # made beside the target, then renamed over it
    assert [p.name for p in folder.iterdir()] == ["out.csv"]
    assert out.read_text(encoding="utf-8").startswith("kind,id,")
