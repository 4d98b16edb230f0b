"""The map: the static base map kept in the browser, the filtered layers swapped in on every change."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard.assets import missing_assets, served_links
from dashboard.mapping import MapOptions, build_map_parts, styles
from dashboard.mapreturn import map_return
from dashboard.model import Dataset
from dashboard.ui import imported, state
from dashboard.ui.text import md_format
from dashboard.viewstate import CENTRE_DECIMALS

#: What the component sends back; a click or a move reruns the app, hovering does not.
RETURNED = ["last_active_drawing", "last_object_clicked", "center", "zoom", "bounds"]


def static_prefix() -> str:
    """Where Streamlit serves dashboard/static, honouring ``server.baseUrlPath``."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


def map_options(title: str | None = None, subtitle: str | None = None) -> MapOptions:
    """Map options from the view state."""
    view = state.current()
    defaults = MapOptions()
    present = view.mode == "present"
    return MapOptions(
        figure=view.figure,
        figure_claimant=view.figure_by if view.figure == "claimant" else None,
        title=title or view.title or defaults.title,
        subtitle=subtitle if subtitle is not None else (view.subtitle or defaults.subtitle),
        present=present,
        online_tiles=bool(st.session_state.get("online_tiles", False)),
        # The legend starts open (the reader's fold is remembered). Both modes open framed on the focus
        # area clear of the panels, at the zoom the map's size allows; presentation mode frames again
        # when the screen changes size, and its type grows with the screen.
        legend_open=True,
        center=styles.PRESENT_CENTER if present else styles.DEFAULT_CENTER,
        zoom=styles.PRESENT_ZOOM if present else styles.DEFAULT_ZOOM,
        frame="focus",
        refit=present,
        scale=present,
        highlight=_highlight(view),
    )


def _highlight(view) -> tuple[str, ...]:
    """The place a selected country or province names, drawn highlighted on the map."""
    selection = view.selection
    if selection is None:
        return ()
    if selection.kind in ("country", "province"):
        return (selection.id,)
    chosen, places = st.session_state.get("highlight_places", ("", ()))
    return tuple(places) if chosen == selection.to_query() else ()


def render(ds: Dataset, flat_all: pd.DataFrame, flat: pd.DataFrame, options: MapOptions, height: int) -> dict:
    """Draw the map; act on a click or a move; return the summary of what the layers show."""
    missing = missing_assets()
    if missing:
        st.error(
            md_format(
                "The map's JavaScript files are missing "
                "(run `make assets` or `python -m dashboard assets`): {}",
                ", ".join(missing),
            )
        )
        return {}
    start_centre, start_zoom = state.initial_view()
    if start_centre and start_zoom is not None and not options.present:
        # Draw the base map where the URL asked from the start: otherwise the component's first report
        # is the default framing, and for a moment the view state (what exports frame) disagrees with
        # the map on screen. Fixed per session, so the base map is not redrawn as the user pans.
        options = replace(options, center=start_centre, zoom=start_zoom, frame="fixed")
    view = state.current()
    # Imported events follow the view the browser last reported (points or aggregates by zoom).
    imported_view = imported.map_view(view.zoom or options.zoom, view.centre or options.center)
    parts = build_map_parts(
        ds, flat_all, flat, view.filters, options, served_links(static_prefix()), imported_view
    )
    centre, zoom = state.map_request()
    value = st_folium(
        parts.base,
        key="map",
        height=height,
        use_container_width=True,
        returned_objects=RETURNED,
        feature_group_to_add=parts.layers,
        layer_control=parts.control,
        center=list(centre) if centre else None,
        zoom=zoom,
    )
    _handle(map_return(value))
    return parts.summary


def _handle(ret) -> None:
    view = state.current()
    click = (ret.clicked, ret.click_point)
    if ret.clicked and click != st.session_state.get("last_map_click"):
        st.session_state["last_map_click"] = click
        if ret.clicked != view.selection:
            state.update(selection=ret.clicked)
    if ret.centre and ret.zoom is not None:
        lat, lon = (round(v, CENTRE_DECIMALS) for v in ret.centre)
        if (lat, lon, ret.zoom) != (view.lat, view.lon, view.zoom):
            state.update(lat=lat, lon=lon, zoom=ret.zoom)
