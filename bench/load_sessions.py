"""Load benchmark: N analysts at once on one dashboard server, through Streamlit's websocket protocol.

Each session opens the page with a query string (a shared link), then repeats: change a filter (report
dates, province, source), pan and zoom the map, select a record (a table row or a province on the map),
export (a download button pressed and its file fetched). Each step is timed from the message sent to
the end of the run it causes (an export: to the last byte of its file). Printed at the end: p50, p95 and
max per step, the errors (exceptions shown, error messages shown, failed exports, disconnects,
timeouts), and the server's memory every 10 s (the server process's RSS, and the PSS of its process
tree, Chromium included) with its growth over the last 5 minutes. Figures are printed, nothing is
asserted: this is not a test. A session waits for a slow step as a person would (over ``--timeout`` it
counts as a timeout), with a pause of about ``--think`` seconds between steps.

    python bench/load_sessions.py [--sessions 30] [--minutes 10] [--events 0|100000] [--url URL]

With ``--events N`` (N > 0) a synthetic ACLED export of N rows is imported first into a copy of the
data folder, as bench/bench_events.py does. Without ``--url`` a server is started on a free port
(``dashboard.server.start``) and stopped at the end; with it, that server is driven (its memory is read
when it listens on this machine, or give ``--server-pid``).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import server_memory  # noqa: E402
from load_actions import QUERIES, Analyst, province_ids  # noqa: E402
from stream_client import (  # noqa: E402
    Disconnected,
    RunResult,
    StreamError,
    StreamSession,
    TimedOut,
    trigger_state,  # noqa: F401 (for tests/test_load_protocol.py: a button press)
)

SAMPLE_EVERY_S = 10
GROWTH_WINDOW_S = 300
GRACE_S = 60  # how long after the deadline a step in flight may still finish
ACTION_ORDER = ("open", "filter: dates", "filter: province", "filter: source", "zoom/pan", "select", "export")


class Tally:
    """Step times per action and errors by kind, shared by every session (one event loop)."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.examples: dict[str, str] = {}

    def record(self, action: str, result: RunResult, limit: float) -> None:
        """A step that finished: its time, and what it showed that is an error (taking over ``limit``
        seconds is one: a timeout)."""
        self.times[action].append(result.seconds)
        if result.seconds > limit:
            self.error("timeout", f"{action}: {result.seconds:.0f} s, over the {limit:.0f} s limit")
        for kind, messages in (
            ("exception shown", result.exceptions),
            ("error message shown", result.error_alerts),
        ):
            for message in messages:
                self.error(kind, f"{action}: {message}")

    def error(self, kind: str, example: str) -> None:
        """Count an error of ``kind``; keep its first example for the report (and print it now)."""
        self.errors[kind] += 1
        if kind not in self.examples:
            self.examples[kind] = example
            print(f"  first {kind}: {example[:300]}", flush=True)

    def steps(self) -> int:
        """Steps finished so far."""
        return sum(len(v) for v in self.times.values())


async def analyst(number: int, url: str, deadline: float, tally: Tally, options) -> None:
    """One session, reopened after a disconnect, until ``deadline``.

    Like a person before a spinner, a session waits for a slow step to end (it counts as a timeout
    when it took over ``--timeout``): giving up and reconnecting would only pile more runs on the
    server. ``drive`` stops it one minute after the deadline at the latest.
    """
    person = Analyst(seed=number, provinces=options.provinces)
    await asyncio.sleep(number * options.ramp / max(options.sessions, 1))  # sessions arrive over the ramp
    while time.monotonic() < deadline:
        patience = deadline - time.monotonic() + GRACE_S
        session = StreamSession(url, QUERIES[number % len(QUERIES)], timeout=patience)
        action = "open"
        try:
            tally.record(action, await session.open(), options.timeout)
            while time.monotonic() < deadline:
                await asyncio.sleep(person.rng.uniform(0.5, 1.5) * options.think)
                action = person.next_action()
                try:
                    tally.record(action, await person.act(session, action), options.timeout)
                except (KeyError, ValueError, RuntimeError, OSError) as exc:
                    if isinstance(exc, StreamError):
                        raise  # the session is lost: reopen it
                    kind = "export failed" if action == "export" else "step impossible"
                    tally.error(kind, f"{action}: {type(exc).__name__}: {exc}")
        except Disconnected as exc:
            tally.error("disconnect", f"{action}: {exc}")
        except TimedOut as exc:
            tally.error("timeout", f"{action}: {exc}")
        except TimeoutError as exc:  # the websocket's handshake
            tally.error("timeout", f"{action}: no handshake before the end ({exc})")
        except OSError as exc:
            tally.error("disconnect", f"{action}: {type(exc).__name__}: {exc}")
        finally:
            await session.close()


def sample_memory(pid: int | None, began: float, samples: list, stop: threading.Event, tally: Tally) -> None:
    """Every 10 s: the server's memory (own RSS, tree PSS) into ``samples``, printed with the progress."""
    while not stop.wait(SAMPLE_EVERY_S):
        elapsed = time.monotonic() - began
        own, whole = server_memory.memory_mb(pid) if pid else (0.0, 0.0)
        samples.append((elapsed, own, whole))
        shown = f"server RSS {own:6.0f} MB, with children PSS {whole:6.0f} MB" if pid else "memory not read"
        print(
            f"  {elapsed:6.0f} s  {shown}  steps {tally.steps():6d}  errors {sum(tally.errors.values())}",
            flush=True,
        )


async def drive(url: str, options, pid: int | None) -> tuple[Tally, list]:
    """Run every session for ``options.minutes``; return the tally and the memory samples."""
    tally, samples, stop = Tally(), [], threading.Event()
    began = time.monotonic()
    if pid:
        samples.append((0.0, *server_memory.memory_mb(pid)))
    sampler = threading.Thread(target=sample_memory, args=(pid, began, samples, stop, tally), daemon=True)
    sampler.start()
    deadline = began + options.minutes * 60
    try:
        tasks = [
            asyncio.create_task(analyst(i, url, deadline, tally, options)) for i in range(options.sessions)
        ]
        _, late = await asyncio.wait(tasks, timeout=deadline + GRACE_S - time.monotonic())
        for task in late:
            task.cancel()
            tally.error("timeout", f"a step still unfinished {GRACE_S} s after the end")
        await asyncio.gather(*late, return_exceptions=True)
    finally:
        stop.set()
        sampler.join()
    return tally, samples


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def report(tally: Tally, samples: list, options, pid: int | None) -> None:
    """Print the figures."""
    print(
        f"\n{options.sessions} sessions, {options.minutes:g} min, think time ~{options.think:g} s, "
        f"events: {options.events or 'bundled data'}"
    )
    print(f"{'step':<18}{'count':>7}{'p50 s':>9}{'p95 s':>9}{'max s':>9}")
    for action in sorted(tally.times, key=lambda a: (ACTION_ORDER + (a,)).index(a)):
        values = tally.times[action]
        print(
            f"{action:<18}{len(values):>7}{percentile(values, 0.5):>9.2f}{percentile(values, 0.95):>9.2f}"
            f"{max(values):>9.2f}"
        )
    # "all reruns": the gestures whose run only redraws the page; "all steps" adds the page opening and
    # the exports (a run that makes a file, then the file's download).
    rows = (
        ("all reruns", [v for a, vs in tally.times.items() if a not in ("open", "export") for v in vs]),
        ("all steps", [v for vs in tally.times.values() for v in vs]),
    )
    for name, values in rows:
        if values:
            print(
                f"{name:<18}{len(values):>7}{percentile(values, 0.5):>9.2f}"
                f"{percentile(values, 0.95):>9.2f}{max(values):>9.2f}"
            )
    print(f"errors: {sum(tally.errors.values())}")
    for kind, count in tally.errors.most_common():
        print(f"  {kind}: {count} (first: {tally.examples[kind][:300]})")
    if not pid:
        print("server memory: not read (no process found; give --server-pid)")
        return
    window = min(GROWTH_WINDOW_S, samples[-1][0] / 2) if samples else 0
    for column, name in ((1, "server process RSS"), (2, "server process tree PSS (with Chromium)")):
        series = [(sample[0], sample[column]) for sample in samples]
        print(f"{name}, MB, every {SAMPLE_EVERY_S} s:")
        print("  " + " ".join(f"{mb:.0f}" for _, mb in series))
        figures = server_memory.growth(series, window)
        if figures:
            print(
                f"  growth over the last {window / 60:.1f} min: {figures[0]:.0f} -> {figures[1]:.0f} MB "
                f"({figures[2]:+.1f}%); peak {max(mb for _, mb in series):.0f} MB"
            )


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen | None, limit_s: float = 300) -> None:
    """Wait for ``/_stcore/health`` to answer (a wait for start-up; stop if the server died)."""
    from dashboard.server import ServerError, wait_until_answering

    try:
        wait_until_answering(f"{url}/_stcore/health", process, timeout=limit_s)
    except ServerError as exc:
        raise SystemExit(str(exc)) from None


def events_folder(root: Path, events: int) -> Path:
    """A copy of the data folder with ``events`` synthetic ACLED events imported; its geodata/ folder."""
    from acled_export import generate
    from bench_events import data_folder, measure_import

    csv = root / f"acled_{events}.csv"
    generate(events).to_csv(csv, index=False)
    data = data_folder(root / "data")
    figures = measure_import(csv, data)
    csv.unlink()
    print(f"imported {events:,} synthetic events in {figures['import (s)']:.1f} s", flush=True)
    return data


def start_server(data: Path | None, log: Path) -> tuple[subprocess.Popen, str]:
    """Start the dashboard on a free loopback port (the project's settings); return it and its address."""
    from dashboard.server import ServeOptions, start

    options = ServeOptions(port=free_port(), data=data, seeds=data.parent / "seeds" if data else None)
    with log.open("wb") as out:
        process = start(options, stdout=out, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{options.port}"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30, help="concurrent sessions (default 30)")
    parser.add_argument("--minutes", type=float, default=10, help="how long they run (default 10)")
    parser.add_argument("--events", type=int, default=0, help="0: bundled data; N: import N synthetic events")
    parser.add_argument("--url", help="drive this server instead of starting one (e.g. behind a proxy)")
    parser.add_argument("--server-pid", type=int, help="the server's process, for its memory (with --url)")
    parser.add_argument("--think", type=float, default=3.0, help="mean pause between steps, s (default 3)")
    parser.add_argument(
        "--ramp", type=float, default=30.0, help="sessions arrive over this many s (default 30)"
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="a step taking longer counts as a timeout (s)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Prepare the data, start or find the server, drive it, print the figures."""
    options = parse(argv)
    # Stopped with a signal, still stop the server this started (the finally blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="load-sessions-") as tmp:
        tmp = Path(tmp)
        data = events_folder(tmp, options.events) if options.events else None
        options.provinces = province_ids(data or REPO / "geodata")
        process = None
        if options.url:
            url, pid = options.url.rstrip("/"), options.server_pid or server_memory.listening_pid(options.url)
        else:
            process, url = start_server(data, tmp / "server.log")
            pid = process.pid
        try:
            wait_healthy(url, process)
            print(f"driving {url} with {options.sessions} sessions for {options.minutes:g} min", flush=True)
            tally, samples = asyncio.run(drive(url, options, pid))
            report(tally, samples, options, pid)
        finally:
            if process is not None:
                stop(process)


def stop(process: subprocess.Popen) -> None:
    """Stop the server this started: asked first, killed if it does not stop within a minute."""
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=60)


if __name__ == "__main__":
    main()
