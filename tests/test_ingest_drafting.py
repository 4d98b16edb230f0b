"""Drafting on values (no files), the checks on what is said about an article, and the cost of drafting
a long paragraph (counted in characters handed to the costly steps, never timed)."""

from __future__ import annotations

import ast
import csv
import shutil
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.flat import provinces_of
from dashboard.ingest import DocumentInfo, DocumentInfoError, Sources, draft_article, sentences
from dashboard.ingest.attribution import People
from dashboard.ingest.draft import ARTICLE_CONTEXT
from dashboard.ingest.files import load_sources
from dashboard.ingest.places import Gazetteer
from dashboard.ingest.reader import parse_article

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "geodata"
WIRE = REPO / "tests" / "ingest_articles" / "wire_tajik_border.txt"

PLACES = [
    {"id": "kunduz", "name": "Kunduz", "kind": "province", "country": "AFG", "admin1": "Kunduz"},
    {"id": "kunduz-city", "name": "Kunduz (city)", "kind": "city", "country": "AFG", "admin1": "Kunduz"},
    {"id": "base-1", "name": "Northern base", "kind": "military_base", "country": "AFG", "admin1": "Kunduz"},
]
ACTORS = [{"id": "tass", "name": "TASS", "kind": "news_agency", "role": ""}]
GROUPS = [{"id": "iskp", "name": "Islamic State – Khorasan Province (ISKP)", "kind": "militant_group"}]


def _sources(outlet: str = "Asia-Plus") -> Sources:
    return Sources(Gazetteer.from_rows(PLACES), People.from_rows(ACTORS, GROUPS, outlet), [])


def _article(text: str, name: str = "article.txt"):
    return parse_article(Path(name), text.encode("utf-8"))


def test_a_draft_is_made_from_values_without_files():
    article = _article("Up to 6,500 ISKP members were concentrated near Kunduz in February, TASS reported.\n")
    draft = draft_article(article, DocumentInfo("2024-05", "Asia-Plus"), _sources())
    (row,) = [r for r in draft.rows if r["kind"] == "claim"]
    assert (row["figure_high"], row["unit"], row["group"]) == ("6500", "members", "iskp")
    assert (row["date"], row["places"], row["claimant"], row["relayed_by"]) == (
        "2024-02",
        "kunduz",
        "tass",
        "tass",
    )


def test_provinces_are_those_the_export_names():
    # flat.provinces_of names the province of a military base; the draft used to leave it out
    article = _article("Drills were held at the Northern base on May 5, 2024.\n")
    draft = draft_article(article, DocumentInfo("2024-05"), _sources())
    (event,) = [r for r in draft.rows if r["kind"] == "event"]
    assert event["places"] == "base-1"
    assert event["provinces"] == ";".join(provinces_of([PLACES[2]])) == "Kunduz"


def test_names_with_accents_give_plain_ids():
    article = _article("Militants in the district of Ishkāshim killed 3 border guards on May 5, 2024.\n")
    draft = draft_article(article, DocumentInfo("2024-05", "Ōrient Press"), _sources("Ōrient Press"))
    assert list(draft.proposed_places) == ["ishkashim"]
    assert People.from_rows([], [], "Ōrient Press").unattributed("Ōrient Press").claimant == "orient-press"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
        "//example.org/a",
        "https://",
        "example.org/article",
    ],
)
def test_an_address_that_is_not_http_is_refused(url):
    with pytest.raises(DocumentInfoError, match="--url"):
        draft_article(_article("Text.\n"), DocumentInfo("2024-05", url=url), _sources())


@pytest.mark.parametrize("url", ["", "https://example.org/a?b=1#c", "HTTP://EXAMPLE.ORG/"])
def test_web_addresses_are_accepted(url):
    draft = draft_article(_article("Text.\n"), DocumentInfo("2024-05", url=url), _sources())
    assert all(row["url"] == url for row in draft.rows)


def test_the_command_refuses_a_javascript_address_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "draft.csv"
    args = ["ingest", str(WIRE), "--published", "2024-10", "--url", "javascript:alert(1)", "--out", str(out)]
    assert main(args) != 0
    err = capsys.readouterr().err
    assert "--url" in err and "javascript:" in err
    assert not out.exists()


def test_accept_refuses_an_address_edited_into_a_draft(tmp_path, capsys):
    shutil.copytree(DATA, tmp_path / "geodata")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    data, draft = tmp_path / "geodata", tmp_path / "draft.csv"
    args = ["ingest", str(WIRE), "--published", "2024-10", "--data", str(data), "--out", str(draft)]
    assert main(args) == 0
    with open(draft, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for n, row in enumerate(rows):
        row["status"] = "accepted" if n == 0 else "rejected"
        row["url"] = "javascript:alert(1)"  # the reviewer's spreadsheet is input too
    with open(draft, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    documents = (tmp_path / "seeds" / "documents.csv").read_bytes()
    capsys.readouterr()
    assert main(["ingest", "--accept", str(draft), "--data", str(data)]) == 1
    assert f"{draft}:2:url: 'javascript:alert(1)' is not a web address" in capsys.readouterr().err
    assert (tmp_path / "seeds" / "documents.csv").read_bytes() == documents


# --- the cost of a long paragraph ---------------------------------------------------------------------


def _one_paragraph(n: int) -> str:
    """``n`` distinct sentences in one paragraph, without abbreviations (whose handling in pysbd depends
    on how many came before them)."""
    forms = [
        "Patrol {i} reported {i} incidents near the river on its way north.",
        "Officials in district {i} said that the road was closed for the week.",
        "Was convoy {i} delayed by the weather, or by the checkpoint at the bridge?",
        "“Nothing moved at post {i},” the commander said, adding that all was calm!",
    ]
    return " ".join(forms[i % len(forms)].format(i=i) for i in range(n)) + "\n"


@pytest.fixture
def segmented(monkeypatch):
    """The lengths of the texts handed to pysbd."""
    lengths: list[int] = []
    segmenter = sentences._segmenter()

    class Counting:
        def segment(self, text):
            lengths.append(len(text))
            return segmenter.segment(text)

    monkeypatch.setattr(sentences, "_segmenter", lambda: Counting())
    return lengths


def test_a_long_paragraph_is_segmented_in_bounded_windows(segmented):
    # pysbd's work grows with the square of what it is given: a 1.85 MB paragraph took minutes
    text = _one_paragraph(450)
    assert len(text) > 6 * sentences.WINDOW
    found = sentences.split_sentences(text)
    assert max(segmented) <= sentences.WINDOW
    assert sum(segmented) <= 3 * len(text)  # in proportion to the text, however long
    assert len(found) == 450
    assert all(text[s.start : s.end] == s.text for s in found)


def test_windows_find_the_sentences_the_whole_paragraph_gives(monkeypatch):
    text = _one_paragraph(200)
    windowed = sentences.split_sentences(text)
    monkeypatch.setattr(sentences, "WINDOW", len(text) + 1)
    assert windowed == sentences.split_sentences(text)


def test_a_sentence_longer_than_a_window_is_cut_at_a_space():
    text = " ".join(["word"] * (sentences.WINDOW // 2)) + ". Next one.\n"
    found = sentences.split_sentences(text)
    assert all(len(s.text) <= sentences.WINDOW for s in found)
    assert " ".join(s.text for s in found) == text.strip()


def test_a_paragraph_is_read_for_place_context_once(monkeypatch):
    # every sentence used to get the whole paragraph again as context for shared place names
    contexts: dict[int, object] = {}  # by identity; holding each keeps its id from being reused
    match = Gazetteer.match

    def counting(self, sentence, context="", masked=None):
        contexts[id(context)] = context
        return match(self, sentence, context, masked)

    monkeypatch.setattr(Gazetteer, "match", counting)
    text = _one_paragraph(120)
    draft_article(_article(text), DocumentInfo("2024-05"), load_sources(DATA, ""))
    assert len(contexts) == 1
    assert sum(len(c) for c in contexts.values()) <= len(text) + ARTICLE_CONTEXT + 2


def test_no_module_of_ingest_imports_a_private_name():
    for path in sorted((REPO / "dashboard" / "ingest").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"


def test_a_time_the_sentence_only_bounds_is_drafted_as_a_latest_bound():
    # the data keeps no "before" qualifier: "previously" is no later than the publication month
    article = _article("Previously, TASS reported that up to 6,500 ISKP members were near Kunduz.\n")
    draft = draft_article(article, DocumentInfo("2024-05", "Asia-Plus"), _sources())
    (row,) = [r for r in draft.rows if r["kind"] == "claim"]
    assert (row["date"], row["date_precision"], row["date_qualifier"], row["date_latest"]) == (
        "",
        "",
        "",
        "2024-05",
    )
    assert row["figure_text"] == "up to 6,500 ISKP members"


def test_a_drafted_event_proposes_its_acled_types_status_and_location():
    article = _article("Drills were held at the Northern base on May 5, 2024.\n")
    draft = draft_article(article, DocumentInfo("2024-05"), _sources())
    (event,) = [r for r in draft.rows if r["kind"] == "event"]
    assert (event["event_type"], event["sub_event_type"], event["event_status"], event["location"]) == (
        "Strategic developments",
        "Change to group/activity",
        "occurred",
        "base-1",
    )
