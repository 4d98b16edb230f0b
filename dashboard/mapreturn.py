"""What the map component (``st_folium``) returns after a click or a move, as a small typed object.

The component's dict comes from the browser: only the keys the app asked for are read, each checked
for its type, and anything malformed is treated as absent (never passed on as a raw dict). A click on
an imported event (ACLED, UCDP GED) selects it as ``imported`` with the id ``dataset:event id``; a
click on an aggregate of them (a hexagon, a province's count) selects nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dashboard.events.datasets import DATASETS
from dashboard.viewstate import SELECTION_KINDS, Selection


@dataclass(frozen=True)
class MapReturn:
    """The parts of ``st_folium``'s return value the app uses, typed."""

    clicked: Selection | None = None
    click_point: tuple[float, float] | None = None  # where the click happened (tells two clicks apart)
    centre: tuple[float, float] | None = None
    zoom: int | None = None


def map_return(value: Mapping[str, object] | None) -> MapReturn:
    """Read the component's dict; anything malformed is treated as absent."""
    if not isinstance(value, Mapping):
        return MapReturn()
    clicked = None
    drawing = value.get("last_active_drawing")
    if isinstance(drawing, Mapping) and isinstance(drawing.get("properties"), Mapping):
        props = drawing["properties"]
        kind, ident = props.get("kind"), props.get("id")
        if kind in SELECTION_KINDS and isinstance(ident, str) and ident and _well_formed(kind, ident):
            clicked = Selection(kind, ident)
    return MapReturn(
        clicked=clicked,
        click_point=_latlng(value.get("last_object_clicked")),
        centre=_latlng(value.get("center")),
        zoom=value.get("zoom") if isinstance(value.get("zoom"), int) else None,
    )


def _well_formed(kind: str, ident: str) -> bool:
    """An imported event's id names its dataset and the dataset's own id: ``acled:AFG123``."""
    if kind != "imported":
        return True
    dataset, _, event_id = ident.partition(":")
    return dataset in DATASETS and bool(event_id)


def _latlng(value: object) -> tuple[float, float] | None:
    if isinstance(value, Mapping):
        lat, lng = value.get("lat"), value.get("lng")
        if isinstance(lat, int | float) and isinstance(lng, int | float):
            return float(lat), float(lng)
    return None
