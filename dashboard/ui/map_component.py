"""The map component's arguments as plain strings, made once and sent again as they are.

``st_folium`` renders the whole Folium map (the basemap's GeoJSON included) and every layer to
JavaScript on each call, that is on every run of the page. Here the same strings are made by
streamlit-folium's own functions, in three parts that change at different rates: the base map (once per
data and framing), the filtered layers (once per data, filters and view) and the layer control (once per
list of layers); the page keeps them (``map_panel``) and hands them to the same frontend component
``st_folium`` uses, so the browser gets exactly what ``st_folium`` would send.

streamlit-folium is pinned below 0.28 (pyproject.toml); ``tests/test_map_component.py`` checks that
these arguments equal those ``st_folium`` sends for the same map, so an upgrade that changes them fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import branca
import folium
import folium.elements
import streamlit as st
import streamlit_folium as sf


@dataclass(frozen=True)
class BaseArgs:
    """The base map as the component receives it."""

    script: str
    header: str
    html: str
    id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: dict
    zoom: object


@dataclass(frozen=True)
class LayerArgs:
    """The filtered layers as one script, with the names the layer control lists them by."""

    feature_group: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    #: (index, name, listed in the control, shown, overlay) of each layer, for the layer control
    signature: tuple[tuple[int, str, bool, bool, bool], ...]


def _links(elements: Iterable) -> tuple[list[str], list[str]]:
    """The CSS and JS links of ``elements`` and their children, found as ``st_folium`` finds them."""
    css: list[str] = []
    js: list[str] = []

    def walk(element):
        if isinstance(element, branca.colormap.ColorMap):
            yield element
        if isinstance(element, folium.elements.JSCSSMixin):
            yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in elements:
        for found in walk(element):
            if isinstance(found, branca.colormap.ColorMap):  # st_folium adds d3 for a colour map
                js[:0] = [
                    "https://d3js.org/d3.v4.min.js",
                    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js",
                ]
            css.extend(href for _, href in getattr(found, "default_css", []))
            js.extend(src for _, src in getattr(found, "default_js", []))
    return css, js


def base_args(m: folium.Map) -> BaseArgs:
    """The base map's script, header and HTML as ``st_folium`` makes them (``m`` is used up)."""
    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    try:
        south_west, north_east = m.get_bounds()
    except AttributeError:
        south_west, north_east = [None, None], [None, None]
    bounds = {
        "_southWest": {"lat": south_west[0], "lng": south_west[1]},
        "_northEast": {"lat": north_east[0], "lng": north_east[1]},
    }
    css, js = _links([m])
    return BaseArgs(
        script=script,
        header=header,
        html=html,
        id=sf.get_full_id(m),
        css_links=tuple(css),
        js_links=tuple(js),
        bounds=bounds,
        zoom=m.options.get("zoom") if hasattr(m, "options") else {},
    )


def layer_args(groups: Sequence[folium.FeatureGroup], start: int = 0) -> LayerArgs:
    """The layers' script as ``st_folium(feature_group_to_add=groups)`` makes it (``groups`` are used up).

    Each layer's script names its map ``map_div`` whatever map it was added to, so a throwaway map
    stands in for the base map. ``start`` is the index of the first group among all the map's layers
    (a part made apart from the others: see :func:`joined`).
    """
    holder = folium.Map(tiles=None)
    numbered = list(enumerate(groups, start))
    script = "".join(sf._get_feature_group_string(group, map=holder, idx=i) for i, group in numbered)
    css, js = _links(groups)
    signature = tuple((i, g.layer_name, bool(g.control), bool(g.show), bool(g.overlay)) for i, g in numbered)
    return LayerArgs(feature_group=script, css_links=tuple(css), js_links=tuple(js), signature=signature)


def joined(*parts: LayerArgs) -> LayerArgs:
    """Layers made in parts (each numbered from where the one before it ends), as one ``LayerArgs``:
    the same as ``layer_args`` of all their groups at once."""
    return LayerArgs(
        feature_group="".join(p.feature_group for p in parts),
        css_links=tuple(dict.fromkeys(link for p in parts for link in p.css_links)),
        js_links=tuple(dict.fromkeys(link for p in parts for link in p.js_links)),
        signature=tuple(entry for p in parts for entry in p.signature),
    )


def control_args(m: folium.Map, signature: Sequence[tuple[int, str, bool, bool, bool]]) -> str:
    """The layer control's script for the base map ``m`` (used up) and layers of ``signature``.

    The control lists the base map's own layers and the filtered ones by their names in the script;
    stand-ins with the same names, indices and switches give the same script as the layers themselves.
    """
    sf._get_map_string(m)  # names the base map's layers as the base map's script does
    for i, name, control, show, overlay in signature:
        stand_in = folium.FeatureGroup(name=name, control=control, show=show, overlay=overlay)
        stand_in._id = f"feature_group_{i}"
        stand_in.add_to(m)
    return sf._get_layer_control_string(folium.LayerControl(collapsed=True, position="topright"), m)


def show(
    base: BaseArgs,
    layers: LayerArgs,
    control: str,
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str],
    center: Sequence[float] | None = None,
    zoom: int | None = None,
) -> dict:
    """Draw the map in the component ``st_folium`` uses and return what the browser reported.

    As with ``st_folium(key=key)``, the last report is also kept in ``st.session_state[key]``.
    """
    hash_key = sf.generate_js_hash(base.script, key, False)
    defaults = {name: value for name, value in _defaults(base).items() if name in returned_objects}

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.id,
        key=hash_key,
        height=height,
        width=None,  # the container's width
        returned_objects=list(returned_objects),
        default=defaults,
        zoom=zoom,
        center=list(center) if center else None,
        feature_group=layers.feature_group,
        return_on_hover=False,
        layer_control=control,
        pixelated=False,
        css_links=list(dict.fromkeys([*base.css_links, *layers.css_links])),
        js_links=list(dict.fromkeys([*base.js_links, *layers.js_links])),
        on_change=on_change,
        wrap_longitude=False,
    )


def _defaults(base: BaseArgs) -> dict:
    """What the component returns before the browser reports anything (as in ``st_folium``)."""
    return {
        "last_clicked": None,
        "last_object_clicked": None,
        "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None,
        "last_object_clicked_popup": None,
        "all_drawings": None,
        "last_active_drawing": None,
        "bounds": base.bounds,
        "zoom": base.zoom,
        "last_circle_radius": None,
        "last_circle_polygon": None,
        "selected_layers": None,
        "selected_tags": None,
        "last_geocoder_result": None,
    }
