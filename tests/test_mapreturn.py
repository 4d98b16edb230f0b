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
