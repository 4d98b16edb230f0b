"""Pictures without a browser: the labelled fallback, its framing, and the slide and PDF built on it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from PIL import Image
from pptx import Presentation
from test_exports_fixtures import XSS, briefing, load_hostile

from dashboard.exports.fallback import fit_zoom, metres_per_pixel, project, scale_length, view_extent
from dashboard.exports.formats import EXPORTS, export_bytes, file_name
from dashboard.exports.slide import key_figures, pdf_bytes, pptx_bytes, slide_content
from dashboard.exports.snapshot import Renderer, snapshot_png


@pytest.fixture
def hostile(tmp_path):
    """(dataset, flat table) with the hostile quotes (see ``test_exports_fixtures``)."""
    return load_hostile(tmp_path / "hostile")


NO_BROWSER = Renderer(executable="/nonexistent/chromium")


def colours(png: bytes) -> int:
    """How many distinct colours a picture has (a blank one has one or two)."""
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((300, 200))
    return len(image.getcolors(maxcolors=300 * 200))


@pytest.mark.parametrize("scale", [1, 2])
def test_without_chromium_the_snapshot_is_the_labelled_fallback(hostile, scale):
    ds, flat = hostile
    snap = snapshot_png(ds, flat, flat, briefing(scale=scale), renderer=NO_BROWSER)
    assert snap.renderer == "fallback" and "no Chromium" in snap.note
    image = Image.open(io.BytesIO(snap.png))
    assert image.format == "PNG" and image.size == (900 * scale, 600 * scale) == (snap.width, snap.height)
    assert colours(snap.png) > 50
    # the caveat banners are drawn top and bottom in the caveat red
    rgb = image.convert("RGB")
    assert rgb.getpixel((5, 3 * scale)) == rgb.getpixel((5, 600 * scale - 3)) == (0x8B, 0x1A, 0x1A)


def test_mercator_framing_matches_leaflet():
    assert metres_per_pixel(0) == pytest.approx(156543.03392804097)  # Leaflet/OSM at zoom 0
    x, y = project(0, 180)
    assert x == pytest.approx(20037508.342789244) and y == pytest.approx(0, abs=1e-6)
    # a box 256 px wide at zoom 3 fits a 256-px map at zoom 3 exactly and not at zoom 4
    west, east = 0.0, 360 / 2**3
    assert fit_zoom((west, -1, east, 1), 256, 256) == 3
    xmin, xmax, ymin, ymax = view_extent(briefing(size=(800, 600), zoom=7), 800, 600)
    assert (xmax - xmin) / 800 == pytest.approx(metres_per_pixel(7))
    assert (xmin + xmax) / 2 == pytest.approx(project(*briefing().center)[0])


def test_scale_bar_length_is_round():
    assert scale_length(1000) == 100_000
    assert scale_length(2600) == 200_000
    assert scale_length(40) == 3_000
    assert all(str(int(scale_length(m)))[0] in "1235" for m in (7, 77, 777, 7777))


def test_key_figures_carry_source_and_date(hostile):
    ds, flat = hostile
    figures = key_figures(flat, ds.claims)
    # one row per claim, by date: c001 (said in May, relayed in November), then c002 (November)
    assert [(f.claim_id, f.figure) for f in figures] == [
        ("c001", "up to 6,500 fighters"),
        ("c002", "about 4,000 fighters"),
    ]
    said = figures[0]
    assert said.claimant == "A. Minister" and said.date == "as of 25 May 2023"
    assert said.source == "Outlet A [d000]" and said.documents == ("d000", "d001")
    # the relaying document is listed with its own date, relay and wording
    assert said.also == ("Outlet B [d001] (as of Nov 2023, via TASS, says about 4,000 fighters)",)
    relayed = figures[1]
    assert relayed.claimant == "A. Minister (via TASS)"
    assert relayed.date == "as of November 2023"  # month precision stays a month


def test_slide_has_picture_table_and_sources_in_notes(hostile):
    ds, flat = hostile
    content = slide_content(ds, flat, flat, briefing(), renderer=NO_BROWSER)
    deck = Presentation(io.BytesIO(pptx_bytes(content)))
    assert len(deck.slides) == 1
    slide = deck.slides[0]
    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1 and pictures[0].image.blob == content.snapshot.png
    assert Image.open(io.BytesIO(pictures[0].image.blob)).size == (
        content.snapshot.width,
        content.snapshot.height,
    )
    tables = [s.table for s in slide.shapes if s.has_table]
    assert len(tables) == 1
    cells = [[c.text for c in row.cells] for row in tables[0].rows]
    assert cells[0] == ["Claim", "Figure", "Claimant", "Date · sources"]
    assert [
        "Militants in northern Afghanistan",
        "up to 6,500 fighters",
        "A. Minister",
        "as of 25 May 2023 · Outlet A [d000]; also Outlet B [d001] "
        "(as of Nov 2023, via TASS, says about 4,000 fighters)",
    ] in cells
    assert len(cells) == 3  # the header and one row per claim
    texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert briefing().title in texts and "UNCLASSIFIED <B>TRAINING</B>" in texts  # plain text, not markup
    assert "Outlet A (May 2023)" in texts and "As of 1 June 2024, 09:30 UTC" in texts
    notes = slide.notes_slide.notes_text_frame.text
    for expected in (
        "[d000] Ministers meet. Outlet A, May 2023. https://example.org/a (file 000_test.txt)",
        "[d001] Fighters in Badakhshan. Outlet B, November 2023.",
        "static fallback",
    ):
        assert expected in notes


def test_pdf_is_the_slide_page_and_its_appendix(hostile):
    """Page 1 is the slide; page 2 the appendix with the full references and the record manifest."""
    ds, flat = hostile
    data = pdf_bytes(slide_content(ds, flat, flat, briefing(), renderer=NO_BROWSER))
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 2
    assert b"/Subtype /Image" in data
    assert b"/Title" in data


def test_every_format_exports(hostile):
    ds, flat = hostile
    made = {name: export_bytes(name, ds, flat, flat, briefing(), NO_BROWSER) for name in EXPORTS}
    assert made["png"].startswith(b"\x89PNG") and made["pdf"].startswith(b"%PDF")
    assert made["pptx"][:2] == made["xlsx"][:2] == b"PK"
    assert b"<!DOCTYPE html>" in made["html"][:50] and made["geojson"].startswith(b"{")
    assert made["csv"].startswith(b"kind,id,document,quote")
    assert XSS.encode() not in made["html"]
    assert file_name("pptx", briefing()).endswith("_2024-06-01_0930.pptx")
    with pytest.raises(ValueError, match="unknown export format"):
        export_bytes("gif", ds, flat, flat, briefing(), NO_BROWSER)


# --- text printed exactly as stored (no mathtext between two "$") -------------------------------------

TITLE = r"Pay: $\href{x}{y}$"  # mathtext would raise on \href
CLAIM = "Fighters paid $100 to $300 a month"  # mathtext would print "100to300"
SUBTITLE = "Costs: $7 or $8"
CAVEAT = "Costs $1 to $2"
OUTLET = "The $ and $ Weekly"
CLAIMANT = "A. Minister ($5 to $9)"


@pytest.fixture
def dollars(tmp_path):
    """(dataset, flat table) whose claim subject, claimant and outlet carry pairs of "$"."""
    import factory

    from dashboard.flat import flat_reports
    from dashboard.loader import load_dataset

    tables = factory.base_tables()
    tables["claims"][0]["subject"] = CLAIM
    tables["actors"][0]["name"] = CLAIMANT
    tables["documents"][0]["outlet"] = OUTLET
    ds = load_dataset(*factory.make_data(tmp_path / "dollars", tables=tables))
    return ds, flat_reports(ds)


def dollar_briefing():
    return briefing(
        title=TITLE, subtitle=SUBTITLE, caveat=CAVEAT, figure="claimant", figure_claimant="minister"
    )


def svg_lines(fig) -> list[str]:
    """Every line of text as the saved figure draws it (SVG with text kept as text)."""
    import html

    import matplotlib

    from dashboard.exports.picture import figure_bytes

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        svg = figure_bytes(fig, "svg").decode("utf-8")
    return [html.unescape(t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S)]


def test_fallback_prints_dollar_text_exactly(dollars):
    from dashboard.exports.fallback import fallback_figure, render_fallback

    ds, flat = dollars
    snap = render_fallback(ds, flat, flat, dollar_briefing(), note="test")  # no ParseFatalException
    assert snap.png.startswith(b"\x89PNG")
    lines = svg_lines(fallback_figure(ds, flat, flat, dollar_briefing()))
    for expected in (TITLE, SUBTITLE, CAVEAT.upper()):
        assert expected in lines, expected
    assert any(f"Sources: {OUTLET} (May 2023)" in line for line in lines)
    assert any(CLAIMANT in line for line in lines)  # the legend's shading label names the claimant


def test_pdf_prints_dollar_text_exactly(dollars):
    from dashboard.exports.slide import pdf_figure

    ds, flat = dollars
    content = slide_content(ds, flat, flat, dollar_briefing(), renderer=NO_BROWSER)
    assert pdf_bytes(content).startswith(b"%PDF-")  # no ParseFatalException
    lines = svg_lines(pdf_figure(content))
    assert TITLE in lines and CAVEAT.upper() in lines
    assert any(line.startswith(SUBTITLE + " · Reports dated") for line in lines)
    assert "$100 to $300" in lines  # the claim cell, wrapped: "Fighters paid" / "$100 to $300" / "a month"
    assert any(f"Sources: {OUTLET} (May 2023)" in line for line in lines)


@pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (Debian's poppler-utils) is not installed"
)
def test_pdf_text_extracts_exactly(dollars):
    ds, flat = dollars
    data = pdf_bytes(slide_content(ds, flat, flat, dollar_briefing(), renderer=NO_BROWSER))
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
    text = text.decode("utf-8")
    for expected in (TITLE, "$100 to $300", CAVEAT.upper(), f"Sources: {OUTLET} (May 2023)"):
        assert expected in text, expected
