"""The standalone HTML export's page: its <title> is the briefing's title, escaped."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from test_exports_fixtures import briefing, load_hostile

from dashboard.exports.briefing import html_bytes
from dashboard.mapping import DEFAULT_TITLE


class _Head(HTMLParser):
    """The text of every <title> element, and the tags seen before the first one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.titles: list[str] = []
        self.before: list[tuple[str, dict]] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
            self.titles.append("")
        elif not self.titles:
            self.before.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data


@pytest.fixture
def hostile(tmp_path):
    return load_hostile(tmp_path / "hostile")


def _head(page: bytes) -> _Head:
    parser = _Head()
    parser.feed(page.decode("utf-8"))
    return parser


@pytest.mark.parametrize(
    "title",
    ["Badakhshan, November 2023", "Kunduz – Takhar: </title><script>alert(1)</script> ${alert(2)} & co"],
)
def test_html_title_is_the_briefing_title(hostile, title):
    ds, flat = hostile
    page = html_bytes(ds, flat, flat, briefing(title=title))
    head = _head(page)
    assert head.titles == [title]  # one <title>, showing the title as typed
    assert b"<script>alert(1)" not in page and b"${alert(2)}" not in page
    # after the charset declaration, which must come in the first 1,024 bytes
    assert any(tag == "meta" and "charset=UTF-8" in attrs.get("content", "") for tag, attrs in head.before)


def test_html_title_falls_back_to_the_default(hostile):
    ds, flat = hostile
    assert _head(html_bytes(ds, flat, flat, briefing(title="  "))).titles == [DEFAULT_TITLE]
