"""The review tab through AppTest: an article pasted, its proposals reviewed, edited, rejected and
published; the data and the audit log changed in one step; article text shown escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from drafts import read_rows, state
from streamlit.testing.v1 import AppTest

from dashboard.loader import load_dataset
from dashboard.ui import data as ui_data
from dashboard.ui import review

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")

ARTICLE = (
    "Clash on the border\n\n"
    "Border guards killed 3 militants near Fayzabad on Monday, the minister said.\n\n"
    "About 4,500 fighters remain in Badakhshan, A. Minister told TASS.\n"
)


@pytest.fixture()
def app(make_data, monkeypatch):
    data_dir, seeds_dir = make_data()
    monkeypatch.setenv(ui_data.DATA_DIR_ENV, str(data_dir))
    monkeypatch.setenv(ui_data.SEEDS_DIR_ENV, str(seeds_dir))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["mode"] = "review"
    at.run()
    assert not at.exception, at.exception
    return at, data_dir, seeds_dir


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _draft(at: AppTest, text: str = ARTICLE, published: str = "2024-03-06") -> AppTest:
    at.text_area(key="rv_text").set_value(text)
    at.text_input(key="rv_title").set_value("Clash on the border")
    at.text_input(key="rv_outlet").set_value("Outlet C")
    at.text_input(key="rv_url").set_value("https://example.org/clash")
    at.text_input(key="rv_published").set_value(published)
    _button(at, "Draft proposals").click()
    at.run()
    assert not at.exception, at.exception
    return at


def _pick(at: AppTest, i: int) -> None:
    at.selectbox(key="rv_pick").set_value(i)
    at.run()


def _table(at: AppTest, column: str):
    """The shown table that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _quotes(at: AppTest) -> list[str]:
    return _table(at, "Sentence")["Sentence"].tolist()


def test_the_review_is_a_view_for_curators(app, monkeypatch):
    at, _, _ = app
    assert review.can_curate()
    assert at.text_area(key="rv_text") is not None
    at.button(key="rv_back").click().run()
    assert at.query_params.get("mode") is None  # back on the map
    assert any(b.label == "Review a new article" for b in at.sidebar.button)
    at.sidebar.button(key="to_review").click().run()
    assert at.query_params["mode"] == "review"


def test_only_curators_see_the_review(app, monkeypatch):
    at, _, _ = app
    monkeypatch.setattr(review, "can_curate", lambda: False)
    at.run()
    assert any("Only curators" in i.value for i in at.info)
    assert not any(t.key == "rv_text" for t in at.text_area)


def test_an_article_pasted_is_reviewed_and_published(app):
    at, data_dir, seeds_dir = app
    _draft(at)
    quotes = _quotes(at)
    assert len(quotes) == 3
    kinds = _table(at, "Sentence")["Kind"].tolist()
    event = kinds.index("event")
    strength = quotes.index("About 4,500 fighters remain in Badakhshan, A. Minister told TASS.")
    # the event: reviewed as drafted
    _pick(at, event)
    assert any("<mark>Border guards killed 3 militants" in m.value for m in at.markdown)
    _button(at, "Save as reviewed").click()
    at.run()
    # the strength claim: the reviewer names the group and corrects the figure
    _pick(at, strength)
    at.multiselect(key=f"rv_{strength}_Groups").set_value(["isis-k"])
    at.text_input(key=f"rv_{strength}_best").set_value("4500")
    at.text_input(key=f"rv_{strength}_subject").set_value("ISKP fighters in Badakhshan")
    _button(at, "Save as reviewed").click()
    at.run()
    # the casualty claim: rejected, which needs a reason
    casualties = next(i for i in range(3) if i not in (event, strength))
    _pick(at, casualties)
    _button(at, "Reject").click()
    at.run()
    assert any("say why the proposal is rejected" in e.value for e in at.error)
    at.text_input(key=f"rv_{casualties}_reason").set_value("the event row carries it")
    _button(at, "Reject").click()
    at.run()
    statuses = _table(at, "Sentence")["Status"].tolist()
    assert sorted(statuses) == ["rejected", "reviewed", "reviewed"]
    # publishing needs a name for the audit log
    _button(at, "Publish the reviewed proposals").click()
    at.run()
    assert any("say who you are" in c.value for c in at.code)
    at.text_input(key="rv_who").set_value("A. Curator")
    _button(at, "Publish the reviewed proposals").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Published as document d002" in s.value for s in at.success)
    ds = load_dataset(data_dir, seeds_dir)
    claim = ds.claims[ds.claims["subject"] == "ISKP fighters in Badakhshan"].iloc[0]
    assert claim["group"] == "isis-k" and claim["figure_best"] == 4500
    assert "Border guards killed 3 militants near Fayzabad" in " ".join(ds.reports["quote"])
    entries = read_rows(data_dir / "audit.csv")
    assert {e["who"] for e in entries} == {"A. Curator"}
    actions = [(e["action"], e["record_kind"], e["field"]) for e in entries]
    assert ("add", "claim", "") in actions and ("add", "event", "") in actions
    assert ("edit", "claim", "group") in actions and ("edit", "claim", "subject") in actions
    reject = next(e for e in entries if e["action"] == "reject")
    assert reject["reason"] == "the event row carries it"
    assert reject["draft_row"] == f"review of pasted.txt:{casualties + 2}"
    # the audit entries are shown; the record is on the map with its quote
    assert _table(at, "who")["who"].tolist() == ["A. Curator"] * len(entries)
    at.button(key="rv_show").click().run()
    assert not at.exception, at.exception
    (map_component,) = [
        x for x in at.main if type(x).__name__ == "UnknownElement" and x.type == "component_instance"
    ]
    assert "Border guards killed 3 militants near Fayzabad" in map_component.proto.json_args
    event_id = ds.reports[ds.reports["quote"].str.startswith("Border guards")]["record_id"].iloc[0]
    assert at.query_params["select"] == f"event:{event_id}"
    assert any("Border guards killed 3 militants near Fayzabad" in m.value for m in at.markdown)


def test_nothing_is_published_until_every_proposal_is_decided(app):
    at, data_dir, seeds_dir = app
    _draft(at)
    before = state(data_dir, seeds_dir)
    assert _button(at, "Publish the reviewed proposals").proto.disabled
    assert state(data_dir, seeds_dir) == before


def test_a_bad_article_or_date_is_named(app):
    at, _, _ = app
    _draft(at, published="March 2024")
    assert any("Cannot draft this article" in e.value for e in at.error)
    at.text_input(key="rv_published").set_value("2024-03")
    at.text_area(key="rv_text").set_value("")
    _button(at, "Draft proposals").click()
    at.run()
    assert any("pasted" in e.value and "empty" in e.value for e in at.error), [e.value for e in at.error]


def test_article_text_is_shown_escaped(app):
    at, _, _ = app
    hostile = "About 4,500 fighters remain in Badakhshan, <img src=x onerror=alert(1)> the minister said.\n"
    _draft(at, text="Title\n\n" + hostile)
    shown = [m.value for m in at.markdown if "dm-review-context" in m.value]
    assert shown and all("<img" not in v for v in shown)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in v for v in shown)
