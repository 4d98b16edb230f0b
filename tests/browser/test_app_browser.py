"""The running app in headless Chromium: the offline map, URL filters, clicks, presentation mode, escaping."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
from conftest import Server, Watched

from dashboard.filters import apply_filters
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.model import Filters
from dashboard.ui import data as ui_data


@pytest.fixture(scope="module")
def bundled():
    ds = load_dataset()
    return ds, flat_reports(ds)


def table_rows(watched: Watched) -> int:
    """Data rows of the evidence table (the grid's aria-rowcount counts the header too)."""
    grid = watched.page.locator('[data-testid="stDataFrame"] table[aria-rowcount]').first
    grid.wait_for(state="attached", timeout=20000)
    return int(grid.get_attribute("aria-rowcount")) - 1


def assert_stayed_home(watched: Watched, server: Server) -> None:
    origins = {
        f"{urlsplit(u).scheme}://{urlsplit(u).netloc}"
        for u in watched.requests
        if not u.startswith(("data:", "blob:", "about:"))
    }
    assert origins == {server.url}, origins


def test_map_renders_offline_with_every_layer(browser, app_server, bundled):
    _, flat = bundled
    watched = Watched(browser)
    watched.page.goto(app_server.url)
    frame = watched.map_frame()
    watched.page.wait_for_timeout(1500)
    events = flat[(flat["kind"] == "event") & flat["lat"].notna()]["id"].nunique()
    assert frame.locator(".dm-symbol").count() >= events  # events and base sites
    assert frame.locator(".dm-label-border").count() == 2
    assert frame.locator("path.leaflet-interactive").count() >= 3  # provinces, borders, countries
    assert frame.locator(".dm-title").inner_text().startswith("Militant groups")
    assert "Natural Earth" in frame.locator(".dm-attribution").inner_text()
    assert frame.locator(".leaflet-control-scale").count() == 1
    # Exploring, the legend starts open; folded by the reader, it stays folded when the layers are
    # redrawn, and opened again it stays open.
    legend = frame.locator(".dm-legend details")
    assert legend.get_attribute("open") is not None
    watched.screenshot("explore-1920x1080.png")
    watched.settle()
    frame.locator(".dm-legend summary").click()
    # The fold is stored once the details element reports its toggle.
    frame.wait_for_function("() => !document.querySelector('.dm-legend details').open", timeout=5000)
    assert legend.get_attribute("open") is None
    watched.page.goto(f"{app_server.url}/?type=meeting")  # another view in the same tab keeps it folded
    frame = watched.map_frame()
    assert frame.locator(".dm-legend details").get_attribute("open") is None
    frame.locator(".dm-legend summary").click()
    assert frame.locator(".dm-legend details").get_attribute("open") is not None
    watched.screenshot("explore-legend-open.png")
    watched.page.goto(f"{app_server.url}/?type=exercise")  # and open stays open
    frame = watched.map_frame()
    assert frame.locator(".dm-legend details").get_attribute("open") is not None
    assert_stayed_home(watched, app_server)
    assert watched.errors == [] and watched.dialogs == []
    watched.close()


def test_filter_from_the_url_changes_map_and_table(browser, app_server, bundled):
    _, flat = bundled
    full = Watched(browser)
    full.page.goto(app_server.url)
    symbols_all = full.map_frame().locator(".dm-symbol").count()
    rows_all = table_rows(full)
    full.close()
    watched = Watched(browser)
    watched.page.goto(
        f"{app_server.url}/?type=exercise&province=Badakhshan&province=Kunduz&type=force_location"
    )
    frame = watched.map_frame()
    watched.page.wait_for_timeout(1000)
    expected = apply_filters(
        flat, Filters(type=("exercise", "force_location"), province=("Badakhshan", "Kunduz"))
    )
    assert rows_all == len(flat)
    assert table_rows(watched) == len(expected) < rows_all
    assert frame.locator(".dm-symbol").count() < symbols_all
    assert "Province: Badakhshan, Kunduz" in frame.locator(".dm-title").inner_text()
    watched.screenshot("filtered-from-url.png")
    assert_stayed_home(watched, app_server)
    assert watched.errors == []
    watched.close()


def test_clicking_an_event_opens_its_quotes_and_selects_it(browser, app_server):
    watched = Watched(browser)
    watched.page.goto(app_server.url)
    frame = watched.map_frame()
    watched.page.wait_for_timeout(1500)
    # Markers may sit under a panel or off screen at this zoom; a dispatched click reaches Leaflet alike.
    # Base sites share the symbol class and may have no report in the window: click until an event opens.
    symbols = frame.locator(".leaflet-marker-pane .dm-symbol:not(.dm-vague)")
    popup = frame.locator(".leaflet-popup-content").last  # the one the latest click opened
    for i in range(symbols.count()):
        symbols.nth(i).dispatch_event("click")
        popup.wait_for(timeout=10000)
        if "Document:" in popup.inner_text():
            break
    assert "“" in popup.inner_text() and "Document:" in popup.inner_text()
    watched.page.wait_for_url("**select=*", timeout=15000)
    watched.page.get_by_text("Clear selection").wait_for(timeout=15000)
    watched.screenshot("clicked-event.png")
    assert watched.errors == []
    watched.close()


def test_presentation_mode_fills_the_screen(browser, app_server):
    watched = Watched(browser)
    watched.page.goto(f"{app_server.url}/?mode=present&title=Northern+Afghanistan+brief")
    frame = watched.map_frame()
    watched.page.wait_for_timeout(1500)
    assert watched.page.locator('[data-testid="stSidebar"]').is_hidden()
    assert "Northern Afghanistan brief" in frame.locator(".dm-title h1").inner_text()
    assert frame.locator(".dm-present").count() == 1
    assert frame.locator(".dm-legend details").get_attribute("open") is not None
    box = watched.page.locator("iframe").first.bounding_box()
    assert box["width"] > 1800 and box["height"] >= 800
    watched.screenshot("presentation-1920x1080.png")
    assert_stayed_home(watched, app_server)
    assert watched.errors == []
    watched.close()


def test_script_in_article_text_never_runs(browser, tmp_path):
    import factory
    from test_mapping import with_measured_border, xss_tables

    tables, texts = xss_tables()
    data_dir, seeds_dir = factory.make_data(
        tmp_path / "root", tables=tables, texts=texts, geojson=with_measured_border()
    )
    server = Server({ui_data.DATA_DIR_ENV: str(data_dir), ui_data.SEEDS_DIR_ENV: str(seeds_dir)})
    try:
        watched = Watched(browser)
        watched.page.goto(f"{server.url}/?select=claim:c002")
        frame = watched.map_frame()
        # The selected claim's quote is in the side panel, as text.
        watched.page.get_by_text("<img src=x onerror=alert(1)>", exact=False).first.wait_for(timeout=15000)
        for i in range(frame.locator(".leaflet-marker-pane .dm-symbol").count()):
            frame.locator(".leaflet-marker-pane .dm-symbol").nth(i).dispatch_event("click")
            watched.page.wait_for_timeout(300)
        frame.locator(".dm-label-border").first.dispatch_event("click")
        watched.page.wait_for_timeout(1500)
        watched.screenshot("escaped-script.png")
        assert watched.dialogs == []
        for f in watched.page.frames:
            assert f.locator("img[src='x']").count() == 0
        watched.close()
    finally:
        server.stop()


IMAGE = "![m](http://evil.example/x.png)"
LINK = "[Session expired - sign in again](https://evil.example/login)"


def nothing_points_outside(watched: Watched, server: Server) -> None:
    """No request left the app's own server, and no frame holds a link or an image to evil.example."""
    outside = [u for u in watched.requests if urlsplit(u).hostname not in (None, "127.0.0.1")]
    assert outside == []
    assert_stayed_home(watched, server)
    for frame in watched.page.frames:
        assert frame.locator("a[href*='evil.example'], img[src*='evil.example']").count() == 0


@pytest.mark.parametrize(
    "query",
    [
        # Each parameter once with an image and once with a link; all five are named in warnings.
        {"mode": IMAGE, "select": LINK, "zoom": IMAGE, "start": LINK, "lat": IMAGE},
        {"mode": LINK, "select": IMAGE, "zoom": LINK, "start": IMAGE, "lat": LINK},
        # Well-formed values that the page shows: the selection's heading, a filter value, the title.
        {"select": f"event:{IMAGE}", "province": LINK, "title": IMAGE},
    ],
    ids=["image-link", "link-image", "shown"],
)
def test_url_parameters_never_become_links_or_requests(browser, app_server, query):
    watched = Watched(browser)
    watched.page.goto(f"{app_server.url}/?{urlencode(query)}")
    watched.map_frame()
    watched.settle()
    nothing_points_outside(watched, app_server)
    # As a reader sees it: addresses carry invisible word joiners that keep them from becoming links.
    alerts = [
        a.replace("\u2060", "") for a in watched.page.locator('[data-testid="stAlert"]').all_inner_texts()
    ]
    if "mode" in query:
        assert len([a for a in alerts if "Link parameter ignored" in a]) == len(query)
        assert any(IMAGE in a for a in alerts) and any(LINK in a for a in alerts)  # shown as typed
    else:
        watched.page.get_by_text("Event ![m](http").wait_for(timeout=15000)
    watched.close()
