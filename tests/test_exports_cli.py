"""``python -m dashboard export {png,pptx,pdf,html,geojson,xlsx,pack}``: options, output checks, files."""

from __future__ import annotations

import csv
import json

import pytest
from test_exports_fixtures import FORMULA, hostile_data

from dashboard.cli import main


@pytest.fixture
def data(tmp_path, monkeypatch):
    """Data options for the hostile dataset; no Chromium, so pictures use the fallback (quick)."""
    monkeypatch.setenv("DASHBOARD_CHROMIUM", "/nonexistent/chromium")
    import dashboard.exports.snapshot as snapshot

    monkeypatch.setattr(snapshot, "_shared", None)
    data_dir, seeds_dir = hostile_data(tmp_path / "data")
    return ["--data", str(data_dir), "--seeds", str(seeds_dir)]


def test_geojson_with_filters_and_about(data, tmp_path, capsys):
    out = tmp_path / "reports.geojson"
    status = main(
        [
            "export",
            "geojson",
            "--out",
            str(out),
            *data,
            "--document",
            "d000",
            "--title",
            "Pack",
            "--as-of",
            "2024-06-01T09:30",
        ]
    )
    assert status == 0, capsys.readouterr().err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {f["properties"]["document_id"] for f in doc["features"]} == {"d000"}
    assert doc["metadata"]["Title"] == "Pack" and doc["metadata"]["As of"] == "1 June 2024, 09:30 UTC"
    assert "Document: Ministers meet" in doc["metadata"]["Filters"]
    assert "3 report(s)" in capsys.readouterr().out


def test_existing_file_needs_force(data, tmp_path, capsys):
    out = tmp_path / "map.html"
    out.write_text("keep", encoding="utf-8")
    assert main(["export", "html", "--out", str(out), *data]) == 1
    assert "--force" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "keep"
    assert main(["export", "html", "--out", str(out), *data, "--force", "--caveat", "Unclassified"]) == 0
    assert "dm-caveat-top" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--size", "huge", "size"),
        ("--bbox", "1,2,3", "bbox"),
        ("--center", "x", "center"),
        ("--as-of", "yesterday", "as-of"),
        ("--start", "2023-13", "start"),
    ],
)
def test_bad_options_are_usage_errors(data, tmp_path, capsys, option, value, message):
    assert main(["export", "png", "--out", str(tmp_path / "m.png"), *data, option, value]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "m.png").exists()


def test_png_falls_back_without_chromium_and_says_so(data, tmp_path, capsys):
    out = tmp_path / "map.png"
    assert main(["export", "png", "--out", str(out), *data, "--size", "800x500", "--scale", "1"]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "static fallback" in capsys.readouterr().err


def test_pack_writes_every_format_inside_the_folder(data, tmp_path, capsys):
    folder = tmp_path / "pack"
    folder.mkdir()
    args = [
        "export",
        "pack",
        "--out",
        str(folder),
        *data,
        "--name",
        "../../escape",
        "--size",
        "800x500",
        "--formats",
        "csv,xlsx,pptx",
    ]
    assert main(args) == 0, capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["escape.csv", "escape.pptx", "escape.xlsx"]
    assert not list(tmp_path.glob("escape*"))
    rows = list(csv.DictReader((folder / "escape.csv").open(encoding="utf-8", newline="")))
    assert f"'{FORMULA}" in [r["quote"] for r in rows]
    assert main(args) == 1  # nothing overwritten without --force, and nothing half-written
    assert "--force" in capsys.readouterr().err
    assert main(["export", "pack", "--out", str(folder), *data, "--formats", "csv,gif"]) == 2
