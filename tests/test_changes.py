"""What changed between two dates: new records, corroboration, moved figures, retractions; the formats."""

from __future__ import annotations

import csv
import io

import factory
import pytest

from dashboard.changes import changes, check_window
from dashboard.exports.changes import changes_bytes, changes_csv, changes_markdown, changes_text, md_text
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.model import Filters

# The tiny dataset: d000 (May 2023) carries r001 (c001, up to 6,500), r005, r006 (events);
# d001 (November 2023) carries r002 (c002), r003 (c001 again, about 4,000) and r004 (c003).


def test_the_window_sorts_what_became_known(dataset, flat):
    found = changes(flat, dataset.retractions, "2023-05", "2023-11")
    assert [(r.kind, r.id) for r in found.new] == [("claim", "c002"), ("claim", "c003")]
    assert [r.report_id for r in found.new[0].reports] == ["r002"]
    assert [
        (c.id, [s.report_id for s in c.new], [s.report_id for s in c.known]) for c in found.corroborated
    ] == [("c001", ["r003"], ["r001"])]
    assert found.retractions == () and not found.empty


def test_a_figure_moves_when_a_later_report_words_it_differently(dataset, flat):
    (move,) = changes(flat, dataset.retractions, "2023-05", "2023-11").moved
    assert (move.old.report_id, move.new.report_id) == ("r001", "r003")
    assert (move.old.figure, move.new.figure) == ("up to 6,500 fighters", "about 4,000 fighters")
    assert move.old.claimant == move.new.claimant == "A. Minister"
    assert move.series == "force strength · militants · fighters · northern-afghanistan"


def test_the_last_figure_known_at_the_start_is_the_baseline(make_data):
    # A third document (2024) repeats c001's 4,000: it moves nothing against the last known (r003),
    # though it differs from the first (r001).
    tables, texts = factory.base_tables(), dict(factory.TEXTS)
    texts["d002"] = "Again about 4,000 fighters were counted.\n"
    tables["documents"].append(
        {**tables["documents"][1], "id": "d002", "file": "002_test.txt", "published": "2024"}
    )
    tables["reports"].append(
        {**tables["reports"][2], "id": "r007", "document": "d002", "quote": "about 4,000 fighters"}
    )
    ds = load_dataset(*make_data(tables=tables, texts=texts))
    found = changes(flat_reports(ds), ds.retractions, "2023-12", "2024")
    assert found.moved == () and [c.id for c in found.corroborated] == ["c001"]


def test_nothing_before_or_on_the_start_date_counts_as_new(dataset, flat):
    found = changes(flat, dataset.retractions, "2023-11-30", "2024-12-31")
    assert found.empty
    # A month-dated document is known only at the month's end: on 15 November d001 is not known yet.
    assert {r.id for r in changes(flat, dataset.retractions, "2023-06", "2023-11-15").new} == set()


def test_filters_apply_to_both_ends(dataset, flat):
    found = changes(flat, dataset.retractions, "2023-05", "2023-11", Filters(claimant=("taliban",)))
    assert [r.id for r in found.new] == ["c003"] and found.corroborated == () and found.moved == ()


def test_retractions_in_the_window_are_listed_and_their_reports_left_out(make_data):
    tables = factory.base_tables()
    tables["retractions"] = [
        {"id": "x001", "target": "d001", "target_kind": "document", "kind": "discredited", "date": "2024-02",
         "reason": "Fabricated figures."}
    ]  # fmt: skip
    ds = load_dataset(*make_data(tables=tables))
    flat = flat_reports(ds)
    (note,) = changes(flat, ds.retractions, "2024-01", "2024-03").retractions
    assert (note.id, note.target, note.kind, note.date, note.reports) == ("x001", "d001", "discredited",
                                                                          "February 2024", 3)  # fmt: skip
    # Known on 30 November 2023 d001 was not yet discredited; by now its reports are out.
    assert changes(flat, ds.retractions, "2023-05", "2024-03").new == ()
    marked = changes(flat, ds.retractions, "2023-05", "2024-03", Filters(include_retracted=True))
    assert {r.id for r in marked.new} == {"c002", "c003"}
    assert {s.retracted for r in marked.new for s in r.reports} == {"discredited"}


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("2024", "2023", "from: 2024 is not before to 2023"),
        ("May 2023", "2024", "from: "),
        ("2023", "x", "to: "),
    ],
)
def test_a_bad_window_is_refused(since, until, message):
    with pytest.raises(ValueError, match=f"^{message}"):
        check_window(since, until)


def test_the_text_lists_every_section_with_quotes(dataset, flat):
    text = changes_text(changes(flat, dataset.retractions, "2023-05", "2023-11"))
    assert text.startswith("What changed after May 2023, up to November 2023\n")
    for heading in ("New claims and events (2)", "(corroboration) (1)", "Figures that moved (1)"):
        assert heading in text
    assert "“about 4,000 fighters are in Badakhshan”" in text
    assert "up to 6,500 fighters → about 4,000 fighters" in text


def test_markdown_escapes_what_could_be_markup():
    assert md_text("[x](https://e.org) *a* <b> www.x.org a@b") == (
        "\\[x\\](https\\://e.org) \\*a\\* \\<b\\> www\\.x.org a\\@b"
    )


def test_markdown_and_csv_files(dataset, flat):
    found = changes(flat, dataset.retractions, "2023-05", "2023-11")
    md = changes_markdown(found).decode("utf-8")
    assert (
        md.startswith("# What changed after May 2023, up to November 2023\n")
        and "## Figures that moved (1)" in md
    )
    rows = list(csv.DictReader(io.StringIO(changes_csv(found).decode("utf-8"))))
    assert [(r["section"], r["report_id"]) for r in rows] == [
        ("new", "r002"), ("new", "r004"), ("corroborated", "r003"), ("moved", "r003")
    ]  # fmt: skip
    assert rows[-1]["previous_report_id"] == "r001" and rows[-1]["previous_figure"] == "up to 6,500 fighters"
    assert changes_bytes(found, ".MD") == changes_markdown(found)
    with pytest.raises(ValueError, match="out: .txt is not one of"):
        changes_bytes(found, ".txt")


def test_csv_cells_never_run_as_formulas(make_data):
    tables = factory.base_tables()
    tables["claims"][1]["subject"] = '=HYPERLINK("http://x")'
    ds = load_dataset(*make_data(tables=tables))
    text = changes_csv(changes(flat_reports(ds), ds.retractions, "2023-05", "2023-11")).decode("utf-8")
    assert "\"'=HYPERLINK" in text and ',"=HYPERLINK' not in text
