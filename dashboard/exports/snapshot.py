"""PNG snapshots of the map page in a headless Chromium that is started once and kept warm.

One :class:`Renderer` owns one browser. Playwright objects belong to the event loop that made them, and
Streamlit runs each session (and each deferred download) on its own thread, so the renderer runs its
own asyncio loop on one background thread and every caller submits work to it. Two limits keep
concurrent users from exhausting memory: at most ``max_pages`` pages render at once (each in a fresh
browser context, closed afterwards), and at most ``max_waiting`` callers wait; the next one gets
:class:`SnapshotBusy` at once instead of queueing without bound.

The page is the standalone map page (:func:`dashboard.exports.briefing.map_page`), loaded with
``set_content``; every request it makes is aborted and recorded (the page inlines all it needs, and a
server-side browser must not fetch addresses taken from data). A page that opens a dialog is refused.

:func:`snapshot_png` is the entry point: Chromium when it can start, else the static fallback
(:mod:`dashboard.exports.fallback`), which labels itself as such.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
import threading
from concurrent.futures import TimeoutError as FutureTimeout

import pandas as pd

from dashboard.exports.briefing import Briefing, map_page
from dashboard.exports.picture import Snapshot
from dashboard.model import Dataset

log = logging.getLogger(__name__)

#: Environment variable naming the Chromium binary; default: ``chromium`` on the PATH.
CHROMIUM_ENV = "DASHBOARD_CHROMIUM"
#: Flags for a headless Chromium on a server with no GPU and no network of its own.
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)
RENDER_TIMEOUT_S = 30.0


class SnapshotError(RuntimeError):
    """Chromium could not produce the picture (it did not start, the page failed or misbehaved)."""


class ChromiumUnavailable(SnapshotError):
    """No Chromium (or no Playwright) on this machine: the fallback renderer is used instead."""


class SnapshotBusy(SnapshotError):
    """Too many snapshots are already rendering or waiting; try again in a moment."""


def chromium_path() -> str | None:
    """The Chromium binary to drive: ``$DASHBOARD_CHROMIUM``, else ``chromium`` on the PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Renderer:
    """A warm headless Chromium shared by every caller; see the module docstring for the limits."""

    def __init__(
        self,
        executable: str | None = None,
        max_pages: int = 2,
        max_waiting: int = 6,
        timeout_s: float = RENDER_TIMEOUT_S,
    ) -> None:
        self.executable = executable or chromium_path()
        self.max_pages = max_pages
        self.timeout_s = timeout_s
        self._slots = threading.BoundedSemaphore(max_pages + max_waiting)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pages: asyncio.Semaphore | None = None
        self._playwright = None
        self._browser = None
        self._launch_lock: asyncio.Lock | None = None
        self._idle: dict[int, list[_Tab]] = {}  # warm pages by device scale, used by one render at a time

    # -- public, thread-safe ---------------------------------------------------------------------
    def available(self) -> bool:
        """True when a Chromium binary and Playwright are present (the browser may still fail to start)."""
        if not self.executable or not os.access(self.executable, os.X_OK):
            return False
        try:
            import playwright.async_api  # noqa: F401
        except ImportError:
            return False
        return True

    def screenshot(self, html: str, width: int, height: int, scale: int = 1) -> Snapshot:
        """Render ``html`` in a ``width`` x ``height`` CSS-pixel viewport at ``scale``; return the PNG."""
        if not self.available():
            raise ChromiumUnavailable(
                "no Chromium found (install the Debian package 'chromium' "
                f"or set {CHROMIUM_ENV}) or Playwright is not installed"
            )
        if not self._slots.acquire(blocking=False):
            raise SnapshotBusy("too many snapshots are being made; try again in a moment")
        try:
            job = self._render(html, width, height, scale)
            future = asyncio.run_coroutine_threadsafe(job, self._ensure_loop())
            try:
                return future.result(timeout=self.timeout_s * 2)
            except FutureTimeout as exc:
                future.cancel()
                raise SnapshotError(f"the snapshot took longer than {self.timeout_s * 2:.0f} s") from exc
        finally:
            self._slots.release()

    def warm(self) -> None:
        """Start the browser now (the first snapshot then skips the launch)."""
        if self.available():
            future = asyncio.run_coroutine_threadsafe(self._browser_ready(), self._ensure_loop())
            future.result(self.timeout_s)

    def close(self) -> None:
        """Close the browser and stop the loop thread; a later call starts them again."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        except Exception as exc:  # noqa: BLE001 - closing must not raise at exit
            log.warning("closing the snapshot browser: %s", exc)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)

    # -- loop thread -------------------------------------------------------------------------------
    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="snapshot-browser", daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
                self._pages = None
                self._launch_lock = None
            return self._loop

    async def _browser_ready(self):
        if self._launch_lock is None:
            self._launch_lock = asyncio.Lock()
            self._pages = asyncio.Semaphore(self.max_pages)
        async with self._launch_lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            self._idle.clear()  # pages of a browser that went away
            from playwright.async_api import async_playwright

            if self._playwright is None:
                self._playwright = await async_playwright().start()
            try:
                self._browser = await self._playwright.chromium.launch(
                    executable_path=self.executable, headless=True, args=list(LAUNCH_ARGS)
                )
            except Exception as exc:
                raise ChromiumUnavailable(f"Chromium at {self.executable} did not start: {exc}") from exc
            return self._browser

    async def _render(self, html: str, width: int, height: int, scale: int) -> Snapshot:
        browser = await self._browser_ready()
        async with self._pages:
            idle = self._idle.setdefault(scale, [])
            tab = idle.pop() if idle else await _Tab.open(browser, scale)
            try:
                png = await tab.shoot(html, width, height, self.timeout_s * 1000)
            except Exception as exc:
                await tab.close()
                if isinstance(exc, SnapshotError):
                    raise
                raise SnapshotError(f"the map page did not render: {exc}") from exc
            self._idle.setdefault(scale, []).append(tab)
        return Snapshot(
            png=png,
            width=width * scale,
            height=height * scale,
            renderer="chromium",
            blocked=list(tab.blocked),
            errors=list(tab.errors),
        )

    async def _shutdown(self) -> None:
        for tabs in self._idle.values():
            for tab in tabs:
                await tab.close()
        self._idle.clear()
        if self._browser is not None:
            await self._browser.close()
            self._browser = None
        if self._playwright is not None:
            await self._playwright.stop()
            self._playwright = None


#: Resolves once the page's ReadyFlag is set. Not ``wait_for_function``: its polling evaluates strings
#: inside the page, which the page's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
WAIT_READY_JS = """new Promise((resolve) => {
    const check = () => (window.__dmReady === true ? resolve(true) : setTimeout(check, 15));
    check();
})"""
#: The address the map page is served at inside the browser; ``.invalid`` never resolves (RFC 2606).
PAGE_URL = "http://snapshot.invalid/map.html"


class _Tab:
    """A warm page in its own browser context (the device scale is per context), reused across renders.

    Each render navigates to a fresh document (a new window: nothing carries over from the previous
    map); the route answers that one address with the page and aborts every other request.
    """

    def __init__(self, context, page) -> None:
        self.context, self.page = context, page
        self.html = ""
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    @classmethod
    async def open(cls, browser, scale: int) -> _Tab:
        context = await browser.new_context(
            viewport={"width": 800, "height": 600},
            device_scale_factor=scale,
            service_workers="block",
            accept_downloads=False,
        )
        page = await context.new_page()
        tab = cls(context, page)
        await context.route("**/*", tab._route)
        page.on("dialog", tab._dialog)
        page.on("pageerror", lambda exc: tab.errors.append(str(exc)[:300]))
        return tab

    async def _route(self, route, request=None) -> None:
        if route.request.url == PAGE_URL and route.request.resource_type == "document":
            await route.fulfill(status=200, body=self.html, content_type="text/html; charset=utf-8")
        else:
            self.blocked.append(route.request.url[:200])
            await route.abort("blockedbyclient")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message[:200])
        asyncio.ensure_future(dialog.dismiss())

    async def shoot(self, html: str, width: int, height: int, timeout_ms: float) -> bytes:
        """Load ``html`` at ``width`` x ``height``, wait until the map is drawn, return the PNG."""
        self.html = html
        self.blocked, self.errors, self.dialogs = [], [], []
        await self.page.set_viewport_size({"width": width, "height": height})
        await self.page.goto(PAGE_URL, wait_until="load", timeout=timeout_ms)
        await asyncio.wait_for(self.page.evaluate(WAIT_READY_JS), timeout_ms / 1000)
        await self.page.evaluate("document.fonts.ready.then(() => true)")
        png = await self.page.screenshot(type="png", animations="disabled", caret="hide", timeout=timeout_ms)
        self.html = ""
        if self.dialogs:
            raise SnapshotError(f"the map page tried to open a dialog ({self.dialogs[0]!r}); picture refused")
        return png

    async def close(self) -> None:
        try:
            await self.context.close()
        except Exception as exc:  # noqa: BLE001 - a crashed context cannot be closed twice
            log.debug("closing a snapshot page: %s", exc)


class FallbackOnly(Renderer):
    """A renderer that starts no browser: every snapshot through it is the static fallback, noting why."""

    def __init__(self, reason: str) -> None:
        super().__init__(executable="")
        self.reason = reason

    def available(self) -> bool:
        """Never."""
        return False

    def screenshot(self, html: str, width: int, height: int, scale: int = 1) -> Snapshot:
        """Raise ``ChromiumUnavailable`` with the reason, which ``snapshot_png`` turns into the fallback."""
        raise ChromiumUnavailable(self.reason)


_shared: Renderer | None = None
_shared_lock = threading.Lock()


def shared_renderer() -> Renderer:
    """The process-wide renderer (one warm browser for every user of the app), closed at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Renderer()
            atexit.register(_shared.close)
        return _shared


def snapshot_png(
    ds: Dataset,
    flat_all: pd.DataFrame,
    flat: pd.DataFrame,
    briefing: Briefing,
    renderer: Renderer | None = None,
) -> Snapshot:
    """The PNG of the briefing's map: Chromium when it can run, else the labelled static fallback.

    ``flat`` must already be filtered by ``briefing.filters``. Raises ``SnapshotBusy`` when the
    renderer is saturated and ``SnapshotError`` when Chromium ran but the page failed.
    """
    briefing = briefing.stamped()
    renderer = renderer or shared_renderer()
    try:
        html = map_page(ds, flat_all, flat, briefing, picture=True)
        return renderer.screenshot(html, *briefing.size, scale=briefing.scale)
    except ChromiumUnavailable as exc:
        from dashboard.exports.fallback import render_fallback  # matplotlib loads only when needed

        log.warning("snapshot: %s; using the static fallback", exc)
        return render_fallback(ds, flat_all, flat, _framed(ds, flat, briefing), note=str(exc))


def _framed(ds: Dataset, flat: pd.DataFrame, briefing: Briefing) -> Briefing:
    """For the fallback, which cannot frame itself: a fitted briefing's frame as a bounding box."""
    if not briefing.fit or briefing.bbox is not None:
        return briefing
    from dataclasses import replace

    from dashboard.mapping.presentation import bbox_of, data_points

    box = bbox_of(data_points(ds, flat))
    if box is None:
        return briefing
    west, south, east, north = box
    pad_x, pad_y = (east - west) * 0.08, (north - south) * 0.12
    return replace(briefing, bbox=(west - pad_x, south - pad_y, east + pad_x, north + pad_y))
