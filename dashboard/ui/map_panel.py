"""The map: the static base map kept in the browser, the filtered layers swapped in on every change.

The page runs again on every filter change and every report of the map (a move, a click). The map's
parts are made once and kept (``map_component``): the base map per data and framing, the layers per
data, filters, map options and view of the imported events, the layer control per list of layers. A run
whose map did not change sends the kept strings again and the browser redraws nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from dashboard.assets import missing_assets, served_links
from dashboard.events.store import EventStore
from dashboard.mapping import MapOptions, build_base, event_layers, styles
from dashboard.mapping.builder import curated_layers, layers_below
from dashboard.mapping.event_layers import EventView
from dashboard.mapreturn import map_return
from dashboard.model import Dataset, Filters
from dashboard.ui import imported, kept, map_component, state
from dashboard.ui.imported import MAP_KEY
from dashboard.ui.kept import Kept
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
    store = EventStore(ds.data_dir).fingerprint()  # read before the layers: they are at least this new
    # Imported events follow the view the browser last reported (points or aggregates by zoom); with none
    # imported the layers do not depend on the view, and a move finds them kept.
    imported_view = (
        imported.map_view(view.zoom or options.zoom, view.centre or options.center) if store else None
    )
    token = kept.token(ds, flat_all)  # the parts are kept per loaded data (see ui.kept)
    prefix = static_prefix()
    keep = (ds, flat_all)
    base = _base(token, base_options(options), prefix, _keep=keep).value
    # The curated layers do not follow the view: a move rebuilds only the imported events' layer,
    # numbered between the curated layers drawn below it and those drawn above it.
    below = layers_below(options)
    events, events_summary = _imported(
        token, view.filters, options, imported_view, store, below, _keep=keep
    ).value
    above = below + len(events.signature)
    (under, over), summary = _curated(
        token, view.filters, options, _today(), above, _keep=keep, _flat=flat
    ).value
    layers = map_component.joined(under, events, over)
    summary = {**summary, "imported": events_summary}
    control = _control(token, base_options(options), prefix, layers.signature, _keep=keep).value
    centre, zoom = state.map_request()
    map_component.show(
        base,
        layers,
        control,
        key=MAP_KEY,
        height=height,
        returned_objects=RETURNED,
        center=list(centre) if centre else None,
        zoom=zoom,
    )
    return summary


def take_report() -> None:
    """Act on the map's last report (a click selects, a move is remembered) before anything is drawn.

    The report reaches the session before the run starts, so the run it causes draws its consequences
    at once: the clicked province highlighted on this run's map, not on the next run's (which, until the
    next gesture, never came; and when it came, it had to build the layers again).
    """
    _handle(map_return(st.session_state.get(MAP_KEY)))


#: MapOptions fields that only the layers use; the base map is the same whatever their values.
_LAYER_FIELDS = (
    "figure", "figure_claimant", "title", "subtitle", "as_of", "north_arrow", "title_block", "legend",
    "legend_open", "layers", "highlight",
)  # fmt: skip


def base_options(options: MapOptions) -> MapOptions:
    """``options`` with the fields only the layers use set to their defaults: the base map's cache key."""
    defaults = MapOptions()
    return replace(options, **{name: getattr(defaults, name) for name in _LAYER_FIELDS})


def _today() -> str:
    """The date the map's title gives when no "as of" date is set (a new day makes new layers)."""
    return datetime.now(UTC).date().isoformat()


@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False, hash_funcs=kept.HASH_FUNCS)
def _base(token: tuple, options: MapOptions, prefix: str, _keep: tuple) -> Kept:
    ds = _keep[0]
    return Kept(map_component.base_args(build_base(ds, options, served_links(prefix))), _keep)


# Enough for every session of a busy server to find its own layers again after a map move (~0.5 MB each).
@st.cache_resource(max_entries=128, ttl=3600, show_spinner=False, hash_funcs=kept.HASH_FUNCS)
def _curated(
    token: tuple,
    filters: Filters,
    options: MapOptions,
    today: str,
    above: int,
    _keep: tuple,
    _flat: pd.DataFrame,
) -> Kept:
    """The curated layers: those below the imported events numbered from 0, those above from ``above``."""
    ds, flat_all = _keep
    under, over, summary = curated_layers(ds, flat_all, _flat, filters, options)
    return Kept(((map_component.layer_args(under), map_component.layer_args(over, above)), summary), _keep)


@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False, hash_funcs=kept.HASH_FUNCS)
def _imported(
    token: tuple,
    filters: Filters,
    options: MapOptions,
    imported_view: EventView | None,
    store: tuple,
    start: int,
    _keep: tuple,
) -> Kept:
    """The imported events' layer (none when nothing is imported) for the view, numbered from ``start``."""
    groups, summary = event_layers.map_layers(_keep[0], filters, imported_view, options)
    return Kept((map_component.layer_args(groups, start), summary), _keep)


@st.cache_resource(max_entries=8, ttl=3600, show_spinner=False, hash_funcs=kept.HASH_FUNCS)
def _control(token: tuple, options: MapOptions, prefix: str, signature: tuple, _keep: tuple) -> Kept:
    ds = _keep[0]
    return Kept(map_component.control_args(build_base(ds, options, served_links(prefix)), signature), _keep)


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
