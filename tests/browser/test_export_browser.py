"""Exports in a real headless Chromium: the PNG renderer, the picture against the map on screen, and the
HTML export opened from a file with no network. Pictures go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import io
import threading

import pytest
from conftest import SCREENSHOTS
from PIL import Image, ImageChops
from test_exports_fixtures import XSS, briefing, load_hostile

from dashboard.exports.briefing import html_bytes, map_page
from dashboard.exports.snapshot import WAIT_READY_JS, Renderer, SnapshotBusy, SnapshotError, snapshot_png

SIZE = (1000, 700)


@pytest.fixture(scope="module")
def renderer():
    warm = Renderer(max_pages=2, max_waiting=2)
    assert warm.available(), "Debian's chromium is needed (make browser-deps)"
    yield warm
    warm.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return load_hostile(tmp_path_factory.mktemp("exports") / "hostile")


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def _save(name: str, png: bytes) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / name).write_bytes(png)


@pytest.mark.parametrize("scale", [1, 2])
def test_snapshot_is_drawn_by_chromium_at_its_size(renderer, hostile, scale):
    ds, flat = hostile
    snap = snapshot_png(ds, flat, flat, briefing(size=SIZE, scale=scale), renderer=renderer)
    _save(f"export-snapshot-{scale}x.png", snap.png)
    assert snap.renderer == "chromium"
    assert snap.blocked == [] and snap.errors == []  # nothing fetched, no script error, no dialog
    image = _image(snap.png)
    assert image.size == (SIZE[0] * scale, SIZE[1] * scale)
    assert len(image.resize((250, 175)).getcolors(250 * 175)) > 100  # not blank
    assert image.getpixel((SIZE[0] * scale // 2, 2)) == (0x8B, 0x1A, 0x1A)  # caveat banner on top
    assert image.getpixel((SIZE[0] * scale // 2, SIZE[1] * scale - 2)) == (
        0x8B,
        0x1A,
        0x1A,
    )  # and at the bottom


def test_snapshot_matches_the_map_on_screen(renderer, hostile, browser, tmp_path):
    """The picture and the HTML export opened in a browser window of the same size show the same map.

    The intended differences are that the picture leaves out the zoom buttons, the layer switcher and
    the legend's fold toggle; the window hides them too, then at most 0.5% of pixels may differ (text
    anti-aliasing).
    """
    ds, flat = hostile
    # A view inside the basemap: there a picture shows exactly its centre and zoom, and the HTML page,
    # which keeps a reader inside the basemap in any window, shows the same.
    chosen = briefing(size=SIZE, center=(37.2, 70.0), zoom=8)
    snap = snapshot_png(ds, flat, flat, chosen, renderer=renderer)
    page_file = tmp_path / "map.html"
    page_file.write_bytes(html_bytes(ds, flat, flat, chosen))
    context = browser.new_context(viewport={"width": SIZE[0], "height": SIZE[1]})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        page.evaluate(WAIT_READY_JS)
        assert page.locator(".leaflet-control-layers").is_visible()
        page.add_style_tag(
            content=".leaflet-control-zoom, .leaflet-control-layers { display: none !important; } "
            ".dm-legend summary { display: none !important; }"
        )
        screen = page.screenshot()
    finally:
        context.close()
    _save("export-on-screen.png", screen)
    diff = (
        ImageChops.difference(_image(snap.png), _image(screen))
        .convert("L")
        .point(lambda v: 255 if v > 40 else 0)
    )
    changed = diff.histogram()[255] / (SIZE[0] * SIZE[1])
    assert changed < 0.005, f"{changed:.2%} of pixels differ"


def test_html_export_runs_offline_and_runs_no_injected_script(hostile, browser, tmp_path):
    ds, flat = hostile
    page_file = tmp_path / "export.html"
    page_file.write_bytes(html_bytes(ds, flat, flat, briefing()))
    context = browser.new_context(viewport={"width": 1200, "height": 800}, offline=True)
    outside, dialogs, errors = [], [], []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri())
        page.evaluate(WAIT_READY_JS)
        assert page.locator(".leaflet-control-layers").is_visible()  # layer control kept
        assert page.locator(".dm-legend").count() == 1  # legend kept
        assert page.locator(".dm-caveat").count() == 2
        page.locator(".dm-symbol").first.wait_for()
        for i in range(page.locator(".dm-symbol").count()):  # open every popup: one holds the attack
            page.locator(".dm-symbol").nth(i).click(force=True)
            if XSS in (page.locator(".leaflet-popup-content").all_inner_texts() or [""])[0]:
                break
        assert XSS in page.locator(".leaflet-popup-content").inner_text()  # shown as text
        assert page.locator("img[src='x']").count() == 0
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOTS / "export-html-popup.png"))
    finally:
        context.close()
    assert outside == [] and dialogs == [] and errors == []


def test_renderer_refuses_dialogs_and_blocks_requests(renderer):
    blocked_page = (
        "<html><body><img src='http://example.invalid/x.png'>"
        "<script>window.__dmReady = true;</script></body></html>"
    )
    snap = renderer.screenshot(blocked_page, 300, 200)
    assert snap.blocked == ["http://example.invalid/x.png"]
    with pytest.raises(SnapshotError, match="dialog"):
        renderer.screenshot("<script>alert(1); window.__dmReady = true;</script>", 300, 200)


def test_concurrent_snapshots_share_one_browser_within_bounds(hostile):
    ds, flat = hostile
    bounded = Renderer(max_pages=1, max_waiting=2)
    html = map_page(ds, flat, flat, briefing(size=(600, 400)), picture=True)
    results: list = []
    try:
        threads = [
            threading.Thread(target=lambda: results.append(bounded.screenshot(html, 600, 400)))
            for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert len(results) == 3 and all(r.renderer == "chromium" for r in results)
        assert len({r.png for r in results}) == 1  # same page, same picture, whichever tab drew it
        for _ in range(3):  # every slot taken: the next caller is told at once instead of queueing
            assert bounded._slots.acquire(blocking=False)
        with pytest.raises(SnapshotBusy):
            bounded.screenshot(html, 600, 400)
        for _ in range(3):
            bounded._slots.release()
    finally:
        bounded.close()
