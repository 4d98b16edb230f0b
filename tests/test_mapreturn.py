"""The typed form of what the map component returns (``dashboard.mapreturn``)."""

from __future__ import annotations

from dashboard.mapreturn import MapReturn, map_return
from dashboard.viewstate import Selection


def test_map_return_takes_only_what_it_knows():
    value = {
        "last_active_drawing": {
            "type": "Feature",
            "geometry": None,
            "properties": {"kind": "border", "id": "afg-tjk-border"},
        },
        "last_object_clicked": {"lat": 37.1, "lng": 70.2},
        "center": {"lat": 37.0, "lng": 69.0},
        "zoom": 7,
    }
    assert map_return(value) == MapReturn(
        Selection("border", "afg-tjk-border"), (37.1, 70.2), (37.0, 69.0), 7
    )
    assert map_return(None) == MapReturn()
    odd = {
        "last_active_drawing": {"properties": {"kind": "script", "id": "x"}},
        "zoom": "7",
        "center": [1, 2],
    }
    assert map_return(odd) == MapReturn()


def test_a_click_on_an_imported_event_selects_it_and_an_aggregate_selects_nothing():
    def clicked(kind, ident):
        return map_return({"last_active_drawing": {"properties": {"kind": kind, "id": ident}}}).clicked

    assert clicked("imported", "acled:AFG70001") == Selection("imported", "acled:AFG70001")
    assert clicked("imported", "ucdp:410001") == Selection("imported", "ucdp:410001")
    assert clicked("imported-area", "85283473fffffff") is None  # a hexagon of counts
    assert clicked("imported", "other:1") is None and clicked("imported", "acled:") is None
