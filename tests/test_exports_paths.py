"""Output paths: a name cannot leave its folder, an existing file is kept unless forced, nothing is
written through a link, a FIFO or a device, and a failed write leaves the previous file whole."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.exports.paths import OutputError, check_file, output_path, safe_name, write_bytes

REPO = Path(__file__).resolve().parents[1]


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


# --- D5: no symbolic link, FIFO or device as output; never a partial file ---------------------------


def test_a_symbolic_link_is_refused_even_with_force(tmp_path):
    target = tmp_path / "elsewhere.csv"
    target.write_bytes(b"precious")
    link = tmp_path / "out.csv"
    os.symlink(target, link)
    with pytest.raises(OutputError, match="is a symbolic link"):
        write_bytes(link, b"new", force=True)
    assert target.read_bytes() == b"precious" and link.is_symlink()


def test_a_dangling_symbolic_link_is_refused(tmp_path):
    link = tmp_path / "out.csv"
    os.symlink(tmp_path / "missing.csv", link)
    with pytest.raises(OutputError, match="is a symbolic link"):
        check_file(link, force=True)
    assert not (tmp_path / "missing.csv").exists()


def _run_with_timeout(code: str, tmp_path) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter; a write that blocks on a FIFO fails the test, never hangs it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    code = (
        "from dashboard.exports.paths import OutputError, write_bytes\n"
        "try:\n"
        f"    write_bytes({str(fifo)!r}, b'x', force=True)\n"
        "except OutputError as exc:\n"
        "    print(exc)\n"
    )
    done = _run_with_timeout(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "is a FIFO (named pipe), not a regular file" in done.stdout
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_export_csv_to_a_fifo_exits_with_a_message(data_dirs, tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    argv = ["export", "csv", "--data", str(data_dirs[0]), "--out", str(fifo), "--force"]
    code = f"import sys\nfrom dashboard.cli import main\nsys.exit(main({argv!r}))\n"
    done = _run_with_timeout(code, tmp_path)
    assert done.returncode == 1
    assert f"error: {fifo} is a FIFO (named pipe), not a regular file" in done.stderr


def test_a_device_is_refused(tmp_path):
    with pytest.raises(OutputError, match="is a device, not a regular file"):
        check_file(Path("/dev/null"), force=True)


class _DiskFull:
    """A file object that takes half the bytes, then fails as a full disk does."""

    def __init__(self, real):
        self.real = real

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_failing_write_keeps_the_previous_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_bytes(b"previous content")
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _DiskFull(real_fdopen(*a, **k)))
    with pytest.raises(OSError, match="No space left"):
        write_bytes(path, b"new content, much longer than the old one", force=True)
    assert path.read_bytes() == b"previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_export_csv_on_a_full_disk_keeps_the_previous_file(data_dirs, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "reports.csv"
    out.write_text("previous", encoding="utf-8")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert main(["export", "csv", "--data", str(data_dirs[0]), "--out", str(out), "--force"]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in folder.iterdir()] == ["reports.csv"]
