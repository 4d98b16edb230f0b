"""The page with imported events (AppTest): the upload, the sidebar section, the table, the map layer."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from apptest_helpers import open_page
from events_helpers import ACLED_JUNE, app_reads_a_copy, synthetic_acled
from streamlit.testing.v1 import AppTest

from dashboard.events.importer import import_file


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A copy of the bundled data the app reads (imports write into its events/)."""
    return app_reads_a_copy(tmp_path, monkeypatch)


def run(query: dict | None = None, tab: str | None = None) -> AppTest:
    return open_page(query, tab, timeout=120)  # imports and 10k events: a longer first run


def feature_group(at: AppTest) -> str:
    found = [x for x in at.main if type(x).__name__ == "UnknownElement" and x.type == "component_instance"]
    return json.loads(found[0].proto.json_args)["feature_group"]


def import_button(at: AppTest):
    return next(b for b in at.sidebar.button if b.label == "Import")


def test_upload_imports_an_export_and_lists_the_rejected_row(folder):
    at = run()
    assert any("None imported yet" in c.value for c in at.sidebar.caption)
    at.sidebar.file_uploader(key="ev_file").upload(ACLED_JUNE.name, ACLED_JUNE.read_bytes(), "text/csv")
    import_button(at).click()
    at.run()
    assert not at.exception, at.exception
    assert [s.value.replace("\\", "") for s in at.success] == [
        "ACLED (export of 2023-06-30): 8 added, 0 changed, 0 withdrawn, 0 unchanged; 1 row(s) rejected of 9"
    ]
    codes = "\n".join(c.value for c in at.code)
    assert "acled_2023-06-30.csv:8:event_date: not a date: '31/02/2023'" in codes
    assert (folder / "events" / "acled.parquet").is_file()
    at = run()  # a new session sees the import: sidebar, table, map layer
    assert any("8 imported events match" in c.value for c in at.sidebar.caption)
    table = [d for d in at.dataframe if "Event id" in d.value.columns]
    assert len(table) == 1 and set(table[0].value["Event id"]) >= {"AFG70001", "TJK5001"}
    assert "DashMap.points" in feature_group(at) and "imported_points" in feature_group(at)


def test_a_bad_upload_imports_nothing_and_says_why(folder):
    at = run()
    at.sidebar.file_uploader(key="ev_file").upload("empty.csv", b"event_id_cnty,event_date\nX,2023-01-01\n")
    import_button(at).click()
    at.run()
    assert any("essential column" in e.value and "latitude" in e.value for e in at.error)
    assert not (folder / "events").exists()


def test_curated_only_filters_hide_imported_events_with_a_warning(folder):
    import_file("acled", ACLED_JUNE, folder)
    at = run({"group": "iskp"})
    assert any("hidden while these filters are set: group" in w.value for w in at.sidebar.warning)
    assert any("0 imported events match" in c.value for c in at.sidebar.caption)


def test_imported_types_join_the_type_filter_and_filter_the_table(folder):
    import_file("acled", ACLED_JUNE, folder)
    at = run({"type": "Battles"})
    options = at.sidebar.multiselect(key="f_type").options
    assert any(o.startswith("Battles (") for o in options)
    table = next(d for d in at.dataframe if "Event id" in d.value.columns)
    assert set(table.value["Type"]) == {"Battles"} and len(table.value) == 2


def test_ten_thousand_events_are_aggregated_at_the_default_zoom(folder, tmp_path):
    import_file("acled", synthetic_acled(tmp_path / "syn.csv", 10_000), folder)
    at = run()
    script = feature_group(at)
    assert re.search(r"data-mode=\\u0027hexagon\\u0027", script)
    assert "imported_hexagons" in script and len(script.encode()) < 2_000_000


def test_trend_chart_and_playback_step_the_date_filter(folder):
    import_file("acled", ACLED_JUNE, folder)
    at = run(tab="Timeline")
    charts = [x for x in at.main if type(x).__name__ == "UnknownElement" and x.type == "vega_lite_chart"]
    assert len(charts) == 2  # the timeline, and the trend of imported and curated events
    at.radio(key="play_step").set_value("month").run()
    at.button(key="play_next").click().run()
    assert not at.exception
    first = at.query_params.get("start")
    assert first and first == at.query_params.get("end")  # one month: start and end are that month
    at.button(key="play_next").click().run()
    assert at.query_params.get("start") > first
    at.button(key="play_all").click().run()
    assert "start" not in at.query_params


def test_the_actor_filter_comes_from_the_url_and_goes_back_to_it(folder):
    import_file("acled", ACLED_JUNE, folder)
    at = run({"actor": "Taliban"})
    assert at.sidebar.multiselect(key="ev_actors").value == ["Taliban"]
    table = next(d for d in at.dataframe if "Event id" in d.value.columns)
    assert set(table.value["Event id"]) == {"AFG70001", "AFG70004", "AFG70007"}
    at.sidebar.multiselect(key="ev_actors").set_value(["Taliban", "National Resistance Front"]).run()
    assert list(at.query_params.get("actor")) == ["Taliban", "National Resistance Front"]
    at.sidebar.multiselect(key="ev_actors").set_value([]).run()
    assert "actor" not in at.query_params
    table = next(d for d in at.dataframe if "Event id" in d.value.columns)
    assert len(table.value) == 8


def test_an_unknown_actor_in_the_url_is_reported_and_ignored(folder):
    import_file("acled", ACLED_JUNE, folder)
    at = run({"actor": "Talibn"})
    assert any(
        "actor: no actor of an imported event 'Talibn' in the data; close matches: Taliban"
        in w.value.replace("\\", "")  # the warning's text, Markdown escapes removed
        for w in at.warning
    )
    assert at.sidebar.multiselect(key="ev_actors").value == []
    assert "actor" not in at.query_params


def side_panel(at: AppTest) -> str:
    """Every Markdown and caption body on the page, as one text (the side panel is among them), with
    the Markdown and HTML escapes and the invisible word joiners taken out: the words a reader sees."""
    bodies = "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])
    return html.unescape(re.sub(r"\\(.)", r"\1", bodies)).replace("\u2060", "")


def test_a_selected_imported_event_fills_the_side_panel(folder):
    # A click on an imported point selects "imported:acled:<id>" (tests/test_mapreturn.py); the
    # selection is view state, so a link restores it as the click sets it.
    import_file("acled", ACLED_JUNE, folder)
    at = run({"select": "imported:acled:AFG70001"})
    assert not at.warning
    text = side_panel(at)
    for expected in (
        "ACLED event AFG70001",
        "14 March 2023 (exact day)",
        "Battles · Armed clash",
        "Taliban – Islamic State (Afghanistan)",
        "3 people killed",
        "Fixture: a clash near Fayzabad in Badakhshan",
        "Fixture Agency",
        "Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com",
    ):
        assert expected in text, expected


def test_an_imported_event_outside_the_filters_or_unknown_says_so(folder):
    import_file("acled", ACLED_JUNE, folder)
    at = run({"select": "imported:acled:AFG70001", "type": "Riots"})
    assert "Outside the current filters" in side_panel(at)
    at = run({"select": "imported:acled:NOPE1"})
    assert "No imported event by this id in the store" in side_panel(at)


def test_the_side_panel_shows_the_dataset_text_as_plain_text(folder, tmp_path):
    from test_app import IMAGE, LINK, live_markdown, markdown_bodies

    export = tmp_path / "hostile.csv"
    export.write_text(
        "event_id_cnty,event_date,event_type,actor1,country,admin1,location,latitude,longitude,"
        "source,notes,fatalities\n"
        f'AFG90001,2023-05-02,Battles,"<b>Taliban</b>",Afghanistan,Kunduz,Kunduz,36.729,68.857,'
        f'"{LINK}","{IMAGE} <script>x()</script> $5 to $6",2\n',
        encoding="utf-8",
    )
    import_file("acled", export, folder)
    at = run({"select": "imported:acled:AFG90001"})
    text = side_panel(at)
    assert IMAGE in text and LINK in text and "<b>Taliban</b>" in text and "$5 to $6" in text
    for body in markdown_bodies(at):
        assert live_markdown(body) == [], body


def month_of(label: str) -> str:
    """The period name ("2029-12") of a month as the playback slider labels it ("December 2029")."""
    from datetime import datetime

    return datetime.strptime(label, "%B %Y").strftime("%Y-%m")


def test_play_steps_through_the_periods_and_pause_stops_it(folder):
    import_file("acled", ACLED_JUNE, folder)
    at = run()
    at.radio(key="play_step").set_value("month").run()
    first, second = (month_of(o) for o in at.select_slider(key="play_slider").options[:2])
    at.button(key="play_toggle").click().run()
    assert not at.exception, at.exception
    assert at.button(key="play_toggle").label == "⏸ Pause"
    assert (at.query_params.get("start"), at.query_params.get("end")) == (first, first)
    at.session_state["play_due"] = float("inf")  # a rerun before the next step is due: no move
    at.run()
    assert at.query_params.get("start") == first
    at.session_state["play_due"] = 0.0  # the timer's rerun when the step is due
    at.run()
    assert not at.exception, at.exception
    assert at.query_params.get("start") == second and at.button(key="play_toggle").label == "⏸ Pause"
    at.button(key="play_toggle").click().run()  # pause
    assert at.button(key="play_toggle").label == "▶ Play"
    at.session_state["play_due"] = 0.0
    at.run()
    assert at.query_params.get("start") == second


def test_play_stops_at_the_last_period(folder):
    import_file("acled", ACLED_JUNE, folder)
    at = run()
    at.radio(key="play_step").set_value("month").run()
    *_, before_last, last = (month_of(o) for o in at.select_slider(key="play_slider").options)
    at.select_slider(key="play_slider").set_value(before_last).run()
    at.button(key="play_toggle").click().run()  # plays on from the period shown
    assert at.query_params.get("start") == before_last
    for _ in range(2):
        at.session_state["play_due"] = 0.0
        at.run()
        assert not at.exception, at.exception
    assert at.query_params.get("start") == last and at.query_params.get("end") == last
    assert at.button(key="play_toggle").label == "▶ Play" and not at.session_state["play_running"]


def test_following_period():
    from dashboard.ui.trend import following

    assert following(["2023-01", "2023-02"], None) == "2023-01"
    assert following(["2023-01", "2023-02"], "2023-01") == "2023-02"
    assert following(["2023-01", "2023-02"], "2023-02") is None
