"""The briefer's picture in a real browser: every symbol answers its own click, a stack of symbols lists
its records, tooltips read as lines, presentation mode frames the three provinces clear of every box at
a laptop's, a projector's and a 4K wall screen's size, and the HTML export stays inside its basemap.

Province outlines are projected with the page's own ``map.latLngToContainerPoint``; the boxes are the
map's panels, controls and labels as the browser lays them out. Screenshots go to
``artifacts/screenshots/``.
"""

from __future__ import annotations

import pytest
import shapely
from conftest import SCREENSHOTS, Watched
from shapely.geometry import box as rect

from dashboard.exports.briefing import Briefing, html_bytes
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.mapping import presentation, styles

#: Most of a province one box may cover, and the least of it that must be on the screen.
MAX_COVER = 0.10
MIN_SHOWN = 0.99

#: The map's boxes as the browser lays them out, relative to the map's container.
BOXES_JS = """() => {
  const map = window.__dmMap, c = map.getContainer().getBoundingClientRect(), out = [];
  const seen = new Set();
  for (const [kind, sel] of [["panel", ".dm-panel"], ["control", ".leaflet-control"],
                             ["label", ".dm-label span"]]) {
    for (const el of map.getContainer().querySelectorAll(sel)) {
      if (seen.has(el)) continue;
      seen.add(el);
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1 || getComputedStyle(el).visibility === "hidden") continue;
      out.push({kind, name: (el.className || "").toString() + " " + el.textContent.slice(0, 40),
                x0: r.left - c.left, y0: r.top - c.top, x1: r.right - c.left, y1: r.bottom - c.top});
    }
  }
  return {boxes: out, width: c.width, height: c.height};
}"""

#: The symbol (or else the element) at a point of the map's frame.
HIT_JS = """([x, y]) => {
  const e = document.elementFromPoint(x, y), s = e && e.closest('[data-dm-id]');
  if (s) return s.getAttribute('data-dm-id');
  return e ? e.tagName + '.' + (e.className.baseVal ?? e.className) : '';
}"""

#: Where the symbol of a map id stands.
LATLNG_JS = """(id) => {
  let at = null;
  window.__dmMap.eachLayer(l => {
    const e = l.getElement && l.getElement();
    if (e && e.getAttribute('data-dm-id') === id) at = l.getLatLng();
  });
  return at;
}"""

#: Sizes on a large screen: an event symbol, the legend's note line, the scale bar; place names cut.
SIZES_JS = """() => {
  const c = window.__dmMap.getContainer(), box = c.getBoundingClientRect();
  const px = (sel, prop) => { const e = c.querySelector(sel);
    return e ? parseFloat(getComputedStyle(e)[prop]) : 0; };
  const cut = [];
  for (const s of c.querySelectorAll(".leaflet-dmLabels-pane .dm-label span")) {
    const r = s.getBoundingClientRect();
    if (getComputedStyle(s).visibility !== "hidden" &&
        (r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom)) {
      cut.push(s.textContent);
    }
  }
  return {symbol: px(".dm-symbol svg", "width"), note: px(".dm-legend .dm-note", "fontSize"),
          scalebar: px(".leaflet-control-scale-line", "width"), cut};
}"""

PROJECT_JS = """(rings) => rings.map(ring => ring.map(([lat, lon]) => {
  const p = window.__dmMap.latLngToContainerPoint([lat, lon]);
  return [p.x, p.y];
}))"""


@pytest.fixture(scope="module")
def provinces():
    """The three focus provinces' outlines, as lists of (lat, lon) rings (exterior rings only)."""
    ds = load_dataset()
    frame = ds.geometry["provinces"]
    out = {}
    for pid in styles.FOCUS_PROVINCES:
        geom = frame[frame["id"] == pid].geometry.iloc[0]
        polygons = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
        out[pid] = [[(y, x) for x, y in poly.exterior.coords] for poly in polygons]
    return out


def screen_polygon(frame, rings) -> shapely.Geometry:
    projected = frame.evaluate(PROJECT_JS, rings)
    return shapely.union_all([shapely.Polygon(r).buffer(0) for r in projected])


def wait_for_frame(watched: Watched):
    """The map's frame once it has drawn, framed and settled (the app reruns after the first fit)."""
    frame = watched.map_frame(timeout_s=120)  # a first page on a busy machine can take a while
    frame.wait_for_function("() => window.__dmMap && window.__dmMap._loaded", timeout=20000)
    watched.settle()
    watched.page.wait_for_timeout(800)
    return frame


@pytest.mark.parametrize(
    "size", [(1366, 768), (1920, 1080), (3840, 2160)], ids=["laptop", "projector", "wall-screen"]
)
def test_presentation_frames_the_provinces_clear_of_every_box(browser, app_server, provinces, size):
    width, height = size
    watched = Watched(browser, width=width, height=height)
    watched.page.goto(f"{app_server.url}/?mode=present")
    frame = wait_for_frame(watched)
    watched.screenshot(f"present-{width}x{height}.png")
    layout = frame.evaluate(BOXES_JS)
    screen = rect(0, 0, layout["width"], layout["height"])
    # The map fills the screen: only the one-line bar of the Edit button is left under it.
    assert layout["width"] >= width - 20 and layout["height"] >= height - 60
    problems = []
    for pid, rings in provinces.items():
        shape = screen_polygon(frame, rings)
        shown = shape.intersection(screen).area / shape.area
        if shown < MIN_SHOWN:
            problems.append(f"{pid}: only {shown:.0%} on the screen")
        for b in layout["boxes"]:
            cover = shape.intersection(rect(b["x0"], b["y0"], b["x1"], b["y1"])).area / shape.area
            if cover > MAX_COVER:
                problems.append(f"{pid}: {b['kind']} {b['name']!r} covers {cover:.0%}")
    assert problems == []
    # Type grows with the screen: town names are at least 14 px on a 1920 x 1080 projector.
    city = frame.locator(".dm-label-city span").first
    px = float(city.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert px >= (14 if width >= 1920 else 11)
    if width >= 3840:  # a wall screen: symbols, the legend's smallest line and the scale bar grow too
        sizes = frame.evaluate(SIZES_JS)
        assert sizes["symbol"] >= 40 and sizes["note"] >= 24 and sizes["scalebar"] >= 200, sizes
        assert sizes["cut"] == [], sizes  # no place name cut by the screen's edge
    # The legend is open, and editing sits behind one button under the map.
    assert frame.locator(".dm-legend details").get_attribute("open") is not None
    assert watched.page.get_by_label("Title").count() == 0
    assert watched.errors == []
    watched.close()


def test_every_point_symbol_opens_its_own_popup_when_clicked_at_its_centre(browser, app_server):
    watched = Watched(browser)
    watched.page.goto(app_server.url)
    frame = wait_for_frame(watched)
    iframe = watched.page.locator("iframe").first.bounding_box()
    size = frame.evaluate("() => [window.__dmMap.getSize().x, window.__dmMap.getSize().y]")
    symbols = frame.locator(".leaflet-marker-pane [data-dm-id]")
    ids = [symbols.nth(i).get_attribute("data-dm-id") for i in range(symbols.count())]
    assert len(ids) >= 10
    home = frame.evaluate("() => { const m = window.__dmMap; return [m.getCenter(), m.getZoom()]; }")
    clicked, missed = [], []
    for ident in ids:
        # A popup pans the map to show itself: start each click from the opening view.
        frame.evaluate(
            "([c, z]) => { const m = window.__dmMap; m.closePopup(); m.setView(c, z, {animate: false}); }",
            home,
        )
        watched.page.wait_for_timeout(300)  # a closed popup fades out for 200 ms, still over the map
        box = frame.locator(f".leaflet-marker-pane [data-dm-id='{ident}']").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        mx, my = x - iframe["x"], y - iframe["y"]
        if not (0 < mx < size[0] and 0 < my < size[1]):
            continue  # outside the framed view (a capital far away): nothing there to click
        under = frame.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y); "
            "return e && e.closest('.leaflet-control') ? e.closest('.leaflet-control').className : ''; }",
            [mx, my],
        )
        if under:  # under a panel at the map's edge: the frame keeps the focus area clear of panels
            latlng = frame.evaluate(LATLNG_JS, ident)
            west, south, east, north = styles.FOCUS_BOUNDS
            inside = south <= latlng["lat"] <= north and west <= latlng["lng"] <= east
            assert not inside, f"{ident} in the focus area is under {under}"
            continue
        before = frame.evaluate("() => (window.__dmMap._dmOpened || []).length")
        hit = frame.evaluate(HIT_JS, [mx, my])
        watched.page.mouse.click(x, y)
        watched.page.wait_for_timeout(150)
        opened = frame.evaluate("(n) => (window.__dmMap._dmOpened || []).slice(n)", before)
        (clicked if opened == [ident] else missed).append(
            f"{ident} (opened {opened!r}, at its centre {hit!r})"
        )
        watched.settle()  # the click selects the symbol and reruns the page: let the layers redraw
    watched.screenshot("clicked-symbols.png")
    assert missed == []
    assert len(clicked) >= 10
    assert any(i.startswith("base:") for i in clicked)  # the 201st base sites answer their clicks too
    watched.close()


def test_a_province_tooltip_reads_as_lines_inside_the_map(browser, app_server, provinces):
    watched = Watched(browser)
    watched.page.goto(app_server.url)
    frame = wait_for_frame(watched)
    iframe = watched.page.locator("iframe").first.bounding_box()
    shape = screen_polygon(frame, provinces["takhar"])
    layout = frame.evaluate(BOXES_JS)
    spot = shape.representative_point()
    for b in layout["boxes"]:  # hover a point of Takhar under no box
        if rect(b["x0"], b["y0"], b["x1"], b["y1"]).contains(spot):
            spot = shape.difference(rect(b["x0"], b["y0"], b["x1"], b["y1"])).representative_point()
    watched.page.mouse.move(iframe["x"] + spot.x, iframe["y"] + spot.y)
    tooltip = frame.locator(".leaflet-tooltip.dm-tooltip")
    tooltip.wait_for(timeout=5000)
    assert "Takhar" in tooltip.inner_text()
    box = tooltip.bounding_box()
    assert 200 <= box["width"] <= 360
    assert box["height"] < 320  # lines, not a column of single words
    assert box["x"] >= iframe["x"] and box["y"] >= iframe["y"]
    assert box["x"] + box["width"] <= iframe["x"] + layout["width"]
    assert box["y"] + box["height"] <= iframe["y"] + layout["height"]
    watched.screenshot("province-tooltip.png")
    # A click leaves no focus rectangle round the province.
    watched.page.mouse.click(iframe["x"] + spot.x, iframe["y"] + spot.y)
    outline = frame.evaluate(
        "() => { const e = document.activeElement; return e ? getComputedStyle(e).outlineStyle : 'none'; }"
    )
    assert outline == "none"
    watched.close()


#: The spot where three events share a point on the Tajik–Afghan border (Sherkhan Bandar's crossing).
STACK = "stack:e006,e007,e025"


def test_a_stack_of_symbols_names_its_count_and_lists_every_record_each_opening_its_own(browser, app_server):
    watched = Watched(browser)
    watched.page.goto(app_server.url)
    frame = wait_for_frame(watched)
    iframe = watched.page.locator("iframe").first.bounding_box()
    hub = frame.locator(f".leaflet-pane [data-dm-id='{STACK}']")
    box = hub.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert frame.evaluate(HIT_JS, [x - iframe["x"], y - iframe["y"]]) == STACK  # nothing over it
    watched.page.mouse.move(x, y)
    tooltip = frame.locator(".leaflet-tooltip.dm-tooltip")
    tooltip.wait_for(timeout=5000)
    assert "3 events here" in tooltip.inner_text()  # hover names the count
    watched.page.mouse.click(x, y)
    entries = frame.locator(".leaflet-popup .dm-stack-entry")
    entries.first.wait_for(timeout=5000)
    assert entries.count() == 3
    lines = [entries.nth(i).inner_text() for i in range(3)]
    # each record: its title, what and when (the date at its precision), and who said it or where
    assert "First CSTO joint military drills since the Taliban takeover" in lines[0]
    assert "Military exercise · October 2021" in lines[0] and "Source: Hasht-e Subh" in lines[0]
    assert "Military exercise · 29 September 2022" in lines[1]
    assert "Programme milestone · 2027 – 2029" in lines[2] and "Izvestia" in lines[2]
    watched.screenshot("stack-list.png")
    before = frame.evaluate("() => window.__dmMap._dmOpened.length")
    entries.nth(1).click()
    popup = frame.locator(".leaflet-popup-content").last
    popup.wait_for(timeout=5000)
    assert frame.evaluate("(n) => window.__dmMap._dmOpened.slice(n)", before) == ["event:e007"]
    assert "Event e007" in popup.inner_text() and "“" in popup.inner_text()  # its own popup, quote and all
    watched.page.wait_for_url("**select=*e007*", timeout=15000)  # and the app selects it (its panel)
    watched.page.get_by_text("Clear selection").wait_for(timeout=15000)
    watched.screenshot("stack-entry-opened.png")
    assert watched.errors == []
    watched.close()


@pytest.mark.parametrize("window", [(2560, 1080), (3840, 1400)], ids=["wide", "wall"])
def test_the_html_export_stays_inside_its_basemap_in_a_wide_window(browser, tmp_path, window):
    ds = load_dataset()
    flat = flat_reports(ds)
    # "As on screen" from a laptop's map at the app's opening view, opened in a wider window
    briefing = Briefing(size=(1366, 768), fit=False, center=styles.DEFAULT_CENTER, zoom=styles.DEFAULT_ZOOM)
    path = tmp_path / "map.html"
    path.write_bytes(html_bytes(ds, flat, flat, briefing))
    context = browser.new_context(viewport={"width": window[0], "height": window[1]}, bypass_csp=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.__dmReady === true", timeout=20000)
    south, west, north, east = presentation.extent(ds)
    bounds_js = """() => { const b = window.__dmMap.getBounds();
        return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }"""
    zoom_out = "() => { const m = window.__dmMap; m.setZoom(m.getMinZoom() - 2, {animate: false}); }"
    pan_east = "() => window.__dmMap.panBy([5000, 0], {animate: false})"
    for step in (None, zoom_out, pan_east):  # as opened, zoomed out as far as it goes, panned east
        if step:
            page.evaluate(step)
            page.wait_for_timeout(300)
        s, w, n, e = page.evaluate(bounds_js)
        tolerance = 2 * (e - w) / window[0]  # two pixels: Leaflet rounds positions to whole pixels
        assert s >= south - tolerance and w >= west - tolerance, (step, s, w)
        assert n <= north + tolerance and e <= east + tolerance, (step, n, e)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"html-export-{window[0]}x{window[1]}.png"))
    assert errors == []
    context.close()
