"""Output paths: a name cannot leave its folder, an existing file is kept unless forced."""

from __future__ import annotations

import os

import pytest

from dashboard.exports.paths import OutputError, output_path, safe_name, write_bytes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kunduz / Takhar: May 2023", "Kunduz-Takhar-May-2023"),
        ("../../etc/passwd", "etc-passwd"),
        ("Тахар", "briefing"),  # nothing ASCII is left
        (".hidden", "hidden"),
        ("CON", "briefing"),
        ("a" * 200, "a" * 80),
        ("Tajik–Afghan border", "Tajik-Afghan-border"),
    ],
)
def test_safe_name(text, expected):
    assert safe_name(text) == expected


@pytest.mark.parametrize(
    "name", ["../out.png", "/tmp/out.png", "sub/out.png", "..", "", "a\\b.png", "x\x00.png"]
)
def test_a_name_cannot_leave_the_folder(tmp_path, name):
    with pytest.raises(OutputError):
        output_path(tmp_path, name)


def test_a_symbolic_link_leading_out_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "pack"
    folder.mkdir()
    os.symlink(outside / "target.png", folder / "map.png")
    with pytest.raises(OutputError, match="leads outside"):
        output_path(folder, "map.png", force=True)
    assert not (outside / "target.png").exists()


def test_existing_files_need_force(tmp_path):
    path = output_path(tmp_path, "map.png")
    write_bytes(path, b"one")
    with pytest.raises(OutputError, match="--force"):
        output_path(tmp_path, "map.png")
    with pytest.raises(OutputError, match="--force"):
        write_bytes(path, b"two")
    write_bytes(output_path(tmp_path, "map.png", force=True), b"two", force=True)
    assert path.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]  # no temporary file left behind


def test_missing_folder_and_folder_target(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        output_path(tmp_path / "nope", "a.csv")
    (tmp_path / "a.csv").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        output_path(tmp_path, "a.csv", force=True)
