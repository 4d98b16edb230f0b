"""An export folder that is full or read-only: a clear message naming the file and the reason, a non-zero
exit, and nothing partial left (no temporary file, no half file, no half pack), for every format.

"Full" is made deterministic at the boundary the one write helper uses (the file object that
``os.fdopen`` returns writes half, then the system says ENOSPC), and, where this machine lets the tests
mount file systems, real: a tiny tmpfs. Tests run as root, for whom permission bits stop nothing, so
"read-only" is tested only for real, on a read-only tmpfs; without the right to mount, those cases are
skipped and say why.
"""

from __future__ import annotations

import errno
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.exports.paths import WriteError, write_bytes

#: Every single-file format; each one's file extension is its name.
FORMATS = ("png", "pdf", "pptx", "html", "csv", "xlsx", "geojson")


@pytest.fixture
def data(data_dirs, monkeypatch):
    """The tiny data folder's options; no Chromium, so the pictures are the quick static fallback."""
    monkeypatch.setenv("DASHBOARD_CHROMIUM", "/nonexistent/chromium")
    import dashboard.exports.snapshot as snapshot

    monkeypatch.setattr(snapshot, "_shared", None)
    return ["--data", str(data_dirs[0]), "--seeds", str(data_dirs[1])]


class _DiskFull:
    """A file object that writes half of what it is given, then fails as a full disk does."""

    def __init__(self, real):
        self.real = real

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()
        return False

    def __getattr__(self, name):
        return getattr(self.real, name)


def disk_full_after(monkeypatch, files_that_fit: int) -> None:
    """The disk fills up while the (``files_that_fit`` + 1)-th file is written."""
    real_fdopen = os.fdopen
    opened = []

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        if "w" not in mode:
            return handle
        opened.append(fd)
        return _DiskFull(handle) if len(opened) > files_that_fit else handle

    monkeypatch.setattr(os, "fdopen", fdopen)


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_disk_names_the_file_and_keeps_the_previous_one(fmt, data, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"briefing.{fmt}"
    out.write_bytes(b"previous")
    disk_full_after(monkeypatch, 0)
    assert main(["export", fmt, *data, "--out", str(out), "--force"]) == 1
    err = capsys.readouterr().err
    assert f"{out} was not written" in err and "No space left on device" in err
    assert listing(folder) == {out.name: b"previous"}  # no temporary file, no half file


def test_a_full_disk_in_the_middle_of_a_pack_leaves_none_of_it(data, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "pack"
    folder.mkdir()
    disk_full_after(monkeypatch, 2)  # png and pdf fit, the slide does not
    code = main(["export", "pack", *data, "--formats", "png,pdf,pptx,csv", "--out", str(folder)])
    assert code == 1
    err = capsys.readouterr().err
    assert "the pack was not completed" in err and ".pptx: No space left on device" in err
    assert listing(folder) == {}  # not the first two files of it


def test_a_failed_pack_with_force_keeps_the_previous_pack(data, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "pack"
    folder.mkdir()
    args = ["export", "pack", *data, "--formats", "html,csv,geojson", "--out", str(folder), "--name", "b"]
    assert main(args) == 0
    before = listing(folder)
    disk_full_after(monkeypatch, 1)  # the page (with the new title) fits, the table does not
    assert main([*args, "--force", "--title", "Another title"]) == 1
    assert listing(folder) == before


def test_a_write_refused_late_names_the_file_not_its_temporary_name(tmp_path, monkeypatch):
    """The folder became read-only between the check and the write: the message names the target."""

    def refused(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / ".out.csv.x1y2.partial"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(WriteError) as caught:
        write_bytes(tmp_path / "out.csv", b"a,b\n")
    assert str(caught.value) == "out.csv: Read-only file system" and caught.value.errno == errno.EROFS
    assert isinstance(caught.value, OSError) and list(tmp_path.iterdir()) == []


def test_the_app_panel_says_a_file_could_not_be_made_on_a_full_disk(dataset, flat, monkeypatch):
    """The app's files are downloads made in memory; a system error while making one (a full temporary
    folder under the browser, say) is shown in the panel with the format and the reason."""
    from dashboard.exports.briefing import Briefing
    from dashboard.model import Filters
    from dashboard.ui import export_panel

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_panel, "export_bytes", full)
    problems = export_panel.ExportProblems()
    make = export_panel._maker("png", dataset, flat, flat, Briefing(filters=Filters()), problems)
    with pytest.raises(OSError):
        make()
    (message,) = problems.messages()
    assert message.startswith("PNG snapshot: the file could not be made (")
    assert "No space left on device" in message and message.endswith("Nothing was downloaded.")


# Real file systems: a tiny tmpfs and a read-only one -----------------------------------------------------


@pytest.fixture
def mount(tmp_path):
    """``mount(name, options)``: a fresh tmpfs under ``tmp_path``; skipped where mounting is not allowed."""
    mounted: list[Path] = []

    def make(name: str, options: str) -> Path:
        point = tmp_path / name
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True, text=True
        )
        if done.returncode != 0:
            pytest.skip(f"this machine does not let the tests mount a tmpfs ({done.stderr.strip()})")
        mounted.append(point)
        return point

    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; as another user permission bits test read-only instead")
    yield make
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.mark.parametrize("fmt", [*FORMATS, "pack"])
def test_a_read_only_folder_is_refused_before_anything_is_made(fmt, mount, data, capsys):
    folder = mount("ro", "ro,size=1m")
    out = folder if fmt == "pack" else folder / f"briefing.{fmt}"
    assert main(["export", fmt, *data, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"folder {folder} is on a read-only file system" in err
    assert ".partial" not in err  # never the name of a temporary file
    assert list(folder.iterdir()) == []


def test_a_real_full_disk_leaves_nothing_behind(mount, data, tmp_path, capsys):
    """A pack whose first files fit on a tiny tmpfs and whose last one does not: nothing of it stays."""
    sizes_dir = tmp_path / "sizes"
    sizes_dir.mkdir()
    formats = ["csv", "xlsx", "html"]
    args = ["export", "pack", *data, "--formats", ",".join(formats), "--name", "b"]
    assert main([*args, "--out", str(sizes_dir)]) == 0
    sizes = {p.suffix[1:]: p.stat().st_size for p in sizes_dir.iterdir()}
    pages = sum(-(-sizes[f] // 4096) for f in formats[:-1]) + 1  # the first files fit, with a page spare
    assert sizes["html"] > 8 * 4096  # the last one cannot
    folder = mount("full", f"size={pages * 4}k")
    capsys.readouterr()
    assert main([*args, "--out", str(folder)]) == 1
    assert "b.html: No space left on device" in capsys.readouterr().err
    assert list(folder.iterdir()) == []
    assert main(["export", "html", *data, "--out", str(folder / "one.html")]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert list(folder.iterdir()) == []
