"""Places: coordinates inside their country's box (or the region's), geometry references that resolve,
location precision codes with UCDP's meanings, and border points on their drawn line.

The boxes come from ``country_bounds.csv``, whose schema is the ``country_bounds`` resource of the data
package. A point outside its box is usually a typo or swapped lat/lon, which the message points out.

``location_precision`` is UCDP GED's ``where_prec``: 1 exact place, 2 within ~25 km, 3 second-order
division, 4 province, 5 part of a country larger than a province (or a border or river), 6 country, 7
international waters or air space. Each kind of place allows the codes in ``PRECISION_BY_KIND``; a
region of one country is 5, one spanning several countries 6 (the scale has nothing coarser on land).

A place whose kind is ``border`` or ``river`` and which names a drawn line (``geometry_ref``) must lie
within ``LINE_TOLERANCE_KM`` of it: records placed "on the border" are drawn at that point.
"""

from __future__ import annotations

import math
import re

import shapely.geometry
import shapely.ops

from dashboard.validate.geojson import feature_id, geometry_problems
from dashboard.validate.problems import Collector
from dashboard.validate.tables import Table, number

#: Box (min_lon, min_lat, max_lon, max_lat) for places without a country: borders and regions.
REGION_BOX = (20.0, 20.0, 80.0, 60.0)

_GEOMETRY_REF = re.compile(r"([A-Za-z0-9_.-]+\.geojson)#(.+)")

Box = tuple[float, float, float, float]

#: UCDP precision codes each kind of place may have (regions: see ``_allowed``).
PRECISION_BY_KIND: dict[str, tuple[int, ...]] = {
    "country": (6,),
    "province": (4,),
    "city": (1, 2),
    "capital": (1, 2),
    "town": (1, 2),
    "military_base": (1, 2),
    "border": (5,),
    "river": (5,),
}
_PRECISION_WORDS = {
    1: "an exact place",
    2: "within ~25 km of a known point",
    3: "a second-order division",
    4: "a province",
    5: "part of a country larger than a province, or a border or river",
    6: "a country",
    7: "international waters or air space",
}
#: How far (km) a border or river point may lie from its drawn line.
LINE_TOLERANCE_KM = 5.0
_EARTH_RADIUS_KM = 6371.0088


def check_places(
    tables: dict[str, Table],
    feature_ids: dict[str, set[str] | None],
    out: Collector,
    features: dict[str, list[dict]] | None = None,
) -> None:
    """Check each place's coordinates against its box, its ``geometry_ref`` against the GeoJSON, its
    precision code against its kind, and (given ``features``, by GeoJSON file name) a border or river
    point against its line."""
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
            elif row.get("kind") in ("border", "river"):
                # a point outside its box is reported once, above, not again for its distance to the line
                _check_on_line(places.file, n, row.get("geometry_ref", ""), (lat, lon), features or {}, out)
        _check_geometry_ref(places.file, n, row.get("geometry_ref", ""), feature_ids, out)
        _check_precision(places.file, n, row, out)


def _allowed(row: dict[str, str]) -> tuple[int, ...]:
    if row.get("kind") == "region":
        return (5,) if row.get("country") else (6,)
    return PRECISION_BY_KIND.get(row.get("kind", ""), tuple(_PRECISION_WORDS))


def _check_precision(file: str, n: int, row: dict[str, str], out: Collector) -> None:
    """The precision code means, on UCDP's scale, what the place is."""
    try:
        code = int(row.get("location_precision", ""))
    except ValueError:
        return  # reported by the schema
    allowed = _allowed(row)
    if code in _PRECISION_WORDS and code not in allowed:
        kind = row.get("kind", "")
        if kind == "region":
            kind = "region of one country" if row.get("country") else "region spanning several countries"
        wanted = " or ".join(f"{c} ({_PRECISION_WORDS[c]})" for c in allowed)
        out.add(
            file,
            n,
            "location_precision",
            f"{code} means {_PRECISION_WORDS[code]} on UCDP's scale; a {kind} is {wanted}",
        )


def _check_on_line(
    file: str, n: int, ref: str, point: tuple[float, float], features: dict[str, list[dict]], out: Collector
) -> None:
    """A border or river point lies within ``LINE_TOLERANCE_KM`` of the line it names."""
    match = _GEOMETRY_REF.fullmatch(ref)
    if match is None:
        return
    feature = next((f for f in features.get(match.group(1)) or [] if feature_id(f) == match.group(2)), None)
    if feature is None or geometry_problems(feature.get("geometry")):
        return  # a reference that does not resolve, or a broken geometry, is reported already
    line = shapely.geometry.shape(feature["geometry"])
    lat, lon = point
    nearest = shapely.ops.nearest_points(line, shapely.geometry.Point(lon, lat))[0]
    distance = _haversine_km(lat, lon, nearest.y, nearest.x)
    if distance > LINE_TOLERANCE_KM:
        out.add(
            file,
            n,
            "lat",
            f"({lat:g}, {lon:g}) lies {distance:.0f} km from the line {ref} it stands for (more than "
            f"{LINE_TOLERANCE_KM:g} km); the nearest point of the line is ({nearest.y:.5f}, {nearest.x:.5f})",
        )


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(h))


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
