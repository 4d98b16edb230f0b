"""The page through AppTest over time: ``known_on``, ``include_retracted`` and ``since`` from the URL and
back, the sidebar's date box and switch, the "What changed" tab and the retracted marks."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from apptest_helpers import open_page as run
from streamlit.testing.v1 import AppTest

from dashboard.filters import apply_filters
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.model import Filters
from dashboard.ui import data as ui_data

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def flat():
    return flat_reports(load_dataset())


def matching(at: AppTest) -> int:
    caption = next(c.value for c in at.sidebar.caption if "reports match" in c.value)
    return int(caption.split(" of ")[0])


def qp(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key)
    return [value] if isinstance(value, str) else list(value or [])


def widget(items, key: str):
    return next(w for w in items if w.key == key)


def test_known_on_from_the_url_filters_everything_and_stays(flat):
    at = run({"known_on": "2023-12-31"})
    expected = apply_filters(flat, Filters(known_on="2023-12-31"))
    assert matching(at) == len(expected) < len(flat)
    assert set(expected["document_id"]) == {"d000", "d001"}
    assert widget(at.sidebar.date_input, "f_known_on").value == date(2023, 12, 31)
    assert len(at.dataframe[0].value) == len(expected)  # the evidence table follows
    assert qp(at, "known_on") == ["2023-12-31"]


def test_choosing_a_known_on_date_writes_the_url(flat):
    at = run()
    assert widget(at.sidebar.date_input, "f_known_on").value is None
    widget(at.sidebar.date_input, "f_known_on").set_value(date(2024, 3, 31)).run()
    assert qp(at, "known_on") == ["2024-03-31"]
    assert matching(at) == len(apply_filters(flat, Filters(known_on="2024-03-31")))


def test_a_bad_known_on_is_named_and_ignored():
    at = run({"known_on": "spring 2024"})
    assert "spring 2024" in " ".join(w.value for w in at.warning)
    assert "known_on" not in at.query_params


def test_the_what_changed_tab_follows_since_and_known_on():
    at = run({"since": "2024-03-31", "known_on": "2024-06-30"}, tab="What changed")
    assert widget(at.date_input, "changes_since").value == date(2024, 3, 31)
    shown = " ".join(m.value for m in at.markdown)
    assert "What changed after 31 March 2024, up to 30 June 2024" in shown
    assert "about 23,000 fighters" in shown and "Izvestia" not in shown
    assert qp(at, "since") == ["2024-03-31"]


def test_choosing_a_since_date_writes_the_url():
    at = run({"known_on": "2024-06-30"}, tab="What changed")
    # It opens on what the newest source added: since the publication before it (March 2024).
    assert widget(at.date_input, "changes_since").value == date(2024, 3, 31)
    widget(at.date_input, "changes_since").set_value(date(2023, 12, 31)).run()
    assert qp(at, "since") == ["2023-12-31"]
    assert "What changed after 31 December 2023" in " ".join(m.value for m in at.markdown)


@pytest.fixture
def retracted_data(tmp_path, monkeypatch):
    """A copy of the bundled data with d001 discredited; the app reads it."""
    shutil.copytree(REPO / "geodata", tmp_path / "geodata")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    with (tmp_path / "geodata" / "retractions.csv").open("a", encoding="utf-8") as fh:
        fh.write("x001,d001,document,discredited,2025-05-01,Figures not borne out,\n")
    monkeypatch.setenv(ui_data.DATA_DIR_ENV, str(tmp_path / "geodata"))
    monkeypatch.setenv(ui_data.SEEDS_DIR_ENV, str(tmp_path / "seeds"))
    ds = load_dataset(tmp_path / "geodata", tmp_path / "seeds")
    return flat_reports(ds)


def test_retracted_sources_are_left_out_until_the_switch_brings_them_back(retracted_data):
    flat = retracted_data
    at = run()
    hidden = apply_filters(flat, Filters())
    assert matching(at) == len(hidden) < len(flat)
    assert "Retracted" not in at.dataframe[0].value.columns
    widget(at.sidebar.toggle, "f_include_retracted").set_value(True).run()
    assert qp(at, "include_retracted") == ["1"]
    assert matching(at) == len(flat)
    table = at.dataframe[0].value
    assert set(table.loc[table["Retracted"] != "", "Retracted"]) == {"DISCREDITED 2025-05-01"}


def test_include_retracted_from_the_url_marks_the_selection(retracted_data):
    at = run({"include_retracted": "1", "select": "claim:c019"})
    assert widget(at.sidebar.toggle, "f_include_retracted").value is True
    shown = " ".join(m.value for m in at.markdown)
    assert "**DISCREDITED**" in shown and "Figures not borne out" in shown
