"""Benchmark the app in headless Chromium beside a bare Streamlit page measured in the same run.

For each page: server start, page to first map (a fresh tab each time; the first on a new server, the
others on a running one) beside a bare Streamlit page loaded just before each, filter change to redrawn
map, a map zoom until the page is idle again, and how many script runs each of these cost (every run of
the entry script is logged with its duration). Pages: the bundled data, the bundled data plus N
synthetic curated events, and data folders with 10,000 and 1,000,000 imported ACLED-shaped events. The
machine's load moves these figures: compare runs made one after the other. Not a test: nothing is
asserted about time.

    python bench/bench_app.py [--sizes 10000 1000000] [--synthetic 10000] [--repeat 3] [--workdir DIR]

``--workdir`` keeps the imported data folders between runs (the import of a million rows is done once).
"""

from __future__ import annotations

import argparse
import os
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
BENCH = REPO / "bench"
sys.path.insert(0, str(REPO))
from dashboard.exports.snapshot import LAUNCH_ARGS  # noqa: E402

FLAGS = list(LAUNCH_ARGS)  # one list of flags for every headless Chromium we start

#: Every entry script logs each of its runs (wall-clock start, seconds) to ``RUN_LOG``.
WRAPPER = """
import os, sys, time
sys.path.insert(0, {repo!r})
sys.path.insert(0, {bench!r})
_began = time.perf_counter()
_wall = time.time()
with open(os.environ["RUN_LOG"] + ".started", "a") as _log:
    _log.write(f"{{_wall:.3f}}\\n")
try:
{body}
finally:
    with open(os.environ["RUN_LOG"], "a") as _log:
        _log.write(f"{{_wall:.3f}} {{time.perf_counter() - _began:.3f}}\\n")
"""

BARE = """
import streamlit as st
st.title("Bare page")
st.write("Nothing else.")
"""

APP = """
from dashboard.ui.page import main
main()
"""

#: The real page, its loader wrapped to add synthetic curated events to the flat table.
SYNTHETIC = """
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

IMPORT = """
import resource, sys, time
sys.path.insert(0, {repo!r})
from dashboard.events.importer import import_file
began = time.perf_counter()
result = import_file("acled", {csv!r}, {data!r})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{time.perf_counter() - began:.1f}} s, peak {{peak:.0f}} MB")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(
    script: Path, env: dict[str, str] | None = None, log: Path | None = None
) -> tuple[subprocess.Popen, str, float]:
    """Start streamlit on ``script`` (its output to ``log``); return the process, its URL and seconds until
    it answered."""
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
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=log.open("ab") if log else subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url, time.perf_counter() - began
        except OSError:
            if proc.poll() is not None or time.perf_counter() - began > 90:
                raise RuntimeError("streamlit did not start") from None
            time.sleep(0.1)


def map_frame(page, timeout_s=180):
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


class RunLog:
    """The entry script's runs, read from its log file: (wall-clock start, seconds) each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = Path(f"{path}.started")
        path.write_text("")
        self.started.write_text("")

    def runs(self) -> list[tuple[float, float]]:
        return [tuple(map(float, line.split())) for line in self.path.read_text().splitlines() if line]

    def settle(self, since: float, quiet_s: float = 6.0, timeout_s: float = 300) -> list[tuple[float, float]]:
        """The runs started after ``since`` (wall clock), once none has run for ``quiet_s`` seconds.

        The wait is long because the map reports its view back only once the browser has drawn it.
        """
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            runs = [r for r in self.runs() if r[0] >= since]
            last_end = max((a + b for a, b in runs), default=since)
            if time.time() - last_end >= quiet_s and not self.running():
                return runs
            time.sleep(0.1)
        return [r for r in self.runs() if r[0] >= since]

    def running(self) -> bool:
        """Whether a run has started and not ended (its start line is written first)."""
        return self.started.read_text().count("\n") > len(self.runs())


def bare_load(browser, url: str) -> float:
    """Seconds from opening the bare page in a new tab until its text shows."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    began = time.perf_counter()
    page.goto(url)
    page.get_by_text("Bare page").wait_for(timeout=120_000)
    seconds = time.perf_counter() - began
    page.close()
    return seconds


def measure(
    browser, script: Path, log: RunLog, env: dict[str, str], repeat: int, choice: str, bare_url: str
) -> dict:
    """Figures for one page; ``choice`` is the type the filter change picks. The bare page is loaded
    just before each load of this one, so that both see the same load on the machine."""
    proc, url, server_s = start(script, {**env, "RUN_LOG": str(log.path)}, log.path.with_suffix(".server"))
    try:
        bares, firsts, first_runs, changes, change_runs, run_s, zooms, zoom_runs = ([] for _ in range(8))
        for _ in range(repeat):
            bares.append(bare_load(browser, bare_url))
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            wall, began = time.time(), time.perf_counter()
            page.goto(url)
            frame = map_frame(page)
            firsts.append(time.perf_counter() - began)
            first_runs.append(len(log.settle(wall)))
            widget = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Claim topic / event type")
            widget.locator("input").click()
            page.keyboard.type(choice)
            wall, began = time.time(), time.perf_counter()
            page.keyboard.press("Enter")
            wait_title(frame, "Type:", True)
            changes.append(time.perf_counter() - began)
            runs = log.settle(wall)
            change_runs.append(len(runs))
            run_s.extend(s for _, s in runs)
            page.keyboard.press("Escape")
            # A map move: the component reports it, and the page reruns for the layers that follow it.
            wall = time.time()
            frame.locator(".leaflet-control-zoom-in").click()
            runs = log.settle(wall)
            zoom_runs.append(len(runs))
            zooms.append(max((a + b for a, b in runs), default=wall) - wall)
            page.close()
        warm = statistics.median(firsts[1:] or firsts)
        bare = statistics.median(bares)
        return {
            "server start (s)": server_s,
            "bare page, loaded just before (s)": bare,
            "page to first map, new server (s)": firsts[0],
            "page to first map, running server (s)": warm,
            "  / bare page (x)": warm / bare,
            "script runs for the first map": statistics.median(first_runs),
            "filter change to redrawn map (s)": statistics.median(changes),
            "script runs per filter change": statistics.median(change_runs),
            "one script run, median (s)": statistics.median(run_s),
            "map zoom until idle (s)": statistics.median(zooms),
            "script runs per map zoom": statistics.median(zoom_runs),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def entry(folder: Path, body: str) -> Path:
    """An entry script in ``folder`` (with the app's static files beside it, which Streamlit serves)."""
    folder.mkdir(parents=True, exist_ok=True)
    body = textwrap.indent(textwrap.dedent(body).strip(), "    ")
    (folder / "app.py").write_text(WRAPPER.format(repo=str(REPO), bench=str(BENCH), body=body))
    if not (folder / "static").exists():  # Streamlit refuses symlinks out of static/: copy
        shutil.copytree(REPO / "dashboard" / "static", folder / "static")
    return folder / "app.py"


def imported_folder(root: Path, size: int) -> Path:
    """A copy of the bundled data with ``size`` imported ACLED-shaped events (made once per ``root``)."""
    from acled_export import generate

    folder = root / f"data_{size}"
    data = folder / "geodata"
    if (data / "events" / "acled.parquet").is_file():
        return data
    shutil.rmtree(folder, ignore_errors=True)
    for name in ("geodata", "seeds"):
        shutil.copytree(REPO / name, folder / name, ignore=shutil.ignore_patterns("events"))
    csv = root / f"acled_{size}.csv"
    generate(size).to_csv(csv, index=False)
    code = IMPORT.format(repo=str(REPO), csv=str(csv), data=str(data))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    print(f"imported {size:,} events: {out.strip()}", flush=True)
    csv.unlink()
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 1_000_000])
    parser.add_argument("--synthetic", type=int, default=10_000, help="synthetic curated events (0: none)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep the imported data folders here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        root = args.workdir or tmp
        root.mkdir(parents=True, exist_ok=True)
        runs: dict[str, tuple[Path, dict, str]] = {"bundled data": (entry(tmp / "app", APP), {}, "meeting")}
        if args.synthetic:
            script = entry(tmp / "synthetic", SYNTHETIC.format(n=args.synthetic))
            runs[f"bundled + {args.synthetic:,} synthetic curated events"] = (script, {}, "meeting")
        for size in args.sizes:
            data = imported_folder(root, size)
            env = {"DASHBOARD_DATA_DIR": str(data), "DASHBOARD_SEEDS_DIR": str(data.parent / "seeds")}
            runs[f"{size:,} imported events"] = (tmp / "app" / "app.py", env, "Battles")
        bare, bare_url, _ = start(
            entry(tmp / "bare", BARE), {"RUN_LOG": str(tmp / "bare.log")}, tmp / "bare.server"
        )
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
                bare_load(browser, bare_url)  # the bare server's first page pays its imports
                for name, (script, env, choice) in runs.items():
                    figures = measure(
                        browser, script, RunLog(tmp / "runs.log"), env, args.repeat, choice, bare_url
                    )
                    print(name, flush=True)
                    for key, value in figures.items():
                        print(f"  {key:<40} {value:6.2f}", flush=True)
                browser.close()
        finally:
            bare.terminate()
            bare.wait(timeout=30)


if __name__ == "__main__":
    main()
