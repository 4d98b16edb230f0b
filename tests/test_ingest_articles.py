"""Test articles in three styles (agency wire, translated Russian press, local outlet saved as HTML):
each ``NAME.expected.json`` lists the figures and events a draft must hold, with their dates and places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.ingest import DocumentInfo, build_draft

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO / "tests" / "ingest_articles"
CASES = sorted(p for p in ARTICLES.iterdir() if p.suffix in (".txt", ".html"))


def _number(value: str) -> float | None:
    return float(value) if value else None


def _matches(row: dict[str, str], want: dict) -> bool:
    for key in ("low", "best", "high"):
        if _number(row[f"figure_{key}"]) != (float(want[key]) if key in want else None):
            return False
    checks = {
        "unit": "unit",
        "qualifier": "figure_qualifier",
        "date": "date",
        "date_precision": "date_precision",
        "type": "type",
        "relayed_by": "relayed_by",
    }
    if any(key in want and row[column] != want[key] for key, column in checks.items()):
        return False
    return set(want.get("places", [])) <= set(filter(None, row["places"].split(";")))


def test_there_are_articles_in_the_three_styles():
    names = {p.stem for p in CASES}
    assert {"wire_tajik_border", "translated_izvestia_style", "local_kunduz"} <= names
    assert all((ARTICLES / f"{p.stem}.expected.json").exists() for p in CASES)


@pytest.mark.parametrize("article", CASES, ids=[p.stem for p in CASES])
def test_draft_holds_the_expected_records(article):
    expected = json.loads((ARTICLES / f"{article.stem}.expected.json").read_text(encoding="utf-8"))
    info = DocumentInfo(expected["published"], expected["outlet"], "Test article", "https://example.org/a")
    draft = build_draft(article, info, REPO / "geodata")
    text = draft.article.text
    for row in draft.rows:
        assert text[int(row["quote_start"]) : int(row["quote_end"])] == row["quote"]
        assert row["status"] in ("draft", "needs_review")
    claims = [r for r in draft.rows if r["kind"] == "claim"]
    events = [r for r in draft.rows if r["kind"] == "event"]
    for want in expected["figures"]:
        assert any(_matches(r, want) for r in claims), f"figure not drafted: {want}"
    for want in expected["events"]:
        assert any(_matches(r, want) for r in events), f"event not drafted: {want}"
    all_places = {p for r in draft.rows for p in r["places"].split(";") if p}
    assert not set(expected.get("not_places", [])) & all_places
    proposed = {p for r in draft.rows for p in r["proposed_places"].split(";") if p}
    assert set(expected.get("proposed_places", [])) <= proposed
    for snippet in expected.get("not_in_text", []):
        assert snippet not in text
