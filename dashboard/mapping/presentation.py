"""Framing: which points a map must show clear of its panels, and the basemap's extent.

The browser frames the map (``DashMap.setup`` in ``dashboard-map.js``): given points sampled over the
focus area, it picks the largest zoom and the centre at which every *required* point is on the map and
under no panel or control (title, legend, sources, scale bar, buttons), with the basemap covering the
whole frame, and among those the view that shows most *optional* points. Sampling the provinces'
interiors, not only their outlines, is what keeps a corner panel from sitting over a province.

Here: the points (the three provinces and the Tajik–Afghan border required; the Uzbek–Afghan border
and the 201st base sites optional), or for a briefing the ones its records name, and the extent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from dashboard.mapping import styles
from dashboard.mapping.geo import geometry_ref, layer
from dashboard.model import Dataset
from dashboard.values import split_ids

#: Points sampled inside each polygon (on a grid) and along each outline or line.
INSIDE_POINTS = 90
EDGE_POINTS = 60


def _round(points: list[tuple[float, float]]) -> list[list[float]]:
    return [[round(lat, 4), round(lon, 4)] for lat, lon in points]


def sample_area(
    geom: object, inside: int = INSIDE_POINTS, edge: int = EDGE_POINTS
) -> list[tuple[float, float]]:
    """(lat, lon) points over a polygon: about ``inside`` on a grid within it, ``edge`` along its outline."""
    if geom is None or geom.is_empty:
        return []
    west, south, east, north = geom.bounds
    step = max(((east - west) * (north - south) / max(inside, 1)) ** 0.5, 1e-3)
    xs, ys = np.meshgrid(np.arange(west + step / 2, east, step), np.arange(south + step / 2, north, step))
    xs, ys = xs.ravel(), ys.ravel()
    keep = shapely.contains_xy(geom, xs, ys)
    points = [(float(y), float(x)) for x, y in zip(xs[keep], ys[keep], strict=True)]
    return points + sample_line(geom.boundary, edge)


def sample_line(geom: object, count: int = EDGE_POINTS) -> list[tuple[float, float]]:
    """(lat, lon) points spread evenly along a line (or an outline), both ends included."""
    if geom is None or geom.is_empty:
        return []
    out = []
    for fraction in np.linspace(0, 1, max(count, 2)):
        point = geom.interpolate(float(fraction), normalized=True)
        out.append((point.y, point.x))
    return out


def _features(ds: Dataset, name: str, ids: tuple[str, ...]) -> list[object]:
    frame = layer(ds.geometry, name)
    if frame.empty:
        return []
    refs = {pid: fid for pid, (file, fid) in geometry_ref(ds.places).items() if file == name}
    wanted = {refs.get(i, i) for i in ids}
    return [g for fid, g in zip(frame["id"], frame.geometry, strict=True) if fid in wanted]


def _base_points(ds: Dataset, ids: tuple[str, ...] | None = None) -> list[tuple[float, float]]:
    bases = ds.places[ds.places["kind"] == "military_base"]
    if ids is not None:
        bases = bases[bases["id"].isin(ids)]
    return [(float(r.lat), float(r.lon)) for r in bases.itertuples()]


def focus_points(ds: Dataset, whole: bool = True) -> dict[str, list[list[float]]]:
    """The focus area to frame, clear of every panel: the three provinces and the Tajik–Afghan border,
    and the Uzbek–Afghan border and the 201st base sites (Dushanbe, Bokhtar), required when ``whole``
    (a full-screen map has room for them), else shown when there is room (the explore view)."""
    required = [p for g in _features(ds, "provinces", styles.FOCUS_PROVINCES) for p in sample_area(g)]
    required += [p for g in _features(ds, "borders", styles.FOCUS_BORDERS) for p in sample_line(g)]
    near = [p for g in _features(ds, "borders", styles.NEAR_BORDERS) for p in sample_line(g, 30)]
    near += _base_points(ds)
    if whole:
        return {"required": _round(required + near), "optional": []}
    return {"required": _round(required), "optional": _round(near)}


def data_points(ds: Dataset, flat: pd.DataFrame) -> dict[str, list[list[float]]]:
    """What a briefing's records name, to frame: the focus provinces and borders they name (required),
    and their placed records inside the basemap (optional). The whole focus area when they name none."""
    named = set()
    for column in ("places", "provinces"):
        if column in flat.columns:
            for value in pd.unique(flat[column].dropna()):
                named.update(split_ids(value))
    names = dict(zip(ds.places["id"], ds.places["name"], strict=True))
    provinces = tuple(p for p in styles.FOCUS_PROVINCES if p in named or names.get(p) in named)
    borders = tuple(b for b in styles.FOCUS_BORDERS if b in named)
    if not provinces and not borders:
        return focus_points(ds)
    required = [p for g in _features(ds, "provinces", provinces) for p in sample_area(g)]
    required += [p for g in _features(ds, "borders", borders) for p in sample_line(g)]
    near = tuple(b for b in styles.NEAR_BORDERS if b in named)
    optional = [p for g in _features(ds, "borders", near) for p in sample_line(g, 30)]
    south, west, north, east = extent(ds) or (-90, -180, 90, 180)
    if {"lat", "lon"} <= set(flat.columns):
        placed = flat[["lat", "lon"]].dropna().drop_duplicates()
        inside = placed[placed["lat"].between(south, north) & placed["lon"].between(west, east)]
        optional += [(float(a), float(b)) for a, b in zip(inside["lat"], inside["lon"], strict=True)]
    return {"required": _round(required), "optional": _round(optional)}


def extent(ds: Dataset) -> list[float] | None:
    """[south, west, north, east] of the basemap (the countries drawn), or None when there is none."""
    frame = layer(ds.geometry, "countries")
    if frame.empty:
        return None
    west, south, east, north = (float(v) for v in frame.total_bounds)
    return [south, west, north, east]


def bbox_of(points: dict[str, list[list[float]]]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) around the required points (for a renderer that cannot fit itself)."""
    pts = points.get("required") or []
    if not pts:
        return None
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    return min(lons), min(lats), max(lons), max(lats)
