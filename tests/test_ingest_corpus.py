"""The drafter on the development corpus (articles written for the project, never the seeds): the
scores stay at or above the targets and every quote is verbatim. Scores, not timings."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "ingest_corpus"
STYLES = {"wire", "agency_copy", "translated_russian", "translated_tajik", "local_html", "analysis"}


def _bench():
    spec = importlib.util.spec_from_file_location("score_ingest", REPO / "bench" / "score_ingest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores():
    return _bench().score_corpus(CORPUS, REPO / "geodata")


def test_the_corpus_has_25_articles_in_every_style_with_expected_records():
    cases = _bench().corpus_cases(CORPUS)
    assert len(cases) >= 25
    assert {expected["style"] for _, expected in cases} == STYLES
    for article, expected in cases:
        assert expected["figures"] or expected["events"], article.name
        for record in expected["figures"] + expected["events"]:
            assert record["date_class"], (article.name, record["quote"])


def test_expected_records_quote_their_article():
    text_of = {}
    for article, expected in _bench().corpus_cases(CORPUS):
        from dashboard.ingest.reader import read_article

        text_of[article.name] = read_article(article).text
        for record in expected["figures"] + expected["events"]:
            assert record["quote"] in text_of[article.name], (article.name, record["quote"])


def test_corpus_scores_stay_at_or_above_the_targets(scores):
    assert scores["figure_recall"] >= 0.90, scores["missed"]
    assert scores["event_recall"] >= 0.90, scores["missed"]
    assert scores["date_accuracy"] >= 0.90, scores["missed"]


def test_every_quote_of_every_draft_is_verbatim(scores):
    assert scores["quotes_not_verbatim"] == 0
    assert scores["counts"]["proposed_figure"] > 0


def test_scorer_counts_a_miss(tmp_path):
    """The scorer is no rubber stamp: a record the article does not support is counted as missed."""
    (tmp_path / "a.txt").write_text("Guards detained three men on Monday.\n", encoding="utf-8")
    expected = {
        "published": "2025-03-12",
        "outlet": "Wire",
        "style": "wire",
        "figures": [
            {
                "quote": "detained three men",
                "unit": "people_detained",
                "best": 3,
                "date": "2025-03-10",
                "date_precision": "day",
                "date_class": "weekday",
            },
            {
                "quote": "detained three men",
                "unit": "people_detained",
                "best": 4,
                "date": "2025-03-10",
                "date_precision": "day",
                "date_class": "weekday",
            },
        ],
        "events": [],
    }
    (tmp_path / "a.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    result = _bench().score_corpus(tmp_path, REPO / "geodata")
    assert result["figure_recall"] == 0.5
    assert result["date_classes"]["weekday"] == [2, 1, 1]
