"""Filters as SQL and the engine's aggregates over imported events; the map layer's payload bound."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from events_helpers import ACLED_JULY, ACLED_JUNE, UCDP_SUBSET, outline_folder, synthetic_acled

from dashboard.events import aggregate
from dashboard.events.importer import import_file
from dashboard.events.query import EventFilters, condition, excluded_by, known_on_condition
from dashboard.events.regions import load_regions
from dashboard.events.store import engine
from dashboard.mapping import event_layers
from dashboard.mapping.event_layers import POINT_LIMIT, EventView, imported_layer, view_bounds
from dashboard.model import Filters


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    data = outline_folder(tmp_path_factory.mktemp("events") / "data")
    import_file("acled", ACLED_JUNE, data)
    import_file("acled", ACLED_JULY, data)
    import_file("ucdp", UCDP_SUBSET, data, export_date="2024-06-01")
    return data, load_regions(data)


def ids(store, filters=None, extra=None, towns=None) -> set[str]:
    data, regions = store
    cond = condition(filters or Filters(), extra, regions, towns)
    return set(aggregate.rows(engine(data), cond, 100)["event_id"])


def test_no_filter_keeps_the_current_events(store):
    assert ids(store) == {
        "AFG70001", "AFG70002", "AFG70003", "AFG70004", "AFG70007", "AFG70008", "TJK5001", "UZB1001",
        "410001", "410002", "410003",
    }  # fmt: skip
    assert "AFG70005" in ids(store, extra=EventFilters(include_withdrawn=True))


def test_dates_overlap_the_window(store):
    assert ids(store, Filters(start="2023-04", end="2023-05")) == {"AFG70003", "AFG70004", "TJK5001"}
    assert ids(store, Filters(start="2021-08-15", end="2021-08-20")) == {"410002"}  # a month-long event


def test_province_spellings_and_never_gorno_badakhshan_for_badakhshan(store):
    assert ids(store, Filters(province=("Badakhshan",))) == {"AFG70001", "410001"}
    assert ids(store, Filters(province=("Badachschan",))) == {"AFG70001", "410001"}
    assert ids(store, Filters(province=("Gorno-Badakhshan",))) == {"TJK5001", "410003"}
    assert ids(store, Filters(province=("Kondoz",))) == {"410002"}  # AFG70005 is withdrawn


def test_a_town_filter_keeps_to_the_curated_towns_province(store):
    assert ids(store, Filters(province=("Fayzabad",))) == {"AFG70001", "AFG70002", "AFG70003", "AFG70004"}
    assert ids(store, Filters(province=("Fayzabad",)), towns={"fayzabad": "badakhshan"}) == {"AFG70001"}


def test_type_and_actor_and_dataset(store):
    assert ids(store, Filters(type=("battles",))) == {"AFG70001", "AFG70004", "AFG70008"}
    assert ids(store, Filters(type=("One-sided violence",))) == {"410002"}
    assert ids(store, extra=EventFilters(actor=("resistance",))) == {"AFG70004"}
    assert ids(store, extra=EventFilters(actor=("100%_",))) == set()  # LIKE wildcards are literal
    assert ids(store, extra=EventFilters(datasets=("ucdp",))) == {"410001", "410002", "410003"}


def test_curated_only_filters_hide_imported_events_and_say_which(store):
    filters = Filters(group=("iskp",), claimant=("a001",))
    assert excluded_by(filters) == ["claimant", "group"]
    assert ids(store, filters) == set()


def test_known_on_dates_events_by_their_exports(store):
    data, regions = store
    cur = engine(data)
    june = aggregate.rows(cur, known_on_condition("2023-06-30"), 100)
    assert "AFG70005" in set(june["event_id"]) and "AFG70008" not in set(june["event_id"])
    july = set(aggregate.rows(cur, known_on_condition("2023-07-31"), 100)["event_id"])
    assert "AFG70005" not in july and "AFG70008" in july
    # a Filters with known_on (as the evidence-over-time views set it) is honoured by condition()
    dated = type("DatedFilters", (), {**{f: getattr(Filters(), f) for f in Filters.__dataclass_fields__}})()
    dated.known_on = "2023-06-30"
    assert "AFG70005" in set(aggregate.rows(cur, condition(dated, None, regions), 100)["event_id"])


def test_aggregates_add_up(store):
    data, regions = store
    cur = engine(data)
    cond = condition(Filters(), None, regions)
    events, deaths = aggregate.totals(cur, cond)
    provinces = aggregate.by_province(cur, cond)
    assert provinces.set_index("province")["events"].to_dict()["Jawzjan"] == 2
    assert int(provinces["events"].sum()) == events - 1  # the Uzbek event lies outside the provinces
    for resolution in (3, 6):
        cells = aggregate.by_hexagon(cur, cond, resolution)
        assert int(cells["events"].sum()) == events and int(cells["fatalities"].sum()) == deaths
    for step in ("week", "month"):
        trend = aggregate.trend(cur, cond, step)
        assert int(trend["events"].sum()) == events and int(trend["fatalities"].sum()) == deaths
    weeks = aggregate.trend(cur, cond, "week")
    assert all(p.weekday() == 0 for p in weeks["period"])
    districts = aggregate.by_district(cur, cond)
    assert set(districts["admin2"]) >= {"Fayzabad", "Fayzabad district"}


def test_trend_refuses_an_unknown_step(store):
    with pytest.raises(ValueError, match="step"):
        aggregate.trend(engine(store[0]), known_on_condition(None), "day")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    data = outline_folder(folder / "data")
    source = synthetic_acled(folder / "acled_20k.csv", 20_000)
    long_notes = source.read_text(encoding="utf-8").replace("Synthetic event", "Synthetic event " + "x" * 600)
    source.write_text(long_notes, encoding="utf-8")
    import_file("acled", source, data)
    return data, load_regions(data)


def payload(group) -> int:
    return len(group.get_root().render().encode()) if hasattr(group, "get_root") else 0


def test_map_aggregates_a_crowded_view_and_stays_small(big):
    data, regions = big
    cond = condition(Filters(), None, regions)
    view = EventView(7, view_bounds((37.1, 70.7), 7, (1400, 700)))
    group, summary = imported_layer(engine(data), cond, view, {}, {"acled": {"export_date": "2023-12-28"}})
    assert summary["mode"] == "hexagon" and summary["in_view"] > POINT_LIMIT
    script = _script(group)
    assert len(script.encode()) < 2_000_000
    assert "Event Data Project (ACLED); www.acleddata.com" in script  # the credit


def test_map_draws_points_when_zoomed_to_a_district_with_bounded_payload(big):
    data, regions = big
    cond = condition(Filters(), None, regions)
    view = EventView(12, view_bounds((36.729, 68.857), 12, (1400, 700)))  # Kunduz city
    group, summary = imported_layer(engine(data), cond, view, {}, {})
    assert summary["mode"] == "points" and 0 < summary["drawn"] <= POINT_LIMIT * 3 // 2
    script = _script(group)
    assert len(script.encode()) < 2_000_000
    assert "x" * 600 not in script  # notes are cut in popups


def test_map_points_cap_even_when_many_share_the_view(big):
    data, regions = big
    cond = condition(Filters(), None, regions)
    every = EventView(3, (20.0, 50.0, 50.0, 90.0))
    group, summary = imported_layer(engine(data), cond, replace(every, aggregate="province"), {}, {})
    assert summary["mode"] == "province"
    group, summary = imported_layer(engine(data), cond, replace(every, aggregate="district"), {}, {})
    assert summary["mode"] == "district" and summary["drawn"] <= event_layers.CELL_LIMIT


def _script(group) -> str:
    import folium

    m = folium.Map(tiles=None)
    group.add_to(m)
    html = m.get_root().render()
    json.dumps(html)  # renders
    return html
