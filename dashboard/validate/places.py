"""Places: coordinates inside their country's box (or the region's), and geometry references that resolve.

The boxes come from ``country_bounds.csv``, whose schema is the ``country_bounds`` resource of the data
package. A point outside its box is usually a typo or swapped lat/lon, which the message points out.
"""

from __future__ import annotations

import re

from dashboard.validate.problems import Collector
from dashboard.validate.tables import Table, number

#: Box (min_lon, min_lat, max_lon, max_lat) for places without a country: borders and regions.
REGION_BOX = (20.0, 20.0, 80.0, 60.0)

_GEOMETRY_REF = re.compile(r"([A-Za-z0-9_.-]+\.geojson)#(.+)")

Box = tuple[float, float, float, float]


def check_places(tables: dict[str, Table], feature_ids: dict[str, set[str] | None], out: Collector) -> None:
    """Check each place's coordinates against its box and its ``geometry_ref`` against the GeoJSON."""
    places = tables.get("places")
    if places is None:
        return
    bounds_table = tables.get("country_bounds")
    boxes = _bounds(bounds_table)
    for n, row in places.rows:
        lat, lon, country = number(row, "lat"), number(row, "lon"), row.get("country", "")
        if lat is not None and lon is not None:
            if country:
                box = boxes.get(country)
                label = f"the box of {country} in country_bounds.csv"
                if box is None and bounds_table is not None:
                    out.add(places.file, n, "country", f"{country} has no box in {bounds_table.file}")
            else:
                box, label = REGION_BOX, "the region box (lon 20 to 80, lat 20 to 60)"
            if box is not None and not _inside(box, lon, lat):
                if _inside(box, lat, lon):
                    message = f"looks like swapped lat/lon: ({lat:g}, {lon:g}) lies outside {label}"
                else:
                    message = f"lat {lat:g}, lon {lon:g} lies outside {label}"
                out.add(places.file, n, "lat", message)
        _check_geometry_ref(places.file, n, row.get("geometry_ref", ""), feature_ids, out)


def _inside(box: Box, lon: float, lat: float) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def _bounds(table: Table | None) -> dict[str, Box]:
    """Country boxes by ISO code; rows with a bad number are skipped (their cells are reported)."""
    boxes = {}
    for _, row in table.rows if table else []:
        values = [number(row, name) for name in ("min_lon", "min_lat", "max_lon", "max_lat")]
        if row.get("id") and all(v is not None for v in values):
            boxes[row["id"]] = tuple(values)
    return boxes


def _check_geometry_ref(
    file: str, n: int, ref: str, feature_ids: dict[str, set[str] | None], out: Collector
) -> None:
    """``file.geojson#feature-id`` names a GeoJSON file of the data folder and a feature in it."""
    if not ref:
        return
    match = _GEOMETRY_REF.fullmatch(ref)
    if match is None:
        out.add(file, n, "geometry_ref", f"{ref!r} is not of the form 'file.geojson#feature-id'")
    elif match.group(1) not in feature_ids:
        out.add(file, n, "geometry_ref", f"{match.group(1)} is not a GeoJSON file in the data folder")
    elif feature_ids[match.group(1)] is not None and match.group(2) not in feature_ids[match.group(1)]:
        # An unreadable file (None) was reported already; its features cannot be looked up.
        out.add(file, n, "geometry_ref", f"no feature with id {match.group(2)!r} in {match.group(1)}")
