"""The page through AppTest, as the app tests open it: from a query string, with a tab under the map open."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ui.page import TAB_KEY

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


def open_page(query: dict | None = None, tab: str | None = None, timeout: float = 60) -> AppTest:
    """The page from ``query``; ``tab`` opens that tab under the map (only the open one runs)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if tab:
        at.session_state[TAB_KEY] = tab
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, tab: str) -> AppTest:
    """Open ``tab`` under the map, as a click on it does (a run of its own)."""
    at.session_state[TAB_KEY] = tab
    return at.run()
