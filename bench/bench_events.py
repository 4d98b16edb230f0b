"""Benchmark imported events at 10k, 100k and 1M ACLED-shaped rows (figures printed, nothing asserted).

For each size: import time and peak memory (in a process of its own), filter + aggregate time in the
engine, the map's payload (the layers the app sends), and in headless Chromium: page to first map and
filter change to redrawn map, beside a bare Streamlit page and the app on the bundled data measured in
the same run, and the server's memory.

The shared store is measured beside the embedded one in the same run: the same export imported into
PostgreSQL/PostGIS and the same filters and aggregates run there. The server is the one named by
``BENCH_DATABASE_URL`` (a database of its own is created on it for the run and dropped afterwards, so
the role needs CREATEDB), else a throw-away cluster started with ``tests/pgcluster.py`` (Debian's
postgresql-15-postgis-3); ``--no-postgres`` leaves it out.

    python bench/bench_events.py [--sizes 10000 100000 1000000] [--repeat 3] [--no-browser] [--no-postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from acled_export import generate  # noqa: E402
from bench_app import FLAGS, map_frame, start, wait_title  # noqa: E402

IMPORT = """
import resource, sys, time
sys.path.insert(0, {repo!r})
from dashboard.events.importer import import_file
began = time.perf_counter()
result = import_file("acled", {csv!r}, {data!r}, url={url!r})
print(time.perf_counter() - began, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, result.added)
"""
#: The environment variable naming a PostgreSQL server for the shared store's figures.
DATABASE_ENV = "BENCH_DATABASE_URL"

BARE = """
import streamlit as st
st.title("Bare page")
st.write("Nothing else.")
"""


def data_folder(root: Path) -> Path:
    for name in ("geodata", "seeds"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("events"))
    return root / "geodata"


def measure_import(csv: Path, data: Path, url: str = "", label: str = "") -> dict[str, float]:
    """Import time and peak memory, in a process of its own; ``url``: into that database ("": Parquet)."""
    out = subprocess.run(
        [sys.executable, "-c", IMPORT.format(repo=str(REPO), csv=str(csv), data=str(data), url=url)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {f"{label}import (s)": float(out[0]), f"{label}import peak memory (MB)": float(out[1])}


def measure_engine(data: Path, repeat: int, url: str = "", label: str = "") -> dict[str, float]:
    """Median time of the map's and the trend's queries for a filter change (``url``: PostgreSQL)."""
    from dashboard.events import aggregate
    from dashboard.events.query import EventFilters, condition
    from dashboard.events.regions import load_regions
    from dashboard.events.store import engine
    from dashboard.model import Filters

    cur, regions = engine(data, url), load_regions(data)
    times, views = [], []
    for i in range(repeat):
        filters = Filters(start=f"{2018 + i}-01", end="2023-12", type=("Battles", "Riots"))
        began = time.perf_counter()
        cond = condition(filters, None, regions)
        aggregate.totals(cur, cond)
        aggregate.by_province(cur, cond)
        aggregate.by_hexagon(cur, cond, 5)
        aggregate.trend(cur, cond, "month")
        times.append(time.perf_counter() - began)
        # a map zoomed to a district: the view's count, then its newest events (the points layer)
        began = time.perf_counter()
        view = condition(filters, EventFilters(bounds=(36.6, 68.7 + i * 0.1, 36.9, 69.1 + i * 0.1)), regions)
        aggregate.totals(cur, view)
        aggregate.rows(cur, view, 1500)
        views.append(time.perf_counter() - began)
    return {
        f"{label}filter + aggregate in the engine (s)": statistics.median(times),
        f"{label}district view, count + points (s)": statistics.median(views),
    }


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A new, upgraded database for the run: on ``BENCH_DATABASE_URL``'s server, else on a throw-away
    cluster; dropped (or the cluster removed) afterwards."""
    import psycopg

    from dashboard.db.migrate import upgrade

    cluster = None
    server = os.environ.get(DATABASE_ENV, "").strip()
    if not server:
        sys.path.insert(0, str(REPO / "tests"))
        import pgcluster

        cluster = pgcluster.start_cluster()
        server = cluster.admin_url
    name = f"bench_events_{uuid.uuid4().hex[:8]}"
    url = psycopg.conninfo.make_conninfo(server, dbname=name)
    try:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            upgrade(url)
            yield url
        finally:
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        if cluster is not None:
            pgcluster.remove_cluster(cluster)


def clear_events(url: str) -> None:
    """Empty the run's own database of imported events before the next size."""
    from dashboard.db import connect

    with connect(url) as conn:
        conn.execute("TRUNCATE imported.events")
        conn.execute("DELETE FROM imported.manifests")


def measure_payload(data: Path) -> dict[str, float]:
    from streamlit_folium import _get_feature_group_string

    from dashboard.assets import served_links
    from dashboard.flat import flat_reports
    from dashboard.loader import load_dataset
    from dashboard.mapping import MapOptions, build_map_parts
    from dashboard.model import Filters

    ds = load_dataset(data)
    flat = flat_reports(ds)
    parts = build_map_parts(ds, flat, flat, Filters(), MapOptions(), served_links())
    size = sum(
        len(_get_feature_group_string(group, map=parts.base, idx=i).encode())
        for i, group in enumerate(parts.layers)
    )
    return {
        "map payload, layers (MB)": size / 1e6,
        "imported events drawn as": parts.summary["imported"]["mode"],
    }


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of the server process, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = {
        line.split(":")[0]: float(line.split()[1]) / 1024
        for line in status.splitlines()
        if line[:5] in ("VmRSS", "VmHWM")
    }
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def measure_page(
    browser, script: Path, env: dict[str, str], repeat: int, choice: str | None
) -> dict[str, float]:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        proc, url, _ = start(script)
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    try:
        firsts, changes = [], []
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            began = time.perf_counter()
            page.goto(url)
            if choice is None:
                page.get_by_text("Bare page").wait_for()
                firsts.append(time.perf_counter() - began)
                page.close()
                continue
            frame = map_frame(page)
            firsts.append(time.perf_counter() - began)
            widget = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Claim topic / event type")
            widget.locator("input").click()
            page.keyboard.type(choice)
            began = time.perf_counter()
            page.keyboard.press("Enter")
            wait_title(frame, "Type:", True)
            changes.append(time.perf_counter() - began)
            page.close()
        figures = {"page to first render (s)": statistics.median(firsts)}
        if changes:
            figures["filter change to redrawn map (s)"] = statistics.median(changes)
        figures["server memory now / peak (MB)"] = "{:.0f} / {:.0f}".format(*rss_mb(proc.pid))
        return figures
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-postgres", action="store_true", help="leave out the shared store's figures")
    args = parser.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        tmp = Path(tmp)
        url = None if args.no_postgres else stack.enter_context(postgres_database())
        folders = {}
        for size in args.sizes:
            csv = tmp / f"acled_{size}.csv"
            generate(size).to_csv(csv, index=False)
            data = data_folder(tmp / f"data_{size}")
            figures = {"export size (MB)": csv.stat().st_size / 1e6, **measure_import(csv, data)}
            figures.update(measure_engine(data, args.repeat))
            figures.update(measure_payload(data))
            if url:
                clear_events(url)
                figures.update(measure_import(csv, data, url, "PostgreSQL: "))
                figures.update(measure_engine(data, args.repeat, url, "PostgreSQL: "))
            results[f"{size:,} events"] = figures
            folders[size] = data
            csv.unlink()
            print(f"{size:,}: {figures}", flush=True)
        if not args.no_browser:
            from playwright.sync_api import sync_playwright

            bare = tmp / "bare" / "app.py"
            bare.parent.mkdir()
            bare.write_text(textwrap.dedent(BARE))
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
                app = REPO / "dashboard" / "app.py"
                results["bare Streamlit page"] = measure_page(browser, bare, {}, args.repeat, None)
                results["bundled data"] = measure_page(browser, app, {}, args.repeat, "meeting")
                for size, data in folders.items():
                    env = {"DASHBOARD_DATA_DIR": str(data), "DASHBOARD_SEEDS_DIR": str(data.parent / "seeds")}
                    results[f"{size:,} events"].update(
                        measure_page(browser, app, env, args.repeat, "Battles")
                    )
                browser.close()
    for name, figures in results.items():
        print(name)
        for key, value in figures.items():
            print(f"  {key:<54} {value:.2f}" if isinstance(value, float) else f"  {key:<54} {value}")


if __name__ == "__main__":
    main()
