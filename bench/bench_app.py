"""Benchmark the app in headless Chromium: cold start to first map, and filter change to redrawn map.

Runs ``streamlit run`` for the bundled data and for the same data plus 10,000 synthetic events, loads the
page in Debian's Chromium (Playwright, ``executable_path``) and prints the figures. Not a test: nothing
is asserted about time.

    python bench/bench_app.py [--events 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from dashboard.exports.snapshot import LAUNCH_ARGS  # noqa: E402

FLAGS = list(LAUNCH_ARGS)  # one list of flags for every headless Chromium we start

#: Entry script for the synthetic run: the real page, its loader wrapped to add events to the flat table.
SYNTHETIC_APP = """
import sys
sys.path.insert(0, {repo!r})
sys.path.insert(0, {bench!r})
import streamlit as st
from dashboard.ui import data
from synthetic import add_events

_load = data.load

@st.cache_resource
def _with_events(fingerprint):
    ds, flat = _load()
    return ds, add_events(ds, flat, {n})

def load():
    return _with_events(data.data_fingerprint(*data.data_dirs()))

data.load = load
from dashboard.ui.page import main
main()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(script: Path) -> tuple[subprocess.Popen, str, float]:
    """Start streamlit on ``script``; return the process, its URL and seconds until it answered."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url, time.perf_counter() - began
        except OSError:
            if proc.poll() is not None or time.perf_counter() - began > 90:
                raise RuntimeError("streamlit did not start") from None
            time.sleep(0.1)


def map_frame(page, timeout_s=120):
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        for frame in page.frames:
            try:
                if frame.locator(".leaflet-container .dm-title").count() > 0:  # the filtered layers are in
                    return frame
            except Exception:  # detached while looking
                continue
        page.wait_for_timeout(50)
    raise RuntimeError("no map")


def wait_title(frame, needle: str, present: bool, timeout_s=300) -> None:
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        try:
            if (needle in frame.locator(".dm-title").inner_text(timeout=1000)) == present:
                return
        except Exception:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"the map was not redrawn within {timeout_s} s")


def measure(browser, script: Path, repeat: int) -> dict[str, float]:
    proc, url, server_s = start(script)
    try:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        began = time.perf_counter()
        page.goto(url)
        frame = map_frame(page)
        first_map = time.perf_counter() - began
        changes = []
        widget = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Claim topic / event type")
        for _ in range(repeat):
            widget.locator("input").click()
            page.keyboard.type("meeting")
            began = time.perf_counter()
            page.keyboard.press("Enter")
            wait_title(frame, "Type:", True)
            changes.append(time.perf_counter() - began)
            page.keyboard.press("Escape")
            widget.locator('[aria-label*="Clear"], [data-baseweb="tag"] [role="presentation"]').first.click()
            wait_title(frame, "Type:", False)
        page.close()
        return {
            "server start": server_s,
            "page to first map": first_map,
            "filter change to redrawn map (median)": statistics.median(changes),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        synthetic_dir = Path(tmp)
        (synthetic_dir / "app.py").write_text(
            textwrap.dedent(SYNTHETIC_APP.format(repo=str(REPO), bench=str(REPO / "bench"), n=args.events))
        )
        # Streamlit serves static/ beside the entry script, and refuses symlinks out of it: copy.
        shutil.copytree(REPO / "dashboard" / "static", synthetic_dir / "static")
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        runs = {
            "bundled data": REPO / "dashboard" / "app.py",
            f"bundled + {args.events:,} synthetic events": synthetic_dir / "app.py",
        }
        for name, script in runs.items():
            figures = measure(browser, script, args.repeat)
            print(name)
            for key, value in figures.items():
                print(f"  {key:<40} {value:6.2f} s")
        browser.close()


if __name__ == "__main__":
    main()
