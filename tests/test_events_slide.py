"""Slides and PDF pages credit the imported datasets (ACLED, UCDP GED) in their text whenever imported
events are in the view: the footnote's sources line, the notes and the PDF's appendix."""

from __future__ import annotations

import io
import shutil

import pytest
from events_helpers import ACLED_JUNE, REPO, UCDP_SUBSET
from pptx import Presentation

from dashboard.events.datasets import ACLED, UCDP
from dashboard.events.export import HOW_CHANGED, credits_in_view
from dashboard.events.importer import import_file
from dashboard.exports.briefing import Briefing
from dashboard.exports.slide import (
    FOOTNOTE_H,
    PICTURE,
    _lines,
    appendix_figure,
    footnote_points,
    pdf_bytes,
    pdf_figure,
    pptx_bytes,
    slide_content,
)
from dashboard.exports.snapshot import Renderer
from dashboard.filters import apply_filters
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.model import Filters
from dashboard.wording import BASEMAP_CREDIT, sources_line

NO_BROWSER = Renderer(executable="/nonexistent/chromium")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The bundled data with the June ACLED fixture and the UCDP subset imported."""
    root = tmp_path_factory.mktemp("slide")
    for name in ("geodata", "seeds"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("events"))
    import_file("acled", ACLED_JUNE, root / "geodata")
    import_file("ucdp", UCDP_SUBSET, root / "geodata", export_date="2024-06-01")
    ds = load_dataset(root / "geodata", root / "seeds")
    return ds, flat_reports(ds)


def content_for(ds, flat_all, filters: Filters):
    briefing = Briefing(filters=filters, caveat="UNCLASSIFIED").stamped()
    return slide_content(ds, flat_all, apply_filters(flat_all, filters), briefing, renderer=NO_BROWSER)


def test_sources_line_names_the_imported_datasets_after_the_documents(flat):
    credit = "ACLED, export of 30 June 2023: " + ACLED.attribution
    line = sources_line(flat, imported=[credit, "UCDP GED: Davies et al."])
    assert line.startswith("Sources: ")
    assert f"Imported events (context, not curated evidence): {credit}; UCDP GED: Davies et al. " in line
    assert line.endswith(BASEMAP_CREDIT)
    assert sources_line(flat) == sources_line(flat, imported=())  # nothing imported: as before
    assert "Imported events" not in sources_line(flat)


def test_credits_name_only_the_datasets_with_events_in_the_view(imported):
    ds, _ = imported
    both = credits_in_view(ds, Filters())
    assert [c.split(",")[0] for c in both] == ["ACLED", "UCDP GED"]
    assert ACLED.attribution in both[0] and UCDP.attribution in both[1]
    only_acled = credits_in_view(ds, Filters(start="2023-01", end="2023-12"))  # UCDP's events are 2021
    assert [c.split(",")[0] for c in only_acled] == ["ACLED"]
    assert credits_in_view(ds, Filters(group=("iskp",))) == []  # a curated-only filter hides them


def test_slide_footnote_and_notes_credit_the_datasets_in_view(imported):
    ds, flat_all = imported
    content = content_for(ds, flat_all, Filters())
    for text in (content.footnote, content.pdf_footnote):
        assert ACLED.attribution in text and UCDP.attribution in text
    slide = Presentation(io.BytesIO(pptx_bytes(content))).slides[0]
    shown = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert ACLED.attribution in shown and UCDP.attribution in shown
    notes = slide.notes_slide.notes_text_frame.text
    assert "Imported events (context from other datasets, not curated evidence):" in notes
    assert ACLED.attribution in notes and UCDP.attribution in notes and HOW_CHANGED in notes
    # The footnote still fits under the picture, above the caveat band (smaller type when it must).
    for text in (content.footnote, content.pdf_footnote):
        points = footnote_points(text)
        assert len(_lines(text, PICTURE[2], points)) * points * 1.2 / 72 <= FOOTNOTE_H
        assert FOOTNOTE_H <= 7.5 - 0.3 - (PICTURE[1] + PICTURE[3])


def test_the_pdf_page_and_its_appendix_name_the_datasets(imported):
    ds, flat_all = imported
    content = content_for(ds, flat_all, Filters(start="2023-01", end="2023-12"))
    page = " ".join(t.get_text() for t in pdf_figure(content).texts)
    appendix = " ".join(t.get_text() for t in appendix_figure(content).texts)
    flat_page, flat_appendix = (" ".join(text.split()) for text in (page, appendix))
    assert ACLED.attribution in flat_page and UCDP.attribution not in flat_page  # UCDP's events are 2021
    assert "Imported events (context from other datasets" in flat_appendix
    assert ACLED.attribution in flat_appendix and " ".join(HOW_CHANGED.split()) in flat_appendix
    assert pdf_bytes(content).startswith(b"%PDF")


def test_without_imported_events_in_view_the_slide_says_nothing_of_them(imported):
    ds, flat_all = imported
    content = content_for(ds, flat_all, Filters(group=("iskp",)))
    assert content.imported == []
    assert "Imported events" not in content.footnote and "Imported events" not in content.notes
