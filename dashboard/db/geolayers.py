"""A GeoJSON file as a layer of feature rows, and back to a file.

Each feature becomes one row: its id (as the validator reads it), its id member as written, its
properties (and their order, which jsonb does not keep), its geometry exactly as written (PostGIS makes
the ``geom`` column from it) and any other member. The collection's own members (``attribution``...)
are kept in their order. A file comes back equal as data; written the way ``scripts/build_geodata.py``
writes the bundled files (one feature a line), it comes back byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dashboard.validate import feature_id

#: Members of a feature kept in their own columns; any other goes to ``extra``.
_FEATURE_MEMBERS = ("type", "id", "properties", "geometry")


@dataclass(frozen=True)
class FeatureRow:
    """One feature as stored in ``curated.features``."""

    id: str | None
    id_member: Any
    has_id: bool
    properties: dict | None
    property_names: list[str] | None
    geometry: Any
    extra: dict[str, Any]


def parse(data: bytes) -> tuple[dict[str, Any], list[FeatureRow]]:
    """The collection's members (but ``type`` and ``features``) and its features as rows."""
    doc = json.loads(data.decode("utf-8"))
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise ValueError("not a GeoJSON FeatureCollection")
    members = {k: v for k, v in doc.items() if k not in ("type", "features")}
    rows = []
    for feature in doc["features"]:
        properties = feature.get("properties")
        rows.append(
            FeatureRow(
                id=feature_id(feature),
                id_member=feature.get("id"),
                has_id="id" in feature,
                properties=properties,
                property_names=list(properties) if isinstance(properties, dict) else None,
                geometry=feature.get("geometry"),
                extra={k: v for k, v in feature.items() if k not in _FEATURE_MEMBERS},
            )
        )
    return members, rows


def feature(row: FeatureRow) -> dict[str, Any]:
    """The GeoJSON feature of a stored row, members in the usual order."""
    out: dict[str, Any] = {"type": "Feature"}
    if row.has_id:
        out["id"] = row.id_member
    properties = row.properties
    if isinstance(properties, dict) and row.property_names is not None:
        properties = {name: properties[name] for name in row.property_names if name in properties}
    out["properties"] = properties
    out["geometry"] = row.geometry
    out.update(row.extra)
    return out


def render(members: dict[str, Any], rows: list[FeatureRow]) -> bytes:
    """The file: the collection's members one a line, then one feature a line (reviewable diffs)."""
    head = ['{"type":"FeatureCollection",']
    head += [f"{json.dumps(name, ensure_ascii=False)}:{_compact(value)}," for name, value in members.items()]
    lines = [_compact(feature(row)) for row in rows]
    return ("\n".join(head) + '\n"features":[\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
