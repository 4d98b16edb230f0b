"""Imported events on the map, drawn so that the page stays light whatever their number.

When the view holds at most ``POINT_LIMIT`` events they are drawn one by one, each with a popup built
for it then (never one per event of the whole store); above that the engine aggregates them and the map
gets hexagons (H3, finer as the map zooms in), province shading or district circles, each with its
count and fatalities. Only the view (plus a margin) is queried for points, hexagons and districts, so
the payload is bounded: at most ``POINT_LIMIT`` points or ``CELL_LIMIT`` hexagons, a few hundred bytes
each, or the provinces' outlines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import folium
import h3
import pandas as pd

from dashboard.events import aggregate
from dashboard.events.datasets import DATASETS, credit_line
from dashboard.events.query import Condition, EventFilters, condition, towns_of
from dashboard.events.regions import regions_for
from dashboard.events.store import EventStore, engine
from dashboard.mapping.elements import JsLayer, Panel
from dashboard.mapping.geo import collection, frame_features, layer, point_feature
from dashboard.mapping.text import Html, esc, html
from dashboard.model import Dataset, Filters
from dashboard.values import blank
from dashboard.wording import format_date, format_figure, format_number

#: Individual events are drawn when the view holds at most this many (a reader cannot tell more apart
#: at once, and 1,000 popups stay well under a megabyte).
POINT_LIMIT = 1_000
#: Hexagons drawn at most; above this the next coarser resolution is used.
CELL_LIMIT = 2_500
#: How the map aggregates above ``POINT_LIMIT``.
AGGREGATES: dict[str, str] = {"hexagon": "hexagons", "province": "provinces", "district": "districts"}
#: Share of the view's size added on each side before querying (a small pan shows no gap).
MARGIN = 0.25
#: Notes longer than this are cut in popups (the evidence table has them whole).
NOTE_CHARS = 300
#: Fill colours for aggregates (light to dark); imported context is purple, apart from the curated
#: strength shading.
RAMP: tuple[str, ...] = ("#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486")
#: Point colours by event type (ACLED event types, UCDP types of violence); others grey.
TYPE_COLOURS: dict[str, str] = {
    "Battles": "#b2182b",
    "Explosions/Remote violence": "#ef8a62",
    "Violence against civilians": "#762a83",
    "Protests": "#4393c3",
    "Riots": "#2166ac",
    "Strategic developments": "#5aae61",
    "State-based conflict": "#b2182b",
    "Non-state conflict": "#ef8a62",
    "One-sided violence": "#762a83",
}
OTHER_COLOUR = "#777777"
POINT_SIZE = 11
#: Radius (km) of the dashed circle for a location precision code, per dataset.
PRECISION_KM: dict[str, dict[int, float]] = {"acled": {2: 10, 3: 40}, "ucdp": {2: 25, 3: 25, 4: 60}}
LAYER_NAME = "Imported events (ACLED, UCDP GED)"


@dataclass(frozen=True)
class EventView:
    """What the map shows: zoom, bounds (south, west, north, east; None: everything), the aggregate, and
    the filters only imported events have."""

    zoom: int
    bounds: tuple[float, float, float, float] | None = None
    aggregate: str = "hexagon"
    filters: EventFilters = field(default_factory=EventFilters)


#: The map size assumed for a view given by centre and zoom alone (an export sets its own).
DEFAULT_SIZE_PX = (1400, 700)


def map_layers(
    ds: Dataset, filters: Filters, view: EventView | None = None, options: object = None
) -> tuple[list[folium.FeatureGroup], dict]:
    """The imported-events layer for the map of ``ds`` under ``filters`` (none when nothing is imported).

    ``view`` is what the browser reports (the app); without it the view is the one ``options`` (a
    ``MapOptions``: centre, zoom, pixel size) frames, as for an exported picture or page.
    """
    store = EventStore(ds.data_dir)
    manifests = store.manifests()
    if not manifests:
        return [], {}
    if view is None:
        zoom = int(getattr(options, "zoom", 7))
        width, height = getattr(options, "width", None), getattr(options, "height", None)
        size = (width, height) if isinstance(width, int) and isinstance(height, int) else DEFAULT_SIZE_PX
        view = EventView(zoom, view_bounds(tuple(getattr(options, "center", (37.1, 70.7))), zoom, size))
    regions = regions_for(ds.data_dir)
    cond = condition(filters, view.filters, regions, towns_of(ds.places, regions))
    group, summary = imported_layer(engine(ds.data_dir), cond, view, ds.geometry, manifests)
    return [group], summary


def hex_resolution(zoom: int) -> int:
    """The H3 resolution for a zoom level: cells some 15–40 px across on screen."""
    return 3 if zoom <= 5 else 4 if zoom == 6 else 5 if zoom == 7 else 6


def padded(bounds: tuple[float, float, float, float] | None) -> tuple[float, float, float, float] | None:
    """``bounds`` widened by ``MARGIN`` of their size on each side."""
    if bounds is None:
        return None
    south, west, north, east = bounds
    dy, dx = (north - south) * MARGIN, (east - west) * MARGIN
    return (max(-90.0, south - dy), max(-180.0, west - dx), min(90.0, north + dy), min(180.0, east + dx))


def view_bounds(centre: tuple[float, float], zoom: int, size_px: tuple[int, int]) -> tuple:
    """The bounds a map of ``size_px`` (width, height) shows at ``centre`` and ``zoom`` (Web Mercator)."""
    lat, lon = centre
    scale = 256 * 2**zoom
    x = (lon + 180) / 360 * scale
    siny = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + siny) / (1 - siny)) / (4 * math.pi)) * scale
    width, height = size_px

    def unproject(px: float, py: float) -> tuple[float, float]:
        n = math.pi - 2 * math.pi * py / scale
        return math.degrees(math.atan(math.sinh(n))), px / scale * 360 - 180

    north, west = unproject(x - width / 2, y - height / 2)
    south, east = unproject(x + width / 2, y + height / 2)
    return (south, west, north, east)


def within(cond: Condition, bounds: tuple | None) -> Condition:
    """``cond`` limited to ``bounds`` (unchanged when None)."""
    if bounds is None:
        return cond
    south, west, north, east = bounds
    return cond.and_("lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?", south, north, west, east)


def shade(value: float, top: float) -> str:
    """The ramp colour of ``value`` on a log scale up to ``top``."""
    if value <= 0 or top <= 0:
        return RAMP[0]
    share = math.log1p(value) / math.log1p(top)
    return RAMP[min(len(RAMP) - 1, int(share * (len(RAMP) - 1) + 0.5))]


def imported_layer(
    cur, cond: Condition, view: EventView, geometry: dict, manifests: dict[str, dict]
) -> tuple[folium.FeatureGroup, dict]:
    """The imported events under ``cond`` as one layer for ``view``, with a panel saying how they are
    drawn and crediting each dataset; and a summary (mode, counts) for the page."""
    group = folium.FeatureGroup(name=LAYER_NAME, show=True)
    in_view = aggregate.totals(cur, within(cond, view.bounds))[0]
    total, deaths = aggregate.totals(cur, cond)
    query_bounds = padded(view.bounds)
    if in_view <= POINT_LIMIT:
        mode = "points"
        features = _point_features(aggregate.rows(cur, within(cond, query_bounds), POINT_LIMIT * 3 // 2))
        JsLayer("points", collection(features), {"size": POINT_SIZE}, name="imported_points").add_to(group)
    elif view.aggregate == "province":
        mode = "province"
        features = _province_features(aggregate.by_province(cur, cond), geometry)
        JsLayer("areas", collection(features), name="imported_provinces").add_to(group)
    elif view.aggregate == "district":
        mode = "district"
        features = _district_features(aggregate.by_district(cur, within(cond, query_bounds)))
        JsLayer("labels", collection(features), name="imported_districts").add_to(group)
    else:
        mode = "hexagon"
        features = _hex_features(cur, within(cond, query_bounds), hex_resolution(view.zoom))
        JsLayer("areas", collection(features), name="imported_hexagons").add_to(group)
    summary = {"mode": mode, "in_view": in_view, "total": total, "fatalities": deaths, "drawn": len(features)}
    Panel(panel_html(summary, manifests), "bottomright", "dm-attribution ev-panel").add_to(group)
    return group, summary


def panel_html(summary: dict, manifests: dict[str, dict]) -> Html:
    """How the imported events are drawn, their colour key, and each dataset's credit."""
    mode = summary["mode"]
    if mode == "points":
        how = html(
            "{} imported event(s) in view, drawn one by one (click one for its details).",
            format_number(summary["in_view"]),
        )
    else:
        how = html(
            "{} imported events in view, drawn as {} (zoom in to {} or fewer to see single events).",
            format_number(summary["in_view"]),
            AGGREGATES[mode],
            format_number(POINT_LIMIT),
        )
    credits = [credit_line(key, manifest) for key, manifest in manifests.items()]
    return html(
        "<div class='ev-mode' data-mode='{mode}'><b>Imported events</b> (context, not curated): {how}</div>"
        "<div class='ev-credit'>{credits}</div>",
        mode=mode,
        how=how,
        credits=Html("<br>").join(esc(c) for c in credits),
    )


def _point_features(rows: pd.DataFrame) -> list[dict]:
    features = []
    for row in rows.to_dict("records"):
        dataset = row["dataset"]
        precision = None if blank(row["geo_precision"]) else int(row["geo_precision"])
        radius = PRECISION_KM.get(dataset, {}).get(precision or 0, 0)
        properties = {
            "kind": "imported",
            "id": f"{dataset}:{row['event_id']}",
            "shape": "circle",
            "colour": TYPE_COLOURS.get(row["event_type"] or "", OTHER_COLOUR),
            "radius_m": radius * 1000,
            "vague": radius > 0,
            "tooltip": _tooltip(row),
            "popup": popup_html(row),
        }
        features.append(point_feature(row["lat"], row["lon"], properties))
    return features


def when_words(row: dict) -> str:
    """An imported event's date (or span) in words with its precision as the dataset gives it."""
    start, end = str(row["date_start"]), str(row["date_end"])
    words = (
        format_date(start, "day")
        if start == end
        else f"{format_date(start, 'day')} – {format_date(end, 'day')}"
    )
    precision = None if blank(row["time_precision"]) else int(row["time_precision"])
    exact = DATASETS[row["dataset"]].precision_words.get(precision or 0)
    return f"{words} ({exact})" if exact else words


def deaths_words(row: dict) -> str:
    """An imported event's fatalities as the dataset states them (with UCDP's low and high)."""
    if blank(row["fatalities"]):
        return "fatalities not given"
    figure = format_figure(
        row["fatalities_low"], row["fatalities"], row["fatalities_high"], "", "people_killed"
    )
    return f"{figure} (as {DATASETS[row['dataset']].name} reports)"


def _tooltip(row: dict) -> Html:
    return html(
        "<b>{}</b><br>{}<br>{}",
        row["sub_event_type"] or row["event_type"] or "Event",
        when_words(row),
        row["location"] or row["admin2"] or row["province"] or "",
    )


def popup_html(row: dict) -> Html:
    """One imported event: what, when, where, who, fatalities, the dataset's notes and its credit."""
    info = DATASETS[row["dataset"]]
    notes = str(row["notes"] or "")
    if len(notes) > NOTE_CHARS:
        notes = notes[:NOTE_CHARS].rsplit(" ", 1)[0] + " …"
    precision = None if blank(row["geo_precision"]) else int(row["geo_precision"])
    where = ", ".join(str(v) for v in (row["location"], row["admin2"], row["admin1"], row["country"]) if v)
    actors = " – ".join(str(v) for v in (row["actor1"], row["actor2"]) if v)
    status = " · withdrawn from the source" if row["status"] == "withdrawn" else ""
    return html(
        "<h4>{kind}</h4><div class='dm-meta'>{dataset} event {id}{status}</div>"
        "<div class='dm-record'><b>{when}</b><br>{where} ({place})<br>{actors}<br><b>{deaths}</b>"
        "<blockquote>{notes}</blockquote>"
        "<div class='dm-meta'>Source(s): {source}<br>Data: {credit}</div></div>",
        kind=" · ".join(str(v) for v in (row["event_type"], row["sub_event_type"]) if v) or "Event",
        dataset=info.name,
        id=row["event_id"],
        status=status,
        when=when_words(row),
        where=where,
        place=info.place_words.get(precision or 0, "location precision not given"),
        actors=actors,
        deaths=deaths_words(row),
        notes=notes,
        source=row["source"] or "not given",
        credit=info.attribution,
    )


def _tooltip_counts(name: str, events: int, deaths: int) -> Html:
    return html(
        "<b>{}</b><br>{} imported event(s), {} fatalities", name, format_number(events), format_number(deaths)
    )


def _hex_features(cur, cond: Condition, resolution: int) -> list[dict]:
    cells = aggregate.by_hexagon(cur, cond, resolution)
    while len(cells) > CELL_LIMIT and resolution > 3:
        resolution -= 1
        cells = aggregate.by_hexagon(cur, cond, resolution)
    top = float(cells["events"].max()) if len(cells) else 0.0
    features = []
    for cell, events, deaths in cells.itertuples(index=False):
        boundary = [
            [round(lon, 4), round(lat, 4)] for lat, lon in h3.cell_to_boundary(h3.int_to_str(int(cell)))
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "imported-area",
                    "id": h3.int_to_str(int(cell)),
                    "style": {
                        "color": "#54278f",
                        "weight": 0.6,
                        "fillColor": shade(events, top),
                        "fillOpacity": 0.7,
                    },
                    "tooltip": _tooltip_counts("Hexagon", int(events), int(deaths)),
                },
                "geometry": {"type": "Polygon", "coordinates": [[*boundary, boundary[0]]]},
            }
        )
    return features


def _province_features(counts: pd.DataFrame, geometry: dict) -> list[dict]:
    by_id = {r["province_id"]: r for r in counts.to_dict("records")}
    top = float(counts["events"].max()) if len(counts) else 0.0

    def props(row: dict) -> dict | None:
        found = by_id.get(row["id"])
        if found is None:
            return None
        return {
            "kind": "imported-area",
            "id": row["id"],
            "style": {
                "color": "#54278f",
                "weight": 1,
                "fillColor": shade(found["events"], top),
                "fillOpacity": 0.65,
            },
            "tooltip": _tooltip_counts(
                str(found["province"]), int(found["events"]), int(found["fatalities"])
            ),
        }

    return frame_features(layer(geometry, "provinces"), props)


def _district_features(counts: pd.DataFrame) -> list[dict]:
    top = float(counts["events"].max()) if len(counts) else 0.0
    features = []
    for row in counts.head(CELL_LIMIT).to_dict("records"):
        size = int(14 + 30 * math.sqrt(row["events"] / top)) if top else 14
        label = html(
            "<span class='ev-bubble' style='display:inline-block;width:{s}px;height:{s}px;"
            "line-height:{s}px;border-radius:50%;text-align:center;background:{c};color:#fff;"
            "opacity:0.85;font-size:10px'>{n}</span>",
            s=size,
            c=shade(row["events"], top),
            n=format_number(row["events"]),
        )
        features.append(
            point_feature(
                row["lat"],
                row["lon"],
                {
                    "kind": "imported-area",
                    "id": f"{row['province_id']}:{row['admin2']}",
                    "html": label,
                    "className": "ev-district",
                    "tooltip": _tooltip_counts(
                        f"{row['admin2']} ({row['province'] or 'outside the provinces'})",
                        int(row["events"]),
                        int(row["fatalities"]),
                    ),
                },
            )
        )
    return features
