"""The offline base map: no tiles, a vector basemap from ``geodata/``, assets from the app or inlined.

What is drawn here does not depend on the filters, so the app can keep it while the filtered layers
change (``st_folium(feature_group_to_add=...)``). Online tile layers exist only when asked for, and
are then added switched off: Leaflet fetches no tile for a layer that is not on the map.
"""

from __future__ import annotations

import re

import folium
from branca.element import Element

from dashboard.assets import AssetLinks
from dashboard.mapping import styles
from dashboard.mapping.elements import JsLayer, MapSetup
from dashboard.mapping.geo import collection, frame_features, layer, point_feature
from dashboard.mapping.text import html
from dashboard.model import Dataset

ONLINE_TILES = (
    (
        "OpenStreetMap (online)",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    (
        "Satellite, Esri World Imagery (online)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Tiles &copy; Esri",
    ),
)


def offline_map(
    links: AssetLinks,
    center: tuple[float, float] = styles.DEFAULT_CENTER,
    zoom: int = styles.DEFAULT_ZOOM,
    width: str | int = "100%",
    height: str | int = "100%",
    image_path: str | None = None,
    setup: dict | None = None,
    zoom_snap: float = 1,
) -> folium.Map:
    """An empty folium map whose every asset link is one of ``links`` (no CDN, no tiles).

    ``setup`` goes to ``DashMap.setup`` in the browser (extent, type scale, framing); ``zoom_snap``
    below 1 lets the map fit its frame to any screen size.
    """
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        width=width,
        height=height,
        min_zoom=styles.MIN_ZOOM,
        max_zoom=styles.MAX_ZOOM,
        control_scale=True,
        zoom_control="bottomright",
        attribution_control=False,
        zoom_snap=zoom_snap,
        zoom_delta=1,
    )
    m.default_js = list(links.js)
    m.default_css = list(links.css)
    MapSetup(styles.WATER, image_path, styles.MIN_ZOOM, styles.MAX_ZOOM, setup).add_to(m)
    return m


def add_basemap(m: folium.Map, ds: Dataset, online_tiles: bool = False) -> None:
    """Countries, province outlines, rivers and place names, from the data folder's GeoJSON."""
    basemap = folium.FeatureGroup(name="Basemap: countries, provinces, rivers (Natural Earth)", show=True)
    countries = frame_features(
        layer(ds.geometry, "countries"),
        lambda row: {
            "style": {
                "color": styles.COUNTRY_LINE,
                "weight": styles.COUNTRY_LINE_WEIGHT,
                "fillOpacity": 1,
                "fillColor": styles.LAND_FOCUS if row["id"] in styles.FOCUS_COUNTRIES else styles.LAND,
            }
        },
    )
    JsLayer("areas", collection(countries), {"interactive": False}, name="countries_base").add_to(basemap)
    provinces = frame_features(
        layer(ds.geometry, "provinces"),
        lambda row: {
            "style": {
                "color": styles.PROVINCE_LINE,
                "weight": styles.PROVINCE_LINE_WEIGHT,
                "dashArray": styles.PROVINCE_DASH,
                "fill": False,
            }
        },
    )
    JsLayer("areas", collection(provinces), {"interactive": False}, name="provinces_base").add_to(basemap)
    rivers = frame_features(
        layer(ds.geometry, "rivers"),
        lambda row: {"style": {"color": styles.RIVER, "weight": styles.RIVER_WEIGHT, "opacity": 0.9}},
    )
    JsLayer("areas", collection(rivers), {"interactive": False}, name="rivers").add_to(basemap)
    JsLayer("labels", collection(place_labels(ds)), {"pane": "dmLabels"}, name="place_labels").add_to(basemap)
    basemap.add_to(m)
    if online_tiles:
        for name, url, attr in ONLINE_TILES:
            # dm_name: how the map's notice names the layer when its tiles cannot load (no internet)
            folium.TileLayer(
                url, name=name, attr=attr, overlay=True, show=False, max_zoom=18, dm_name=name
            ).add_to(m)
    m.get_root().header.add_child(
        Element(html("<style>.leaflet-container {{ background: {}; }}</style>", styles.WATER))
    )


def place_labels(ds: Dataset) -> list[dict]:
    """Names of countries, provinces and towns, placed so that they do not overlap.

    Province names are italic capitals (set apart from a town of the same name) at
    ``styles.PROVINCE_LABEL_AT`` where given; a town's name drops a parenthesis that only repeats its
    kind or province ("Kunduz (city)" -> "Kunduz") and goes left of the dot for ``CITY_LABEL_LEFT``.
    """
    classes = {
        "country": "dm-label-country",
        "province": "dm-label-province",
        "city": "dm-label-city",
        "capital": "dm-label-city",
        "town": "dm-label-city",
    }
    out = []
    rows = ds.places.to_dict("records")
    # Two towns of one name keep their province ("Fayzabad (Badakhshan)", "Fayzabad (Faryab)").
    short = [map_name(r["name"], r.get("admin1")) for r in rows if classes.get(r["kind"]) == "dm-label-city"]
    repeated = {n for n in short if short.count(n) > 1}
    # A town where a base site stands is named by the base's label ("201st base — Dushanbe").
    bases = {(r["lat"], r["lon"]) for r in rows if r["kind"] == "military_base"}
    for row in rows:
        cls = classes.get(row["kind"])
        if cls is None or (cls == "dm-label-city" and (row["lat"], row["lon"]) in bases):
            continue
        lat, lon = row["lat"], row["lon"]
        template = "<span>{}</span>"
        name = row["name"]
        if cls == "dm-label-province":
            lat, lon = styles.PROVINCE_LABEL_AT.get(row["id"], (lat, lon))
        elif cls == "dm-label-city":
            name = map_name(row["name"], row.get("admin1"))
            if name in repeated:
                name = town_with_province(row["name"], row.get("admin1"))
            if row["id"] in styles.CITY_LABEL_LEFT:
                cls, template = "dm-label-city dm-left", "<span>{} ●</span>"
            else:
                template = "<span>● {}</span>"
        out.append(point_feature(lat, lon, {"html": html(template, name), "className": cls}))
    return out


def town_with_province(name: str, admin1: object = None) -> str:
    """A town's name with its province, to tell it from a namesake: "Fayzabad (Faryab)"."""
    plain = re.sub(r"\s*\([^()]*\)$", "", str(name))
    region = str(admin1).strip() if isinstance(admin1, str) and admin1.strip() else ""
    if not region:
        return str(name)
    return f"{plain} ({region})"


def map_name(name: str, admin1: object = None) -> str:
    """A town's name as a map prints it: without a parenthesis naming its kind or its province."""
    match = re.fullmatch(r"(.+?)\s*\(([^()]*)\)", str(name))
    if not match:
        return str(name)
    inner = match.group(2).strip().lower()
    region = str(admin1).strip().lower() if isinstance(admin1, str) else ""
    return match.group(1) if inner in ("city", "town") or (region and inner == region) else str(name)
