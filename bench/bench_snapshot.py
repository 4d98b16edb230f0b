"""Time a PNG snapshot of the bundled data's map: warm and cold browser, 1x and 2x, against folium's _to_png.

    python bench/bench_snapshot.py [--runs 5] [--size 1920x1080]

* warm: one ``Renderer`` kept open (what the app and a pack do); the first call is left out.
* cold: a new ``Renderer`` per snapshot (browser launch included), as a one-off CLI call pays.
* folium ``_to_png``: the same map (same builder, assets inlined so that it can draw offline) through
  Selenium and Debian's chromedriver, with folium's default 3 s delay; skipped, with the reason, when
  selenium or a chromedriver is missing.

Prints medians (and min/max) in seconds; asserts nothing (machines differ).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.exports.briefing import Briefing, decorate, map_options, map_page, parse_size  # noqa: E402
from dashboard.exports.snapshot import Renderer  # noqa: E402
from dashboard.flat import flat_reports  # noqa: E402
from dashboard.loader import load_dataset  # noqa: E402
from dashboard.mapping import build_standalone_map  # noqa: E402


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _report(label: str, times: list[float]) -> None:
    print(
        f"{label:<34} median {statistics.median(times):6.3f} s   min {min(times):6.3f}"
        f"   max {max(times):6.3f}   (n={len(times)})"
    )


def bench_renderer(html: str, size: tuple[int, int], runs: int) -> None:
    """Warm and cold medians at 1x and 2x."""
    warm = Renderer()
    if not warm.available():
        print("Chromium not found: nothing to time (install the Debian package 'chromium')")
        return
    try:
        for scale in (1, 2):
            warm.screenshot(html, *size, scale=scale)  # first use opens the tab for this scale
            _report(
                f"warm {scale}x",
                [_timed(lambda s=scale: warm.screenshot(html, *size, scale=s)) for _ in range(runs)],
            )
    finally:
        warm.close()
    for scale in (1, 2):
        times = []
        for _ in range(max(2, runs // 2)):
            cold = Renderer()
            times.append(_timed(lambda c=cold, s=scale: c.screenshot(html, *size, scale=s)))
            cold.close()
        _report(f"cold {scale}x (browser launch included)", times)


def bench_folium(ds, flat, briefing: Briefing, runs: int) -> None:
    """folium's own ``Map._to_png`` on the same map, where Selenium and a chromedriver are present."""
    try:
        from selenium import webdriver
    except ImportError:
        print("folium _to_png: skipped (selenium is not installed: pip install selenium)")
        return
    driver_path = shutil.which("chromedriver")
    if driver_path is None:
        print("folium _to_png: skipped (no chromedriver: apt-get install chromium-driver)")
        return
    for scale in (1, 2):
        times = []
        for _ in range(max(2, runs // 2)):
            m = decorate(
                build_standalone_map(ds, flat, flat, briefing.filters, map_options(briefing)),
                briefing,
                picture=True,
            )
            options = webdriver.ChromeOptions()
            options.binary_location = shutil.which("chromium") or ""
            for flag in (
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                f"--force-device-scale-factor={scale}",
            ):
                options.add_argument(flag)
            service = webdriver.ChromeService(executable_path=driver_path)
            try:
                times.append(
                    _timed(
                        lambda m=m, o=options, sv=service: m._to_png(
                            driver=webdriver.Chrome(options=o, service=sv), size=briefing.size
                        )
                    )
                )
            except Exception as exc:  # noqa: BLE001 - report why it cannot run here
                print(f"folium _to_png: could not run ({type(exc).__name__}: {str(exc).splitlines()[0]})")
                return
        _report(f"folium _to_png {scale}x (3 s delay)", times)


def main() -> None:
    """Parse options, load the bundled data and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="slide", help="slide, a4 or WIDTHxHEIGHT (default: slide)")
    args = parser.parse_args()
    ds = load_dataset()
    flat = flat_reports(ds)
    briefing = Briefing(size=parse_size(args.size), caveat="Unclassified").stamped()
    build = [_timed(lambda: map_page(ds, flat, flat, briefing, picture=True)) for _ in range(3)]
    html = map_page(ds, flat, flat, briefing, picture=True)
    print(
        f"bundled data: {len(flat)} reports; picture {briefing.size[0]}x{briefing.size[1]} CSS px; "
        f"page {len(html) / 1e6:.2f} MB"
    )
    _report("build the map page (Python)", build)
    bench_renderer(html, briefing.size, args.runs)
    bench_folium(ds, flat, briefing, args.runs)


if __name__ == "__main__":
    main()
