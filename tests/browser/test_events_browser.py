"""Imported events in the running app (headless Chromium): aggregates at the default zoom, single events
when zoomed to one district, without reloading the map; playback steps redraw it; nothing leaves."""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest
from conftest import REPO, Server, Watched
from events_helpers import synthetic_acled

from dashboard.events.importer import import_file


@pytest.fixture(scope="module")
def events_server(tmp_path_factory):
    """The app on a copy of the bundled data with 10,000 imported ACLED-shaped events."""
    root = tmp_path_factory.mktemp("imported")
    for name in ("geodata", "seeds"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("events"))
    import_file("acled", synthetic_acled(root / "acled_10k.csv", 10_000), root / "geodata")
    server = Server(
        env={"DASHBOARD_DATA_DIR": str(root / "geodata"), "DASHBOARD_SEEDS_DIR": str(root / "seeds")}
    )
    yield server
    server.stop()


def imported_frame(watched: Watched, timeout_ms: int = 60000):
    """The map's frame once the imported events' panel is drawn in it."""
    deadline = watched.page.evaluate("Date.now()") + timeout_ms
    while watched.page.evaluate("Date.now()") < deadline:
        for frame in watched.page.frames:
            try:
                if frame.locator(".ev-mode").count() > 0:
                    return frame
            except Exception:  # a frame detached while looking
                continue
        watched.page.wait_for_timeout(200)
    raise AssertionError("the imported events' layer was not drawn")


def mode(frame) -> str:
    return frame.locator(".ev-mode").first.get_attribute("data-mode")


def wait_mode(watched: Watched, frame, wanted: str) -> None:
    for _ in range(150):
        try:
            if mode(frame) == wanted:
                return
        except Exception:
            pass
        watched.page.wait_for_timeout(200)
    raise AssertionError(f"the map did not switch to {wanted}: {mode(frame)}")


def stayed_home(watched: Watched, server: Server) -> None:
    origins = {
        f"{urlsplit(u).scheme}://{urlsplit(u).netloc}"
        for u in watched.requests
        if not u.startswith(("data:", "blob:", "about:"))
    }
    assert origins == {server.url}, origins


def test_aggregates_at_the_default_zoom_and_points_in_one_district(browser, events_server):
    watched = Watched(browser)
    watched.page.goto(events_server.url)
    frame = imported_frame(watched)
    assert mode(frame) == "hexagon"
    hexagons = frame.locator(".leaflet-overlay-pane path.leaflet-interactive").count()
    assert hexagons > 20  # the hexagons, above the province outlines
    watched.screenshot("imported-10k-default.png")
    # Zoom the map itself (as a reader does) onto Kunduz city; mark the page to see it is not reloaded.
    moved = frame.evaluate(
        """() => {
            window.__keptAcrossRedraws = true;
            for (const name of Object.keys(window)) {
                const m = window[name];
                if (name.startsWith("map_") && m && typeof m.setView === "function") {
                    m.setView([36.729, 68.857], 12);
                    return true;
                }
            }
            return false;
        }"""
    )
    assert moved
    wait_mode(watched, frame, "points")
    assert frame.evaluate("() => window.__keptAcrossRedraws === true")  # layers swapped, map kept
    markers = frame.locator(".leaflet-marker-pane .dm-symbol")
    assert markers.count() > 0
    markers.first.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    assert "ACLED event SYN" in popup.inner_text()
    assert "www.acleddata.com" in popup.inner_text()
    # The click selects the event: the side panel beside the map shows it, with the dataset's credit.
    ident = popup.inner_text().split("ACLED event ")[1].split()[0]
    panel = watched.page.get_by_text(f"ACLED event {ident}", exact=True)
    panel.wait_for(timeout=60000)
    credit = watched.page.locator("p:visible", has_text="Source(s):")
    credit.filter(has_text="Armed Conflict Location & Event Data Project (ACLED)").first.wait_for()
    watched.screenshot("imported-10k-district.png")
    stayed_home(watched, events_server)
    assert watched.errors == [] and watched.dialogs == []
    watched.close()


def test_playback_steps_change_the_map(browser, events_server):
    watched = Watched(browser)
    watched.page.goto(events_server.url)
    frame = imported_frame(watched)
    before = frame.locator(".ev-mode").inner_text()
    watched.page.get_by_text("Step through time (playback)").click()
    watched.page.get_by_role("button", name="Next ▶").click()
    watched.settle()
    frame = imported_frame(watched)
    first = frame.locator(".ev-mode").inner_text()
    assert first != before
    title = frame.locator(".dm-title").inner_text()
    watched.page.get_by_role("button", name="Next ▶").click()
    watched.settle()
    frame = imported_frame(watched)
    for _ in range(50):
        if frame.locator(".dm-title").inner_text() != title:
            break
        watched.page.wait_for_timeout(200)
    assert frame.locator(".dm-title").inner_text() != title  # the map shows the next period
    watched.screenshot("imported-playback.png")
    stayed_home(watched, events_server)
    assert watched.errors == []
    watched.close()


def test_play_steps_the_map_through_time_by_itself(browser, events_server):
    watched = Watched(browser)
    watched.page.goto(events_server.url)
    frame = imported_frame(watched)
    watched.page.get_by_text("Step through time (playback)").click()
    watched.page.get_by_role("button", name="▶ Play").click()
    watched.page.get_by_role("button", name="⏸ Pause").wait_for(timeout=60000)
    frame = imported_frame(watched)
    title = frame.locator(".dm-title").inner_text()
    # No click after Play: the page moves itself on to the next period (waited for, not timed).
    for _ in range(300):
        frame = imported_frame(watched)
        try:
            if frame.locator(".dm-title").inner_text() != title:
                break
        except Exception:  # the frame was being redrawn
            pass
        watched.page.wait_for_timeout(200)
    assert frame.locator(".dm-title").inner_text() != title
    watched.page.get_by_role("button", name="⏸ Pause").click()
    watched.page.get_by_role("button", name="▶ Play").wait_for(timeout=60000)
    watched.screenshot("imported-playing.png")
    stayed_home(watched, events_server)
    assert watched.errors == []
    watched.close()
