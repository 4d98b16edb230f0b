"""Accept killed at every step, and accepts run at the same time: the data is always the old or the new.

A test hook (``DASHBOARD_TXN_PAUSE_AT``) pauses the change at its N-th step; the test kills the process
there with SIGKILL, then starts a reader, which completes or undoes what was left. Steps are counted
until a run finishes without pausing, so every step of the change is killed once.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from children import Children, wait_for
from drafts import read_rows, state, write_draft

from dashboard.datafolder import PAUSE_AT_ENV, PAUSE_FILE_ENV
from dashboard.ingest import accept_draft
from dashboard.loader import load_dataset
from dashboard.validate import validate

REPO = Path(__file__).resolve().parents[1]


def _child(draft: Path, data: Path, seeds: Path, step: int, pause: Path, tmp: Path, signal_file=None):
    """The accept process: pauses at ``step`` (0: never); exit status 0 when it published."""
    os.environ[PAUSE_AT_ENV], os.environ[PAUSE_FILE_ENV] = str(step), str(pause)
    tempfile.tempdir = str(tmp)  # anything left in the temporary folder would show here
    waiting = (lambda: signal_file.write_text("waiting")) if signal_file else None
    result = accept_draft(draft, data, seeds, who="tester", waiting=waiting)
    os._exit(0 if result.ok else 3)


CHILDREN = Children(_child)


@pytest.fixture(autouse=True)
def _no_child_left():
    """A failing test must not leave a paused child behind (the test run would wait for it)."""
    yield
    CHILDREN.kill_all()


@pytest.fixture()
def folders(make_data, tmp_path):
    data, seeds = make_data()
    draft = write_draft(tmp_path / "work", "one")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return data, seeds, draft, tmp


def _new_state(data: Path, seeds: Path, tmp_path: Path) -> dict[str, str]:
    """The state one uninterrupted accept of the same draft produces, on a copy of the folders."""
    copy = tmp_path / "copy"
    shutil.copytree(data.parent, copy)
    draft = write_draft(tmp_path / "copy-work", "one")
    assert accept_draft(draft, copy / data.name, copy / seeds.name, who="tester").ok
    return state(copy / data.name, copy / seeds.name)


def test_accept_killed_at_every_step_leaves_old_or_new_data(folders, tmp_path):
    data, seeds, draft, tmp = folders
    old = state(data, seeds)
    new = _new_state(data, seeds, tmp_path)
    assert new != old
    outcomes = []
    step = 1
    while True:
        pause = tmp_path / f"pause-{step}"
        child = CHILDREN.start(draft, data, seeds, step, pause, tmp)
        wait_for(lambda: pause.exists() or child.exitcode is not None, f"step {step}")  # noqa: B023
        if not pause.exists():  # the change finished before reaching this step: every step was killed
            child.join()
            assert child.exitcode == 0
            break
        name = pause.read_text().split(" ", 1)[1].strip()
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL
        load_dataset(data, seeds)  # the next reader completes or undoes the change
        after = state(data, seeds)
        assert after in (old, new), f"killed at step {step} ({name}): a mix of old and new data"
        assert validate(data, seeds).ok
        assert list(tmp.iterdir()) == []
        outcomes.append((name, "new" if after == new else "old"))
        if after == new:
            break  # completed by recovery: the data is in its final state, a re-run would be refused
        step += 1
    names = [n for n, _ in outcomes]
    assert names[0] == "locked" and "validated" in names and any(n.startswith("staged") for n in names)
    # Up to the commit point every kill leaves the old data; killed at the manifest, the new data.
    assert outcomes[:-1] == [(n, "old") for n in names[:-1]]
    assert outcomes[-1] == ("manifest written", "new")


def test_accept_killed_after_each_step_past_the_commit_point_completes(folders, tmp_path):
    """Past the manifest, every kill (in each rename, after the manifest is removed) ends in the new data."""
    data, seeds, draft, tmp = folders
    new = _new_state(data, seeds, tmp_path)
    first = _pause_step_named(folders, tmp_path, "manifest written")
    step = first + 1
    while True:
        work = tmp_path / f"run-{step}"
        shutil.copytree(data.parent, work)
        d, s = work / data.name, work / seeds.name
        pause = tmp_path / f"pause-{step}"
        child = CHILDREN.start(draft, d, s, step, pause, tmp)
        wait_for(lambda: pause.exists() or child.exitcode is not None, f"step {step}")  # noqa: B023
        if not pause.exists():
            child.join()
            break
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        load_dataset(d, s)
        assert state(d, s) == new
        step += 1
    assert step > first + 3  # the renames and the clean-up were each killed


def _pause_step_named(folders, tmp_path, name: str) -> int:
    """The number of the step called ``name`` (found on a throw-away copy)."""
    data, seeds, draft, tmp = folders
    work = tmp_path / "probe"
    shutil.copytree(data.parent, work)
    step = 1
    while True:
        pause = tmp_path / f"probe-{step}"
        child = CHILDREN.start(draft, work / data.name, work / seeds.name, step, pause, tmp)
        wait_for(lambda: pause.exists() or child.exitcode is not None, "probe")  # noqa: B023
        assert pause.exists(), f"no step called {name!r}"
        told = pause.read_text().split(" ", 1)[1].strip()
        pause.unlink()  # let it finish
        child.join()
        write_draft(draft.parent, "one")  # the finished accept marked the draft published
        shutil.rmtree(work)
        shutil.copytree(data.parent, work)
        if told == name:
            return step
        step += 1


def test_two_accepts_at_once_both_land_in_valid_data(make_data, tmp_path):
    """The second accept waits for the first, then merges into what the first left."""
    data, seeds = make_data()
    one = write_draft(tmp_path / "a", "one")
    two = write_draft(tmp_path / "b", "two")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    pause, waiting = tmp_path / "pause", tmp_path / "waiting"
    first = CHILDREN.start(one, data, seeds, 2, pause, tmp)  # holds the lock, paused after its first step
    wait_for(pause.exists, "the first accept to take the lock")
    second = CHILDREN.start(two, data, seeds, 0, tmp_path / "unused", tmp, waiting)
    wait_for(waiting.exists, "the second accept to wait for the lock")
    pause.unlink()
    first.join()
    second.join()
    assert (first.exitcode, second.exitcode) == (0, 0)
    ds = load_dataset(data, seeds)
    assert {"Article one", "Article two"} <= set(ds.documents["title"])
    assert {"Fighters (one)", "Fighters (two)"} <= set(ds.claims["subject"])
    assert len(set(ds.reports["id"])) == len(ds.reports)


def test_two_accept_commands_at_once(make_data, tmp_path):
    """Two real ``ingest accept`` processes started together: both succeed, or one is refused clearly;
    never both reporting success over data that fails validation."""
    data, seeds = make_data()
    drafts = [write_draft(tmp_path / "a", "one"), write_draft(tmp_path / "b", "two")]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dashboard", "ingest", "accept", str(d), "--data", str(data),
             "--seeds", str(seeds), "--who", f"curator-{i}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
        )
        for i, d in enumerate(drafts)
    ]  # fmt: skip
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert validate(data, seeds).ok
    titles = set(load_dataset(data, seeds).documents["title"])
    for (code, out, err), name in zip(results, ("one", "two"), strict=True):
        if code == 0:
            assert "accepted as document" in out and f"Article {name}" in titles
        else:
            assert "refused, nothing was changed" in err and f"Article {name}" not in titles
    assert any(code == 0 for code, _, _ in results)
    who = {row["who"] for row in read_rows(data / "audit.csv")}
    assert who == {f"curator-{i}" for i, (code, _, _) in enumerate(results) if code == 0}


def test_accept_command_killed_in_a_rename_is_completed_by_validate(make_data, tmp_path):
    """The real command, paused by its environment inside the renames and killed; ``validate`` recovers."""
    data, seeds = make_data()
    draft = write_draft(tmp_path / "a", "one")
    new = _new_state(data, seeds, tmp_path)
    probe_folders = (data, seeds, draft, tmp_path)
    step = _pause_step_named(probe_folders, tmp_path, "manifest written") + 2  # after the first rename
    pause = tmp_path / "pause"
    env = {**os.environ, "PYTHONPATH": str(REPO), PAUSE_AT_ENV: str(step), PAUSE_FILE_ENV: str(pause)}
    cmd = [sys.executable, "-m", "dashboard", "ingest", "accept", str(draft), "--data", str(data)]
    cmd += ["--who", "tester"]
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: pause.exists() or proc.poll() is not None, "the command to pause")
    assert pause.read_text().split(" ", 1)[1].startswith("installed")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    mixed = state(data, seeds)
    assert mixed != new  # part of the files are new: the folder was left mixed
    check = subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", "--data", str(data)],
        env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert state(data, seeds) == new
