"""Changes to the curated data in the shared database: the same writers, one transaction each.

Accepting a draft and retracting a source go through ``dashboard.store.change``, which, with
``DASHBOARD_DATABASE_URL`` set, locks, validates and commits in the database: two curators at once lose
nothing, a process killed at any step leaves the old data whole, a change that does not validate
writes nothing.
"""

from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path

import dbstore
import pytest
from children import Children, wait_for
from drafts import write_draft

from dashboard.datafolder import PAUSE_AT_ENV, PAUSE_FILE_ENV, LockTimeout
from dashboard.ingest import accept_draft
from dashboard.retraction import retract
from dashboard.store import change


@pytest.fixture(autouse=True)
def _no_child_left():
    """A failing test must not leave a paused child behind."""
    yield
    CHILDREN.kill_all()


@pytest.fixture
def shared(database_url, data_dirs, tmp_path, monkeypatch):
    """The tiny data folder loaded into a new database, which everything then uses."""
    dbstore.load(database_url, *data_dirs)
    dbstore.use_database(monkeypatch, database_url, tmp_path / "cache")
    return database_url, data_dirs


def _child(draft: Path, folders, who: str, step: int, pause: Path, tmp: Path, signal_file=None) -> None:
    """An accept in its own process, pausing at ``step`` (0: never); exit status 0 when it published."""
    os.environ[PAUSE_AT_ENV], os.environ[PAUSE_FILE_ENV] = str(step), str(pause)
    tempfile.tempdir = str(tmp)  # a working copy left behind would show here
    waiting = (lambda: signal_file.write_text("waiting")) if signal_file else None
    result = accept_draft(draft, *folders, who=who, waiting=waiting)
    os._exit(0 if result.ok else 3)


CHILDREN = Children(_child)


def _rows(files: dict, name: str) -> list[str]:
    key = ("seeds" if name == "documents.csv" else "data", name)
    return files[key].decode("utf-8").splitlines()[1:]


def test_a_retraction_goes_to_the_database_and_moves_the_version_on(shared):
    url, (data_dir, seeds_dir) = shared
    folder = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    result = retract(data_dir, "d001", "The outlet withdrew it.", when="2024-02-01", who="a.curator")
    assert result.ok, result.problems
    assert _rows(dbstore.files(url), "retractions.csv") == [
        "x001,d001,document,retracted,2024-02-01,The outlet withdrew it.,"
    ]
    now = dbstore.version(url)
    assert (now.version, now.changed_by) == (2, "a.curator")
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == folder  # the folder is not the store


def test_a_change_that_does_not_validate_writes_nothing(shared):
    url, (data_dir, _) = shared
    before = dbstore.files(url)
    result = retract(data_dir, "d001", "Reason.", when="2023-01")
    assert result.problems == [
        "geodata/retractions.csv:2:date: 2023-01 is before d001 was published (2023-11)"
    ]
    assert dbstore.files(url) == before
    assert dbstore.version(url).version == 1


def test_two_curators_accepting_at_once_both_land_with_their_audit_entries(shared, tmp_path):
    url, folders = shared
    one, two = write_draft(tmp_path / "a", "one"), write_draft(tmp_path / "b", "two")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    pause, waiting = tmp_path / "pause", tmp_path / "waiting"
    first = CHILDREN.start(one, folders, "curator-one", 2, pause, tmp)  # holds the lock, paused after a step
    wait_for(pause.exists, "the first accept to take the lock")
    second = CHILDREN.start(two, folders, "curator-two", 0, tmp_path / "unused", tmp, waiting)
    wait_for(waiting.exists, "the second accept to wait for the lock")
    pause.unlink()
    first.join()
    second.join()
    assert (first.exitcode, second.exitcode) == (0, 0)
    files = dbstore.files(url)
    documents = "\n".join(_rows(files, "documents.csv"))
    assert "Article one" in documents and "Article two" in documents
    claims = "\n".join(_rows(files, "claims.csv"))
    assert "Fighters (one)" in claims and "Fighters (two)" in claims
    audit = [line.split(",")[2] for line in _rows(files, "audit.csv")]
    assert {"curator-one", "curator-two"} == set(audit)
    assert dbstore.version(url).version == 3


def test_a_change_killed_at_every_step_leaves_the_old_data_whole(shared, tmp_path):
    url, folders = shared
    draft = write_draft(tmp_path / "work", "one")
    old = dbstore.files(url)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    names = []
    step = 1
    while True:
        pause = tmp_path / f"pause-{step}"
        child = CHILDREN.start(draft, folders, "tester", step, pause, tmp)
        wait_for(lambda: pause.exists() or child.exitcode is not None, f"step {step}")  # noqa: B023
        if not pause.exists():  # finished before reaching this step: every step was killed once
            child.join()
            assert child.exitcode == 0
            break
        names.append(pause.read_text().split(" ", 1)[1].strip())
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        assert dbstore.files(url) == old, f"killed at step {step} ({names[-1]}): the database changed"
        assert dbstore.version(url).version == 1
        step += 1
    assert names[0] == "locked" and "validated" in names
    assert any(n.startswith("stored") for n in names) and names[-1] == "version moved on"
    new = dbstore.files(url)
    assert new != old and "Fighters (one)" in new[("data", "claims.csv")].decode("utf-8")
    assert dbstore.version(url).version == 2
    assert list(tmp.iterdir()) == []  # the finished change removed what the killed ones left


def test_a_change_waits_for_another_then_gives_up_clearly(shared, tmp_path):
    url, folders = shared
    draft = write_draft(tmp_path / "a", "one")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    pause = tmp_path / "pause"
    holder = CHILDREN.start(draft, folders, "curator-one", 1, pause, tmp)
    wait_for(pause.exists, "the first change to take the lock")
    told = []
    with pytest.raises(LockTimeout, match="another change to the shared database is still in progress"):
        with change(*folders, who="curator-two", timeout=0.2, waiting=lambda: told.append(True)):
            pass
    assert told == [True]
    pause.unlink()
    holder.join()
    assert holder.exitcode == 0
