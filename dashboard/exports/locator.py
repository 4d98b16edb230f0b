"""The locator inset of a briefing picture: the region's countries, with the map's frame drawn on them.

An SVG drawn here from the basemap's countries (simplified, equirectangular: a locator needs shape,
not accuracy), with Afghanistan shaded and the countries' codes. The map's frame is a rectangle that
``dashboard-map.js`` keeps on the map's bounds (``Panel`` option ``locator``: the projection's
west, north and pixels per degree), so it shows the frame the picture finally has.
"""

from __future__ import annotations

import shapely

from dashboard.mapping import styles
from dashboard.mapping.geo import layer
from dashboard.mapping.text import Html, html, join
from dashboard.model import Dataset

#: Width of the inset in CSS pixels (at type scale 1); the height follows the region's shape.
WIDTH = 170
SIMPLIFY_DEG = 0.08
HIGHLIGHT = "AFG"


def _path(geom: object, west: float, north: float, k: float) -> str:
    """SVG path data of a (multi)polygon; numbers only."""
    polygons = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    parts = []
    for poly in polygons:
        for ring in (poly.exterior,):
            coords = [f"{(x - west) * k:.1f},{(north - y) * k:.1f}" for x, y in ring.coords]
            if len(coords) > 2:
                parts.append("M" + " L".join(coords) + " Z")
    return " ".join(parts)


def locator(ds: Dataset) -> tuple[Html, dict] | None:
    """(SVG, projection) of the inset, or None when the data folder has no countries."""
    frame = layer(ds.geometry, "countries")
    if frame.empty:
        return None
    west, south, east, north = (float(v) for v in frame.total_bounds)
    k = WIDTH / (east - west)
    height = round((north - south) * k)
    shapes = []
    for row in frame.itertuples():
        geom = shapely.simplify(row.geometry, SIMPLIFY_DEG, preserve_topology=True)
        if geom.is_empty:
            continue
        fill = "#e2d3b5" if row.id == HIGHLIGHT else styles.LAND
        shapes.append(
            html(
                "<path d='{}' fill='{}' stroke='#8c8c8c' stroke-width='0.6'/>",
                _path(geom, west, north, k),
                fill,
            )
        )
    labels = []
    for row in frame.itertuples():
        at = row.geometry.representative_point()
        if at.is_empty or not str(row.id).isalpha():
            continue
        labels.append(
            html(
                "<text x='{:.1f}' y='{:.1f}' font-size='9' text-anchor='middle' fill='#555'>{}</text>",
                (at.x - west) * k,
                (north - at.y) * k,
                str(row.id)[:3],
            )
        )
    svg = html(
        "<svg class='dm-locator-map' xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w} {h}' width='{w}' "
        "height='{h}'><rect width='{w}' height='{h}' fill='{water}'/>{shapes}{labels}"
        "<rect class='dm-locator-frame' x='0' y='0' width='0' height='0' fill='rgba(200,30,30,0.15)' "
        "stroke='#c81e1e' stroke-width='1.5'/></svg>",
        w=WIDTH,
        h=height,
        water=styles.WATER,
        shapes=join("", shapes),
        labels=join("", labels),
    )
    return svg, {"west": west, "north": north, "k": k, "width": WIDTH, "height": height}
