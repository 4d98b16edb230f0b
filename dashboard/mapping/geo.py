"""GeoJSON FeatureCollections for the map, with only the properties the browser needs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

import geopandas as gpd
import pandas as pd
import shapely


def collection(features: Iterable[dict]) -> dict:
    """Wrap features in a FeatureCollection."""
    return {"type": "FeatureCollection", "features": list(features)}


def frame_features(frame: gpd.GeoDataFrame, props: Callable[[dict], dict | None]) -> list[dict]:
    """One feature per row whose ``props(row)`` is not None; geometry rounded to ~10 m to keep pages light."""
    out = []
    for row in frame.to_dict("records"):
        properties = props(row)
        geom = row.get("geometry")
        if properties is None or geom is None or geom.is_empty:
            continue
        rounded = shapely.set_precision(geom, 1e-4, mode="pointwise")
        out.append(
            {"type": "Feature", "properties": properties, "geometry": json.loads(shapely.to_geojson(rounded))}
        )
    return out


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
    """Place id -> (layer name, feature id) from ``places.geometry_ref`` ("provinces.geojson#kunduz")."""
    out = {}
    for row in places.itertuples():
        ref = getattr(row, "geometry_ref", "")
        if isinstance(ref, str) and "#" in ref:
            file, fid = ref.split("#", 1)
            out[row.id] = (file.removesuffix(".geojson"), fid)
    return out
