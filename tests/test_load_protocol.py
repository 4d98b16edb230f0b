"""The load benchmark's driver (bench/load_sessions.py) against a real server: one session takes every
step a simulated analyst takes, through Streamlit's websocket protocol, and each step reaches the app.

Nothing here is timed: the benchmark prints times, this only keeps its driver working as Streamlit and
the app change (a widget key renamed, a protocol message changed)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import subprocess
from pathlib import Path

import pytest

from bench import load_sessions as load  # it puts bench/ on the path for its own helpers
from dashboard import server

REPO = Path(__file__).resolve().parents[1]
STEPS = ("filter: dates", "filter: province", "filter: source", "zoom/pan", "select", "select", "export")


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """The dashboard on the bundled data, started as ``serve`` starts it, on a free port."""
    port = load.free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("wb") as out:
        child = server.start(server.ServeOptions(port=port), stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        load.wait_healthy(url, child)
        yield url, child.pid
    finally:
        child.terminate()
        child.wait(timeout=60)


async def _walk(url: str) -> tuple[dict, int, str]:
    session = load.StreamSession(url, "province=Badakhshan", timeout=300)  # generous: a wait, not a target
    try:
        results = {"open": await session.open()}
        person = load.Analyst(seed=3, provinces=load.province_ids(REPO / "geodata"))
        for number, action in enumerate(STEPS):
            results[f"{number} {action}"] = await person.act(session, action)
        made = await session.rerun(load.trigger_state(session.widget("export_make_csv")))
        results["make csv"] = made
        _, size = await session.download("export_csv")  # the file the made button's download holds
        return results, size, session.query
    finally:
        await session.close()


def _in_own_thread(coroutine):
    """Run ``coroutine`` on an event loop of its own thread: the browser tests' Playwright keeps a loop
    running on the main thread for the whole session, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_one_session_takes_every_step_with_no_error(running):
    url, pid = running
    results, size, query = _in_own_thread(_walk(url))
    for step, result in results.items():
        assert result.exceptions == [], f"{step}: {result.exceptions}"
        assert result.error_alerts == [], f"{step}: {result.error_alerts}"
    assert size > 0  # the export's file came back
    # The steps reached the app: its view state (written to the URL) holds the map view and a selection.
    assert "zoom=" in query and "select=" in query, query
    assert load.server_memory.memory_mb(pid)[0] > 0


def test_percentiles_and_memory_growth():
    assert load.percentile(list(range(1, 101)), 0.95) == 95
    assert load.percentile([3.0], 0.5) == 3.0
    samples = [(t, 100.0 + (10.0 if t >= 300 else 0.0)) for t in range(0, 610, 10)]
    assert load.server_memory.growth(samples, 300) == (110.0, 110.0, 0.0)  # the step up is before it
    assert load.server_memory.growth(samples, 400)[2] == pytest.approx(10.0)
