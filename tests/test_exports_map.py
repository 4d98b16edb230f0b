"""The HTML export and the picture page: the app's map builder plus the export decorations, escaped."""

from __future__ import annotations

import re

import pytest
from test_exports_fixtures import XSS, briefing, load_hostile

from dashboard.exports.briefing import (
    CSP,
    SIZES,
    Briefing,
    as_of_text,
    html_bytes,
    map_page,
    parse_bbox,
    parse_size,
)
from dashboard.mapping.text import esc


@pytest.fixture
def hostile(tmp_path):
    """(dataset, flat table) with the hostile quotes (see ``test_exports_fixtures``)."""
    return load_hostile(tmp_path / "hostile")


def test_html_export_is_standalone_and_escaped(hostile):
    ds, flat = hostile
    page = html_bytes(ds, flat, flat, briefing()).decode("utf-8")
    assert page.count('http-equiv="Content-Security-Policy"') == 1
    assert re.findall(r'<(?:script|link)[^>]+(?:src|href)="(?!data:)', page) == []  # every asset inlined
    assert "https://" not in re.sub(r'"(?:https?://example\.org/[ab])"', "", page).replace(
        "https://example.org", ""
    )  # only the documents' own addresses, as text
    assert XSS not in page and "<img src=x" not in page
    assert esc(XSS).replace("&", "\\u0026") in page  # the quote is there, escaped, inside the popup JSON
    assert "Unclassified &lt;b&gt;training&lt;/b&gt;" in page  # caveat escaped, top and bottom
    assert page.count('class="dm-caveat ') == 2
    assert "L.control.layers" in page  # layer control kept
    assert "display: none" not in page  # controls are only hidden in pictures
    assert as_of_text(briefing().as_of) in page


def test_picture_page_hides_controls_and_frames_the_bbox(hostile):
    ds, flat = hostile
    page = map_page(ds, flat, flat, briefing(bbox=(67.0, 36.0, 72.0, 39.0), caveat=""), picture=True)
    assert ".leaflet-control-zoom, .leaflet-control-layers { display: none" in page
    assert "fitBounds" in page and "[36.0, 67.0]" in page and "[39.0, 72.0]" in page
    assert 'class="dm-caveat' not in page  # no caveat, no banner
    assert "window.__dmReady = true" in page


def test_content_security_policy_allows_no_network():
    for directive in ("default-src 'none'", "connect-src 'none'", "img-src data:"):
        assert directive in CSP
    assert "http" not in CSP


@pytest.mark.parametrize(
    ("text", "size"),
    [("slide", (1920, 1080)), ("A4", (1754, 1240)), ("1280x800", (1280, 800)), ("1280 × 800", (1280, 800))],
)
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["huge", "12x", "0x0"])
def test_bad_sizes_are_refused(text):
    with pytest.raises(ValueError, match="size"):
        Briefing(size=parse_size(text))


def test_parse_bbox_and_briefing_checks():
    assert parse_bbox("67, 36, 72, 39") == (67.0, 36.0, 72.0, 39.0)
    for bad in ("72,36,67,39", "67,36,72", "a,b,c,d", "67,36,72,nan"):
        with pytest.raises(ValueError, match="bbox"):
            parse_bbox(bad)
    with pytest.raises(ValueError, match="scale"):
        Briefing(scale=3)
    with pytest.raises(ValueError, match="zoom"):
        Briefing(zoom=40)
    assert Briefing(size=SIZES["a4"], scale=2).pixels == (3508, 2480)
    assert Briefing().stamped().as_of is not None
