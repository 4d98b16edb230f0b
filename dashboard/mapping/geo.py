"""GeoJSON FeatureCollections for the map, with only the properties the browser needs."""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Iterable
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely


def collection(features: Iterable[dict]) -> dict:
    """Wrap features in a FeatureCollection."""
    return {"type": "FeatureCollection", "features": list(features)}


def once_per_frame(memo: dict[int, Any], frame: pd.DataFrame, make: Callable[[Any], Any]) -> Any:
    """``make(frame)``, made once per loaded frame and kept in ``memo`` while the frame lives.

    Keyed on the frame's identity; an entry goes when its frame is collected, so an identity is never
    reused while its entry is kept. What is kept is shared: treat it as read-only.
    """
    key = id(frame)
    if key not in memo:
        memo[key] = make(frame)
        weakref.finalize(frame, memo.pop, key, None)
    return memo[key]


#: Each geometry layer's features as GeoJSON, rounded, per loaded frame: the outlines do not change with
#: the filters, and rounding and converting them on every map build cost more than the rest of a
#: province layer.
_GEOJSON: dict[int, list[dict | None]] = {}


def frame_features(frame: gpd.GeoDataFrame, props: Callable[[dict], dict | None]) -> list[dict]:
    """One feature per row whose ``props(row)`` is not None; geometry rounded to ~10 m to keep pages light.

    The geometry dicts are shared between calls on the same frame: treat them as read-only.
    """
    out = []
    for row, geometry in zip(frame.to_dict("records"), _geojson(frame), strict=True):
        properties = props(row)
        if properties is None or geometry is None:
            continue
        out.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return out


def _geojson(frame: gpd.GeoDataFrame) -> list[dict | None]:
    """The frame's geometries as rounded GeoJSON dicts (None for an empty or missing one)."""
    return once_per_frame(_GEOJSON, frame, _rounded)


def _rounded(frame: gpd.GeoDataFrame) -> list[dict | None]:
    return [
        None
        if geom is None or geom.is_empty
        else json.loads(shapely.to_geojson(shapely.set_precision(geom, 1e-4, mode="pointwise")))
        for geom in (frame.geometry if len(frame) else [])
    ]


def point_feature(lat: float, lon: float, properties: dict) -> dict:
    """A GeoJSON point feature."""
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [round(float(lon), 5), round(float(lat), 5)]},
    }


def layer(ds_geometry: dict[str, gpd.GeoDataFrame], name: str) -> gpd.GeoDataFrame:
    """A geometry layer by file stem ("countries", "provinces", ...); empty when the file is absent."""
    frame = ds_geometry.get(name)
    if frame is None:
        return gpd.GeoDataFrame({"id": pd.Series(dtype=str)}, geometry=[], crs="EPSG:4326")
    return frame


def geometry_ref(places: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Place id -> (layer name, feature id) from ``places.geometry_ref`` ("provinces.geojson#kunduz").

    Made once per places table (as the outlines are): treat the dict as read-only."""
    return once_per_frame(_REFS, places, _geometry_ref)


_REFS: dict[int, dict[str, tuple[str, str]]] = {}


def _geometry_ref(places: pd.DataFrame) -> dict[str, tuple[str, str]]:
    out = {}
    for row in places.itertuples():
        ref = getattr(row, "geometry_ref", "")
        if isinstance(ref, str) and "#" in ref:
            file, fid = ref.split("#", 1)
            out[row.id] = (file.removesuffix(".geojson"), fid)
    return out
