"""An events import killed half way: the next reader sees the old events or the new, each with its own
manifest, never a mix; the next import completes or clears what was left.

The real command (``python -m dashboard import acled ...``) is paused at each step of its write by the
same hook as a data folder's change (``DASHBOARD_TXN_PAUSE_AT``/``_FILE``) and killed there (SIGKILL).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from children import wait_for
from events_helpers import ACLED_JULY, ACLED_JUNE, REPO, outline_folder

from dashboard.datafolder import PAUSE_AT_ENV, PAUSE_FILE_ENV
from dashboard.events.importer import import_file
from dashboard.events.store import IMPORT_ID, EventStore, engine

STEPS = ["events written", "manifest written", "events installed", "manifest installed"]


def view(data: Path) -> tuple:
    """What a reader sees: the manifest's summary and every stored event with its status."""
    store = EventStore(data)
    manifest = store.manifest("acled")
    query = "SELECT event_id, status, fatalities FROM events ORDER BY event_id"
    rows = engine(data).execute(query).fetchall()
    return manifest.get("export_date"), manifest.get("events_current"), manifest.get("events_withdrawn"), rows


def hidden(data: Path) -> list[str]:
    return sorted(p.name for p in (data / "events").iterdir() if p.name.startswith("."))


@pytest.fixture
def started(tmp_path):
    """The import processes started by a test; any left running is killed at the end."""
    procs: list[subprocess.Popen] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _command(data: Path, cwd: Path, step: int, pause: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), PAUSE_AT_ENV: str(step), PAUSE_FILE_ENV: str(pause)}
    cmd = [sys.executable, "-m", "dashboard", "import", "acled", str(ACLED_JULY), "--data", str(data)]
    return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_an_import_killed_at_each_step_leaves_old_or_new_events(tmp_path, started):
    base = outline_folder(tmp_path / "base" / "geodata")
    import_file("acled", ACLED_JUNE, base)
    old = view(base)
    fresh = tmp_path / "fresh" / "geodata"
    shutil.copytree(base, fresh)
    import_file("acled", ACLED_JULY, fresh)
    new = view(fresh)
    assert new != old
    outcomes = []
    for step, name in enumerate(STEPS, start=1):
        data = tmp_path / f"run-{step}" / "geodata"
        shutil.copytree(base, data)
        pause = tmp_path / f"pause-{step}"
        proc = _command(data, tmp_path, step, pause)
        started.append(proc)
        wait_for(lambda: pause.exists() or proc.poll() is not None, f"step {step}", limit=180)  # noqa: B023
        assert pause.exists(), f"the import finished without reaching step {step}"
        assert pause.read_text().split(" ", 1)[1].strip() == name
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        seen = view(data)
        assert seen in (old, new), f"killed at {name!r}: a mix of old and new"
        store = EventStore(data)
        assert store.problems() == []
        if seen == new:  # the reader paired the new events with their own manifest
            assert store.manifest("acled")[IMPORT_ID]
        outcomes.append((name, "new" if seen == new else "old"))
        # The next import clears what was left (or completes it) and ends in the new state.
        import_file("acled", ACLED_JULY, data)
        assert view(data) == new
        assert hidden(data) == []
    assert outcomes == [
        ("events written", "old"),
        ("manifest written", "old"),
        ("events installed", "new"),  # the commit point: the events are in place, their manifest waits
        ("manifest installed", "new"),
    ]


def test_an_import_killed_after_its_commit_point_is_completed_by_the_next(tmp_path, started):
    data = outline_folder(tmp_path / "geodata")
    import_file("acled", ACLED_JUNE, data)
    pause = tmp_path / "pause"
    proc = _command(data, tmp_path, STEPS.index("events installed") + 1, pause)
    started.append(proc)
    wait_for(lambda: pause.exists() or proc.poll() is not None, "the command to pause", limit=180)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = EventStore(data)
    assert hidden(data) == [".acled.json.new"]  # the manifest of the events now in place
    waiting = json.loads((data / "events" / ".acled.json.new").read_text(encoding="utf-8"))
    stale = json.loads(store.manifest_path("acled").read_text(encoding="utf-8"))
    assert stale["export_date"] != waiting["export_date"]
    assert store.manifest("acled") == waiting  # the reader pairs the events with their own manifest
    with store.writing("acled"):  # the next writer puts the waiting manifest in place
        pass
    assert hidden(data) == []
    assert json.loads(store.manifest_path("acled").read_text(encoding="utf-8")) == waiting
