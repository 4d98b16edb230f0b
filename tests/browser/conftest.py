"""Browser tests: the app started with ``streamlit run`` in a subprocess, driven by Debian's Chromium.

Never a downloaded browser: Playwright launches ``shutil.which("chromium")``. Screenshots go to
``artifacts/screenshots/`` (kept out of git).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.exports.snapshot import LAUNCH_ARGS
from dashboard.server import ServerError, wait_until_answering

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM_FLAGS = list(LAUNCH_ARGS)  # one list of flags for every headless Chromium we start


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A ``streamlit run dashboard/app.py`` process on a free local port."""

    def __init__(self, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"streamlit-{self.port}.log"
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard/app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
        self.proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_answering(f"{self.url}/_stcore/health", self.proc, self.log, timeout=60)
        except ServerError:
            self.stop()
            raise

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed (make browser-deps)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def app_server():
    """The app on the bundled data."""
    server = Server()
    yield server
    server.stop()


class Watched:
    """A page with every request, console error and dialog recorded."""

    def __init__(self, browser, width=1920, height=1080):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def map_frame(self, timeout_s: float = 30):
        """The map component's frame, once Leaflet has drawn symbols in it."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for frame in self.page.frames:
                try:
                    if frame.locator(".leaflet-container .dm-symbol").count() > 0:
                        return frame
                except Exception:  # a frame detached while looking
                    continue
            self.page.wait_for_timeout(200)
        raise AssertionError("the map did not draw any symbol")

    def settle(self) -> None:
        """Wait until Streamlit has finished rerunning (no element drawn faded as stale)."""
        self.page.wait_for_timeout(500)
        self.page.wait_for_function("!document.querySelector('[data-stale=\"true\"]')", timeout=30000)
        self.page.wait_for_timeout(500)

    def screenshot(self, name: str) -> Path:
        self.settle()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        self.page.screenshot(path=str(path))
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser):
    page = Watched(browser)
    yield page
    page.close()
