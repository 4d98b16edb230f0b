"""The slide's key figures: one row per claim, every document that reports it, wording differences noted."""

from __future__ import annotations

import io

import factory
import pytest
from pptx import Presentation
from test_exports_fixtures import briefing

from dashboard.exports.figures import key_figures, short_claim, short_date
from dashboard.exports.slide import fit_rows, pptx_bytes, slide_content
from dashboard.exports.snapshot import Renderer
from dashboard.filters import apply_filters
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.model import Filters

NO_BROWSER = Renderer(executable="/nonexistent/chromium")
D002_TEXT = (
    "Last year the minister said 4,000 members of the group were in Badakhshan.\n"
    "The same minister counted 4,000 fighters there.\n"
    "More than 4,000 troops took part in drills in October 2021.\n"
)


def _three_reports(root):
    """The factory data with claim c002 (about 4,000 fighters, November 2023) reported three times:
    by d001 as recorded, by d002 as "members" dated only to the year, and once more by d002 in the
    same words as the claim; plus c004, a troop count dated before every head count."""
    tables = factory.base_tables()
    tables["documents"].append(
        {
            **tables["documents"][1],
            "id": "d002",
            "file": "002_test.txt",
            "title": "A year on",
            "outlet": "Outlet B",
            "url": "https://example.org/c",
            "published": "2024-03",
        }
    )
    tables["claims"].append(
        {
            **tables["claims"][1],
            "id": "c004",
            "subject": "Troops at the first joint drills",
            "figure_best": "",
            "figure_low": "4000",
            "figure_qualifier": "more_than",
            "unit": "troops",
            "figure_text": "More than 4,000",
            "date": "2021-10",
            "notes": "",
        }
    )
    report = {"document": "d002", "record_kind": "claim", "record_id": "c002"}
    tables["reports"] += [
        {
            **report,
            "id": "r101",
            "quote": "4,000 members of the group were in Badakhshan",
            "figure_best": "4000",
            "figure_qualifier": "approximately",
            "unit": "members",
            "figure_text": "4,000",
            "date": "2023",
            "date_precision": "year",
            "date_qualifier": "as_of",
            "date_basis": '"Last year", article of March 2024.',
        },
        {**report, "id": "r102", "quote": "counted 4,000 fighters there"},
        {**report, "id": "r103", "record_id": "c004", "quote": "More than 4,000 troops took part in drills"},
    ]
    ds = load_dataset(*factory.make_data(root, tables=tables, texts={**factory.TEXTS, "d002": D002_TEXT}))
    return ds, flat_reports(ds)


@pytest.fixture
def three(tmp_path):
    """(dataset, flat table) of ``_three_reports``."""
    return _three_reports(tmp_path / "three")


def test_one_row_per_claim_with_every_document(three):
    ds, flat = three
    figures = key_figures(flat, ds.claims)
    with_figure = flat[(flat["kind"] == "claim") & flat["unit"].ne("")]["id"].nunique()
    assert len(figures) == len({f.claim_id for f in figures}) == with_figure == 3
    c002 = next(f for f in figures if f.claim_id == "c002")
    # the figure and date as the claim states them, from the document that states them so
    assert (c002.figure, c002.date, c002.source) == (
        "about 4,000 fighters",
        "as of November 2023",
        "Outlet B [d001]",
    )
    assert c002.documents == ("d001", "d002")
    # d002 words it differently once ("members", dated to the year it falls in: no date note)
    assert c002.also == ("d002 (says about 4,000 members)",)
    assert c002.cells()[3] == "as of Nov 2023 · Outlet B [d001]; also d002 (says about 4,000 members)"


def test_head_counts_first_then_by_date(three):
    ds, flat = three
    order = [(f.claim_id, f.head_count) for f in key_figures(flat, ds.claims)]
    # c004 (troops, 2021) is the earliest but not a head count; c001 (May 2023) before c002 (November)
    assert order == [("c001", True), ("c002", True), ("c004", False)]


def test_without_the_claims_table_the_most_precise_report_leads(three):
    _, flat = three
    only_d002 = flat[flat["document_id"] == "d002"]
    c002 = next(f for f in key_figures(only_d002) if f.claim_id == "c002")
    # d001 is filtered out: the row shows what d002 itself says, never the unshown document's words
    assert c002.source == "Outlet B [d002]" and c002.documents == ("d002",)
    assert (c002.figure, c002.date) == ("about 4,000 fighters", "as of November 2023")  # month beats year
    assert c002.also == ("d002 (says about 4,000 members)",)  # the same document's other wording


def test_slide_table_has_one_row_per_claim_and_full_text_in_notes(three):
    ds, flat = three
    content = slide_content(ds, flat, flat, briefing(), renderer=NO_BROWSER)
    deck = Presentation(io.BytesIO(pptx_bytes(content)))
    table = next(s.table for s in deck.slides[0].shapes if s.has_table)
    claims = [row.cells[0].text for row in list(table.rows)[1:]]
    assert len(claims) == len(set(claims)) == content.shown
    notes = deck.slides[0].notes_slide.notes_text_frame.text
    for fig in content.figures:  # every claim in full, shown in the table or not
        assert fig.full_text() in notes
    assert "d002 (says about 4,000 members)" in notes


def test_footnote_counts_the_claims_left_out(three):
    ds, flat = three
    content = slide_content(ds, flat, flat, briefing(), renderer=NO_BROWSER)
    many = content.figures * 6  # more rows than the table holds
    shown = fit_rows(many)
    assert 0 < shown < len(many)
    from dashboard.exports.slide import _footnote

    text = _footnote(flat, shown, len(many))
    assert f"{len(many) - shown} of the {len(many)} claims with a figure are left out" in text
    assert "CSV/Excel" in text


def test_bundled_data_gives_sidorovs_claim_once():
    """The complaint that started this: one 4,000 claim shown three times for Badakhshan."""
    ds = load_dataset()
    flat_all = flat_reports(ds)
    flat = apply_filters(flat_all, Filters(province=("badakhshan",)))
    figures = [f for f in key_figures(flat, ds.claims) if f.figure == "4,000 members"]
    assert len(figures) == 1
    fig = figures[0]
    assert fig.documents == ("d001", "d002", "d003") and fig.date == "February 2023"
    assert fig.cells()[3] == "Feb 2023 · KabulNow [d001]; also d002, d003 (says 4,000 fighters)"


def test_claim_labels_and_dates_are_shortened_for_cells_only():
    names = "ISKP strength along Tajikistan's southern border in Badakhshan, Kunduz and Takhar"
    assert short_claim(names) == names  # a list of names is never cut
    long = (
        "Religious madrassas established in Afghanistan in recent years, mostly in the north, some training"
    )
    assert short_claim(long) == "Religious madrassas established in Afghanistan in recent years…"
    assert short_claim("A; B") == "A; B"  # short enough: kept whole
    assert short_date("as of 3 February 2023") == "as of 3 Feb 2023"
    assert short_date("June 2024 – September 2024") == "June 2024 – Sep 2024"
