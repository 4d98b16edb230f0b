"""URL query <-> view state (``dashboard.viewstate``).

The typed map return value is tested in ``test_mapreturn.py``, the sidebar's counts in ``test_facets.py``.
"""

from __future__ import annotations

import pytest

from dashboard.model import Filters
from dashboard.viewstate import Selection, ViewState, view_from_query, view_to_query


def test_full_view_round_trips():
    state = ViewState(
        filters=Filters(
            start="2023-05",
            end="2024",
            province=("Badakhshan", "Kunduz"),
            document=("d001",),
            outlet=("KabulNow",),
            relayed_by=("tass",),
            claimant=("sidorov",),
            affiliation=("CSTO",),
            group=("iskp",),
            type=("exercise",),
        ),
        lat=37.25,
        lon=69.5,
        zoom=8,
        mode="present",
        figure="claimant",
        figure_by="sidorov",
        title="Briefing",
        subtitle="North",
        selection=Selection("province", "badakhshan"),
    )
    query = view_to_query(state)
    assert query["province"] == ["Badakhshan", "Kunduz"] and query["lat"] == "37.2500"
    assert query["select"] == "province:badakhshan"
    again, errors = view_from_query(query)
    assert errors == [] and again == state


def test_defaults_leave_the_query_empty():
    assert view_to_query(ViewState()) == {}
    assert view_from_query({}) == (ViewState(), [])


def test_streamlit_style_single_values_are_read():
    state, errors = view_from_query({"province": "Takhar", "zoom": "9", "lat": "36.7", "lon": "69.5"})
    assert errors == []
    assert state.filters.province == ("Takhar",) and state.zoom == 9 and state.centre == (36.7, 69.5)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"zoom": "x"}, "zoom: 'x' is not a whole number"),
        ({"zoom": "40"}, "zoom: 40 is outside"),
        ({"lat": "95"}, "lat: 95 is outside"),
        ({"lon": "nan"}, "lon: nan is outside"),
        ({"mode": "kiosk"}, "mode: 'kiosk' is not one of"),
        ({"figure": "mean"}, "figure: 'mean' is not one of"),
        ({"select": "planet:mars"}, "select: 'planet:mars'"),
        ({"start": "May 2023"}, "start:"),
        ({"start": "2024", "end": "2023"}, "start: 2024 is after end 2023"),
    ],
)
def test_bad_values_are_reported_and_ignored(query, message):
    state, errors = view_from_query({**query, "province": ["Kunduz"]})
    assert len(errors) == 1 and message in errors[0]
    assert state.filters.province == ("Kunduz",)  # the rest still applies
    assert state.filters.start is None and state.zoom is None and state.mode == "explore"
