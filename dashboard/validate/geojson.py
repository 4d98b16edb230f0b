"""GeoJSON files checked against RFC 7946.

A FeatureCollection of features with unique ids (the ``id`` member or an ``id`` property, which
``places.csv`` refers to as ``file.geojson#feature-id``); no ``crs`` member, because RFC 7946 fixes WGS 84
longitude, latitude; positions in range; rings closed, with exterior rings counter-clockwise and holes
clockwise; and geometries that shapely finds valid. Properties are what the map shows: an object of
plain values, checked for the characters a data cell may not hold. In problems the row is the feature
number (from 1).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import shapely
import shapely.geometry

from dashboard.validate.characters import character_problems
from dashboard.validate.files import read_regular_file
from dashboard.validate.problems import Collector

_GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


def feature_id(feature: dict) -> str | None:
    """A feature's id: its ``id`` member, else its ``id`` property (as text)."""
    value = feature.get("id")
    if value is None and isinstance(feature.get("properties"), dict):
        value = feature["properties"].get("id")
    return None if value is None else str(value)


@dataclass(frozen=True)
class GeoFile:
    """A GeoJSON file as checked: the ids of its features and the features (both None when unreadable)."""

    ids: set[str] | None
    features: list[dict] | None


def check_geojson(path: Path, out: Collector) -> GeoFile:
    """Check one GeoJSON file against RFC 7946 and the properties the map can show."""
    file = out.name(path)
    doc = _read(path, file, out)
    if doc is None:
        return GeoFile(None, None)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        out.add(file, 0, "type", "must be a FeatureCollection")
        return GeoFile(None, None)
    if "crs" in doc:
        out.add(file, 0, "crs", "RFC 7946 has no 'crs' member; coordinates are WGS 84 longitude, latitude")
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        out.add(file, 0, "features", "no features: nothing was checked")
        return GeoFile(None, None)
    ids: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            out.add(file, number, "type", "must be a Feature")
            continue
        if "crs" in feature:
            out.add(file, number, "crs", "RFC 7946 has no 'crs' member")
        if "id" in feature and not _is_id(feature["id"]):
            out.add(file, number, "id", "a feature id must be a string or a number (RFC 7946)")
        fid = feature_id(feature)
        if fid is None:
            out.add(file, number, "id", "feature has no id")
        elif fid in ids:
            out.add(file, number, "id", f"duplicate feature id {fid!r} (first at feature {ids[fid]})")
        else:
            ids[fid] = number
        for name, message in property_problems(feature.get("properties")):
            out.add(file, number, name, message)
        for message in geometry_problems(feature.get("geometry")):
            out.add(file, number, "geometry", message)
    return GeoFile(set(ids), features)


def _read(path: Path, file: str, out: Collector) -> object | None:
    """The parsed file, or None with the reason reported (never the folder it lies in)."""
    try:
        return json.loads(read_regular_file(path).decode("utf-8"))
    except OSError as exc:
        out.add(file, 0, "", f"cannot read the file: {exc.strerror or type(exc).__name__}")
    except UnicodeDecodeError as exc:
        out.add(file, 0, "", f"not UTF-8 ({exc.reason} at byte {exc.start})")
    except RecursionError:
        out.add(file, 0, "", "not JSON this reader accepts (nested too deeply)")
    except ValueError as exc:  # JSONDecodeError, and integers too long to read
        out.add(file, 0, "", f"not JSON ({exc})")
    return None


def _is_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool))


def property_problems(properties: object) -> list[tuple[str, str]]:
    """(property, message) for what the map cannot show: properties are an object (or null) of texts,
    numbers, booleans and nulls; none is called ``geometry`` (a table of features has that column)."""
    if properties is None:
        return []
    if not isinstance(properties, dict):
        return [("properties", "must be an object or null (RFC 7946)")]
    problems = []
    for name, value in properties.items():
        if name == "geometry":
            problems.append(("properties", "has a property called 'geometry', a name kept for the shape"))
        elif isinstance(value, dict | list):
            problems.append((name, "must be text, a number, true/false or null"))
        elif isinstance(value, str):
            problems.extend((name, message) for message in character_problems(value))
    return problems


def geometry_problems(geometry: object) -> list[str]:
    """What is wrong with a GeoJSON geometry object under RFC 7946 (empty when nothing is)."""
    if not isinstance(geometry, dict):
        return ["missing geometry"]
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list) or not members:
            return ["GeometryCollection without geometries"]
        return [f"member {i}: {m}" for i, g in enumerate(members, 1) for m in geometry_problems(g)]
    if not isinstance(kind, str) or kind not in _GEOMETRY_TYPES:
        return [f"unknown geometry type {str(kind)[:40]!r}"]
    problems = list(_structure_problems(kind, coords))
    if not problems:
        shape = shapely.geometry.shape(geometry)
        if not shape.is_valid:
            problems.append(f"invalid geometry: {shapely.is_valid_reason(shape)}")
    return problems


#: How deeply positions nest in each geometry type's ``coordinates`` (0: the array is one position).
_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def _structure_problems(kind: str, coords: object) -> Iterable[str]:
    """Shape of ``coordinates`` first: range, ring and shapely checks only make sense on a sound array."""
    depth = _DEPTH[kind]
    bad = _bad_nesting(coords, depth)
    if bad:
        yield f"coordinates of a {kind} {bad}"
        return
    yield from _range_problems(coords, depth)
    if kind == "LineString" and len(coords) < 2:
        yield "a LineString needs at least 2 positions"
    if kind == "MultiLineString":
        yield from (
            f"line {i} has fewer than 2 positions" for i, line in enumerate(coords, 1) if len(line) < 2
        )
    if kind == "Polygon":
        yield from _polygon_problems(coords, "")
    if kind == "MultiPolygon":
        for i, polygon in enumerate(coords, 1):
            yield from _polygon_problems(polygon, f"polygon {i}: ")


def _bad_nesting(coords: object, depth: int) -> str:
    """Why ``coords`` is not a non-empty array nested ``depth`` deep around positions ("" when it is)."""
    if depth == 0:
        ok = isinstance(coords, list) and len(coords) in (2, 3) and all(_finite(c) for c in coords)
        return "" if ok else f"must be positions of 2 or 3 numbers (got {str(coords)[:40]})"
    if not isinstance(coords, list) or not coords:
        return "must be non-empty arrays"
    return next((msg for c in coords if (msg := _bad_nesting(c, depth - 1))), "")


def _finite(value: object) -> bool:
    """A JSON number that is a finite float (an integer too long for a float is not)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _positions(coords: list, depth: int) -> Iterable[list[float]]:
    if depth == 0:
        yield coords
    else:
        for c in coords:
            yield from _positions(c, depth - 1)


def _range_problems(coords: list, depth: int) -> Iterable[str]:
    """The first position out of range only: one typo usually shifts a whole feature."""
    for lon, lat, *_ in _positions(coords, depth):
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            yield f"position ({lon:g}, {lat:g}) is outside WGS 84 longitude/latitude ranges"
            return


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace area of a ring in lon/lat: positive when the ring runs counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False)) / 2


def _polygon_problems(rings: list, prefix: str) -> Iterable[str]:
    """Ring length, closure and RFC 7946 winding (counter-clockwise outside, clockwise holes)."""
    for i, ring in enumerate(rings):
        name = f"{prefix}{'exterior ring' if i == 0 else f'hole {i}'}"
        if len(ring) < 4:
            yield f"{name} has {len(ring)} positions; a linear ring needs at least 4"
            continue
        if ring[0][:2] != ring[-1][:2]:
            yield f"{name} is not closed (its first and last positions differ)"
            continue
        area = signed_area(ring)
        if i == 0 and area < 0:
            yield f"{name} is clockwise; RFC 7946 wants exterior rings counter-clockwise"
        if i > 0 and area > 0:
            yield f"{name} is counter-clockwise; RFC 7946 wants holes clockwise"
