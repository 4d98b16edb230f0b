"""Assemble the map: a static base map plus the filtered layers, for the app or as one standalone map.

The app keeps the base map and swaps the layers (``MapParts``); an export or a snapshot calls
:func:`build_standalone_map` and gets the same layers on one ``folium.Map`` with a layer control, at a
given size, centre and zoom, with its assets served or inlined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import folium
import pandas as pd

from dashboard import wording
from dashboard.assets import AssetLinks, inline_links, served_links
from dashboard.mapping import event_layers, layers, panels, presentation, styles
from dashboard.mapping.basemap import add_basemap, offline_map
from dashboard.mapping.elements import Panel
from dashboard.mapping.event_layers import EventView
from dashboard.mapping.strength import figure_label, group_figures
from dashboard.model import Dataset, Filters

DEFAULT_TITLE = "Militant groups in northern Afghanistan and on the Tajik–Afghan border"
DEFAULT_SUBTITLE = "What five articles report, and who says it"


@dataclass(frozen=True)
class MapOptions:
    """How to draw the map. Defaults suit the app; exports set size, centre, zoom and text."""

    figure: str = "latest"  # "latest", "highest" or "claimant"
    figure_claimant: str | None = None  # actor id when figure == "claimant"
    title: str = DEFAULT_TITLE
    subtitle: str = DEFAULT_SUBTITLE
    as_of: str | None = None  # shown as given; default: today's date (UTC)
    present: bool = False  # presentation mode: large type
    north_arrow: bool = True
    title_block: bool = True
    legend: bool = True
    legend_open: bool = True  # the legend expanded; the app's explore view starts it folded
    layers: tuple[str, ...] = ("provinces", "countries", "borders", "bases", "events")
    online_tiles: bool = False
    center: tuple[float, float] = styles.DEFAULT_CENTER
    zoom: int = styles.DEFAULT_ZOOM
    width: str | int = "100%"
    height: str | int = "100%"
    #: How the view opens: "fixed" at ``center``/``zoom``; "focus" framed on the focus area (the three
    #: provinces and the border) clear of the panels; "data" framed on what the records name.
    frame: str = "fixed"
    refit: bool = False  # frame again when the map is resized, until the reader moves it
    picture: bool = False  # a still picture: no fold toggle on the legend
    #: Type scale: False (fixed sizes), True (grows with the map's size), or a fixed factor.
    scale: bool | float = False
    #: Keep the view inside the basemap's extent (never zoomed or panned past its edge). A picture at
    #: a given centre and zoom turns it off, to show exactly that view.
    bounded: bool = True
    #: place ids to highlight (a selected country or province)
    highlight: tuple[str, ...] = ()


@dataclass
class MapParts:
    """What the app hands to ``st_folium``: the base map, the filtered layers and the layer control."""

    base: folium.Map
    layers: list[folium.FeatureGroup]
    control: folium.LayerControl
    summary: dict = field(default_factory=dict)  # counts and labels, for the page around the map


def build_base(
    ds: Dataset,
    options: MapOptions,
    links: AssetLinks | None = None,
    image_path: str | None = None,
    frame_points: dict | None = None,
) -> folium.Map:
    """The static part: an offline map with the vector basemap.

    ``frame_points`` (see :mod:`.presentation`) are what a "data" frame fits; "focus" fits the focus
    area's.
    """
    links = links or served_links()
    m = offline_map(
        links,
        options.center,
        options.zoom,
        options.width,
        options.height,
        image_path,
        setup=_setup(ds, options, frame_points),
        zoom_snap=styles.PRESENT_ZOOM_SNAP if options.present or options.picture else 1,
    )
    add_basemap(m, ds, online_tiles=options.online_tiles)
    return m


def _setup(ds: Dataset, options: MapOptions, frame_points: dict | None) -> dict:
    """What ``DashMap.setup`` gets: the basemap's extent, the type scale and the points to frame."""
    setup: dict = {"extent": presentation.extent(ds) if options.bounded or options.frame != "fixed" else None}
    if options.scale is not False:
        setup["scale"] = options.scale
    if options.frame == "data" and frame_points:
        setup["fit"] = frame_points
    elif options.frame in ("focus", "data"):
        setup["fit"] = presentation.focus_points(ds, whole=options.present or options.picture)
    setup["refit"] = options.refit
    return setup


def build_layers(
    ds: Dataset,
    flat_all: pd.DataFrame,
    flat: pd.DataFrame,
    filters: Filters,
    options: MapOptions,
    imported_view: EventView | None = None,
) -> tuple[list[folium.FeatureGroup], dict]:
    """The filtered layers and the panels (title, legend, sources, north arrow) that describe them.

    ``flat_all`` is the unfiltered table (for the data's date span); ``flat`` the filtered one.
    ``imported_view`` is the view the browser reports, for the imported events' layer
    (``event_layers``); without it that layer follows the options' centre, zoom and size.
    """
    below, above, summary = curated_layers(ds, flat_all, flat, filters, options)
    # Imported events (ACLED, UCDP GED): above the province shading, below the curated symbols.
    imported, summary["imported"] = event_layers.map_layers(ds, filters, imported_view, options)
    return [*below, *imported, *above], summary


#: The curated layers drawn below the imported events (the rest are drawn above them).
BELOW_IMPORTED = ("countries", "provinces")


def layers_below(options: MapOptions) -> int:
    """How many of ``curated_layers``' layers are drawn below the imported events."""
    return sum(1 for name in BELOW_IMPORTED if name in options.layers)


def curated_layers(
    ds: Dataset, flat_all: pd.DataFrame, flat: pd.DataFrame, filters: Filters, options: MapOptions
) -> tuple[list[folium.FeatureGroup], list[folium.FeatureGroup], dict]:
    """The layers of the curated reports, as (drawn below the imported events, drawn above them,
    summary): they do not depend on the view, so the app keeps them while the map moves."""
    claimant_names = dict(zip(ds.actors["id"], ds.actors["name"], strict=True))
    label = figure_label(options.figure, claimant_names.get(options.figure_claimant or ""))
    below: list[folium.FeatureGroup] = []
    above: list[folium.FeatureGroup] = []
    summary: dict = {"figure_label": label}
    wanted = set(options.layers)
    if "countries" in wanted:
        below.append(layers.countries_layer(ds, flat, options.highlight))
    if "provinces" in wanted:
        provinces = ds.places[ds.places["kind"] == "province"][["id", "name"]]
        together = group_figures(flat, provinces, options.figure, options.figure_claimant)
        group, figures = layers.provinces_layer(
            ds, flat, options.figure, options.figure_claimant, label, options.highlight, together
        )
        below.append(group)
        summary["province_figures"] = figures
        summary["group_figures"] = together
    if "borders" in wanted:
        above.append(layers.borders_layer(ds, flat))
    if "bases" in wanted:
        above.append(layers.bases_layer(ds, flat))
    event_types, unplaced = [], 0
    if "events" in wanted:
        occupied = layers.base_points(ds) if "bases" in wanted else None
        group, event_types, unplaced = layers.events_layer(flat, occupied)
        above.append(group)
    summary.update(event_types=event_types, unplaced_events=unplaced)
    shared = tuple(g.value for g in summary.get("group_figures", ()))
    above.append(_panels(ds, flat_all, flat, filters, options, label, event_types, unplaced, wanted, shared))
    assert len(below) == layers_below(options)
    return below, above, summary


def _panels(
    ds, flat_all, flat, filters, options, label, event_types, unplaced, wanted, shared=()
) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Map text", control=False, show=True)
    # Map-wide classes: presentation mode, a still picture, type that scales with the map.
    flags = (
        ("dm-present", options.present),
        ("dm-picture", options.picture),
        ("dm-scaled", options.scale is not False),
    )
    classes = " ".join(c for c, on in flags if on)
    present = {"containerClass": classes} if classes else {}
    as_of = options.as_of or datetime.now(UTC).strftime("%d %B %Y")
    if options.title_block:
        html = panels.title_html(
            options.title,
            options.subtitle,
            wording.filter_window(filters, flat_all),
            as_of,
            wording.filter_summary(filters, ds),
            cutoff=wording.information_cutoff(flat) or "no document in view",
        )
        Panel(html, "topleft", "dm-title").add_to(group)
    if options.legend:
        legend = panels.legend_html(
            label, event_types, unplaced, wanted, expanded=options.legend_open, shared_figures=shared
        )
        # The browser keeps the reader's open/closed choice per view while the layers are redrawn.
        remember = "legend-present" if options.present else "legend"
        # The legend takes the widest empty corner, south-east of the focus area (Chitral and Gilgit);
        # the sources the south-west, above the scale bar.
        Panel(legend, "bottomright", "dm-legend", remember=None if options.picture else remember).add_to(
            group
        )
    corner = "bottomleft"
    # The sources are always drawn: they carry the map-wide classes (large type, still picture).
    Panel(panels.sources_html(flat), corner, "dm-attribution", **present).add_to(group)
    if options.north_arrow:
        Panel(panels.NORTH_ARROW_HTML, "topright", "dm-north").add_to(group)
    return group


def build_map_parts(
    ds: Dataset,
    flat_all: pd.DataFrame,
    flat: pd.DataFrame,
    filters: Filters,
    options: MapOptions,
    links: AssetLinks | None = None,
    imported_view: EventView | None = None,
) -> MapParts:
    """Base map, filtered layers and layer control, for ``st_folium(feature_group_to_add=...)``."""
    base = build_base(ds, options, links)
    groups, summary = build_layers(ds, flat_all, flat, filters, options, imported_view)
    control = folium.LayerControl(collapsed=True, position="topright")
    return MapParts(base=base, layers=groups, control=control, summary=summary)


def build_standalone_map(
    ds: Dataset,
    flat_all: pd.DataFrame,
    flat: pd.DataFrame,
    filters: Filters,
    options: MapOptions,
    inline: bool = True,
    links: AssetLinks | None = None,
) -> folium.Map:
    """The same map as one ``folium.Map``: assets inlined (``inline=True``) or the given/served links."""
    links = links or (inline_links() if inline else served_links())
    points = presentation.data_points(ds, flat) if options.frame == "data" else None
    m = build_base(ds, options, links, frame_points=points)
    groups, _ = build_layers(ds, flat_all, flat, filters, options)
    for group in groups:
        group.add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return m


def render_html(m: folium.Map) -> str:
    """The complete HTML page of a map."""
    return m.get_root().render()
