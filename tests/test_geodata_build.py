"""Tests of the committed basemap files in geodata/ and of the pure functions of scripts/build_geodata.py.

The committed files are checked as they are (no download); the build helpers on tiny synthetic shapes.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Polygon, box, shape

ROOT = Path(__file__).resolve().parents[1]
GEODATA = ROOT / "geodata"
GEOJSON_FILES = ("countries", "provinces", "borders", "rivers")

_spec = importlib.util.spec_from_file_location("build_geodata", ROOT / "scripts" / "build_geodata.py")
bg = importlib.util.module_from_spec(_spec)
sys.modules["build_geodata"] = bg  # dataclasses look their module up here
_spec.loader.exec_module(bg)


def _load(name: str) -> dict:
    return json.loads((GEODATA / f"{name}.geojson").read_text(encoding="utf-8"))


def _features(name: str) -> dict[str, dict]:
    return {f["id"]: f for f in _load(name)["features"]}


def _geoms(name: str) -> dict[str, shapely.Geometry]:
    return {fid: shape(f["geometry"]) for fid, f in _features(name).items()}


def _signed_area(ring: list) -> float:
    # Shoelace formula, written out here so the test does not trust the code it checks.
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _positions(coords):
    if isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _positions(c)


# --------------------------------------------------------------------------- committed files


@pytest.mark.parametrize("name", GEOJSON_FILES)
def test_geojson_is_rfc7946(name):
    doc = _load(name)
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert "Natural Earth" in doc["attribution"]
    assert doc["features"], f"{name}.geojson has no features"
    ids = [f["id"] for f in doc["features"]]
    assert len(ids) == len(set(ids)), f"duplicate ids in {name}.geojson"
    for f in doc["features"]:
        assert f["type"] == "Feature"
        assert f["properties"]["id"] == f["id"]
        geom = shape(f["geometry"])
        assert geom.is_valid, f"{name}#{f['id']}: {shapely.is_valid_reason(geom)}"
        assert not geom.is_empty
        for x, y in _positions(f["geometry"]["coordinates"]):
            assert -180 <= x <= 180 and -90 <= y <= 90
            assert round(x, 5) == x and round(y, 5) == y, f"{name}#{f['id']} has over-precise coordinates"


@pytest.mark.parametrize("name", ("countries", "provinces"))
def test_rings_follow_right_hand_rule(name):
    for f in _load(name)["features"]:
        for poly in _polygons(f["geometry"]):
            assert _signed_area(poly[0]) > 0, f"{name}#{f['id']}: exterior ring is clockwise"
            for hole in poly[1:]:
                assert _signed_area(hole) < 0, f"{name}#{f['id']}: hole is counter-clockwise"


def test_required_ids_present():
    countries = _features("countries")
    provinces = _features("provinces")
    borders = _features("borders")
    for cid in ("AFG", "TJK", "UZB", "KGZ", "TKM", "PAK", "KAZ"):
        assert cid in countries
        assert countries[cid]["properties"]["iso3"] == cid
    for pid in ("badakhshan", "kunduz", "takhar", "gorno-badakhshan", "khatlon"):
        assert pid in provinces
    assert {"afg-tjk-border", "afg-uzb-border"} <= set(borders)


def test_the_two_badakhshans_are_in_their_own_countries():
    provinces = _features("provinces")
    countries = _geoms("countries")
    assert provinces["badakhshan"]["properties"]["country"] == "AFG"
    assert provinces["gorno-badakhshan"]["properties"]["country"] == "TJK"
    for pid, iso3 in (("badakhshan", "AFG"), ("gorno-badakhshan", "TJK")):
        point = shape(provinces[pid]["geometry"]).representative_point()
        assert countries[iso3].contains(point), f"{pid} does not lie in {iso3}"


def test_all_34_afghan_provinces_with_hasc_codes():
    afghan = [f for f in _load("provinces")["features"] if f["properties"]["country"] == "AFG"]
    assert len(afghan) == 34
    # Daykundi and Panjshir (split off in 2004) carry their parents' codes in the source: left empty.
    unsplit = [f for f in afghan if f["id"] not in ("daykundi", "panjshir")]
    assert all(re.fullmatch(r"AF\.[A-Z]{2}", f["properties"]["hasc"]) for f in unsplit)
    assert len({f["properties"]["hasc"] for f in unsplit}) == 32
    assert {f["properties"]["hasc"] for f in afghan} - {f["properties"]["hasc"] for f in unsplit} == {""}


def test_badakhshan_kunduz_takhar_border_tajikistan():
    provinces = _geoms("provinces")
    tjk = _geoms("countries")["TJK"]
    border = _geoms("borders")["afg-tjk-border"]
    for pid in ("badakhshan", "kunduz", "takhar"):
        assert provinces[pid].distance(tjk) < 0.01, f"{pid} does not touch Tajikistan"
        assert provinces[pid].buffer(0.01).intersection(border).length > 0.5
    assert provinces["kabul"].distance(tjk) > 1.0


def test_border_is_the_drawn_shared_edge_of_the_two_countries():
    countries = _geoms("countries")
    for bid, a, b in (("afg-tjk-border", "AFG", "TJK"), ("afg-uzb-border", "AFG", "UZB")):
        line = _geoms("borders")[bid]
        assert line.hausdorff_distance(countries[a].boundary.intersection(line.buffer(1e-4))) < 1e-3
        assert countries[a].boundary.buffer(1e-4).contains(line)
        assert countries[b].boundary.buffer(1e-4).contains(line)


def test_border_lengths_are_measured_on_the_drawn_line():
    geod = Geod(ellps="WGS84")
    borders = _features("borders")
    tjk = borders["afg-tjk-border"]["properties"]
    measured = geod.geometry_length(shape(borders["afg-tjk-border"]["geometry"])) / 1000
    assert tjk["length_km_measured"] == round(measured)
    assert 1000 <= tjk["length_km_measured"] <= 1400
    assert tjk["countries"] == "AFG;TJK"
    assert tjk["measured_on"] == "Natural Earth 1:10m, simplified as drawn"
    parts = [tjk[f"length_km_{p}"] for p in ("badakhshan", "kunduz", "takhar")]
    assert tjk["length_km_badakhshan"] > tjk["length_km_kunduz"] > 0
    assert tjk["length_km_takhar"] > 0
    assert sum(parts) <= tjk["length_km_measured"] + 2
    uzb = borders["afg-uzb-border"]["properties"]
    assert 100 <= uzb["length_km_measured"] <= 200


def test_geometry_doc_quotes_the_measured_lengths():
    doc = (GEODATA / "GEOMETRY.md").read_text(encoding="utf-8")
    props = _features("borders")["afg-tjk-border"]["properties"]
    for key in ("length_km_measured", "length_km_badakhshan", "length_km_kunduz", "length_km_takhar"):
        assert f"{props[key]:,} km" in doc, f"GEOMETRY.md does not quote {key} = {props[key]:,} km"
    assert "python scripts/build_geodata.py" in doc


def test_rivers_include_the_border_river():
    rivers = _features("rivers")
    along = [f for f in rivers.values() if f["properties"]["along_border"] == "afg-tjk-border"]
    assert along, "no river line runs along the Tajik-Afghan border"
    border = _geoms("borders")["afg-tjk-border"]
    # The 1:50m Panj stops short of the Pamir river at the eastern end: it covers about 70% of the border.
    assert sum(shape(f["geometry"]).length for f in along) > 0.6 * border.length
    assert all(
        f["properties"]["along_border"] in ("", "afg-tjk-border", "afg-uzb-border") for f in rivers.values()
    )


def test_along_border_needs_most_of_the_line_near_the_border():
    border = {"b": LineString([(0, 0), (10, 0)])}
    assert bg.along_border(LineString([(1, 0.01), (9, 0.02)]), border) == "b"
    assert bg.along_border(LineString([(1, 0.01), (9, 3)]), border) == ""


def test_file_sizes_are_bounded():
    sizes = {name: (GEODATA / f"{name}.geojson").stat().st_size for name in GEOJSON_FILES}
    assert 100_000 <= sum(sizes.values()) <= 350_000, sizes
    assert sizes["borders"] < 30_000


def test_country_bounds_cover_every_country_unclipped():
    with (GEODATA / "country_bounds.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["id", "name", "min_lon", "min_lat", "max_lon", "max_lat"]
        rows = {r["id"]: r for r in reader}
    assert len(rows) >= 200
    for rid, r in rows.items():
        assert re.fullmatch(r"[A-Z]{3}", rid)
        lo_x, lo_y, hi_x, hi_y = (float(r[k]) for k in ("min_lon", "min_lat", "max_lon", "max_lat"))
        assert -180 <= lo_x <= hi_x <= 180 and -90 <= lo_y <= hi_y <= 90, rid
    # Each drawn (clipped) country lies inside its full box; Kazakhstan's box reaches beyond the map.
    for cid, geom in _geoms("countries").items():
        r = rows[cid]
        full = box(float(r["min_lon"]), float(r["min_lat"]), float(r["max_lon"]), float(r["max_lat"]))
        assert full.buffer(0.01).contains(geom), cid
    assert float(rows["KAZ"]["max_lat"]) > 50


# --------------------------------------------------------------------------- pure functions


SQUARES = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    # arc 0: the shared edge (1,0)->(1,1) in grid units; arc 1: rest of the left square; arc 2: right square.
    "arcs": [[[2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2], [2, 0]], [[2, 0], [2, 0], [0, 2], [-2, 0]]],
    "objects": {},
}
LEFT = {"type": "Polygon", "arcs": [[0, 1]]}
RIGHT = {"type": "Polygon", "arcs": [[2, -1]]}


def test_decode_arcs_applies_delta_and_transform():
    arcs = bg.decode_arcs(SQUARES)
    assert arcs[0] == [(11.0, 20.0), (11.0, 21.0)]
    assert arcs[1][-1] == (11.0, 20.0)


def test_topo_geometry_follows_reversed_arcs():
    arcs = bg.decode_arcs(SQUARES)
    right = bg.topo_geometry(RIGHT, arcs)
    assert right.is_valid
    assert right.equals(box(11, 20, 12, 21))
    assert bg.topo_geometry(LEFT, arcs).equals(box(10, 20, 11, 21))


def test_shared_border_takes_arcs_used_by_both():
    arcs = bg.decode_arcs(SQUARES)
    line = bg.shared_border(LEFT, RIGHT, arcs)
    assert line.equals(LineString([(11, 20), (11, 21)]))
    lone = {"type": "Polygon", "arcs": [[1]]}
    assert bg.shared_border(lone, RIGHT, arcs).is_empty


def test_shared_boundary_of_adjacent_polygons():
    line = bg.shared_boundary(box(0, 0, 1, 1), box(1, 0, 2, 1))
    assert line.equals(LineString([(1, 0), (1, 1)]))
    # Touching at a single corner is not a border.
    assert bg.shared_boundary(box(0, 0, 1, 1), box(1, 1, 2, 2)).is_empty


def test_orient_rfc7946_makes_exteriors_counter_clockwise():
    clockwise = Polygon([(0, 0), (0, 4), (4, 4), (4, 0)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    assert not bg.is_rfc7946_oriented(clockwise)
    fixed = bg.orient_rfc7946(clockwise)
    assert bg.is_rfc7946_oriented(fixed)
    assert fixed.exterior.is_ccw and not fixed.interiors[0].is_ccw
    assert fixed.equals(clockwise)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Gorno-Badakhshan", "gorno-badakhshan"),
        ("Sari Pul", "sari-pul"),
        ("Badakhshan", "badakhshan"),
        ("Côte d'Ivoire", "cote-d-ivoire"),
    ],
)
def test_slugify(name, slug):
    assert bg.slugify(name) == slug


def test_slugify_rejects_names_without_letters():
    with pytest.raises(bg.BuildError):
        bg.slugify("—")


def test_length_by_region_partitions_the_line():
    line = LineString([(0, 0), (1, 0), (2, 0), (3, 0)])
    regions = {"west": box(-1, -1, 1.5, 1), "east": box(1.5, -1, 4, 1)}
    split = bg.length_by_region(line, regions)
    total = bg.geodesic_km(line)
    assert split["west"] + split["east"] == pytest.approx(total)
    assert split["east"] == pytest.approx(total / 3, rel=1e-3)
    assert 333 < total < 335  # three degrees along the equator


def test_make_coverage_removes_overlaps_and_keeps_edges_shared():
    a, b = box(0, 0, 2, 2), box(1.5, 0.5, 3, 1.5)
    assert not shapely.coverage_is_valid([a, b])
    fixed = bg.make_coverage([a, b])
    assert shapely.coverage_is_valid(fixed)
    assert fixed[0].equals(a)
    assert fixed[1].equals(box(2, 0.5, 3, 1.5))


def test_clip_and_simplify_keeps_neighbours_meeting():
    zigzag = [(1 + (0.001 if k % 2 else 0), k / 10) for k in range(11)]
    left = Polygon([(0, 0), *zigzag, (0, 1)])
    right = Polygon([(2, 0), (2, 1), *reversed(zigzag)])
    out = bg.clip_and_simplify_coverage({"l": left, "r": right}, 0.01, box(0, 0, 1.8, 1))
    assert shapely.coverage_is_valid(list(out.values()))
    assert len(out["l"].exterior.coords) < len(left.exterior.coords)
    assert bg.shared_boundary(out["l"], out["r"]).length == pytest.approx(1.0, abs=0.01)
    assert out["r"].bounds[2] == pytest.approx(1.8)
    assert all(bg.is_rfc7946_oriented(g) for g in out.values())


def test_country_code_lookup():
    rows = [
        {
            "NAME": "France",
            "ADM0_A3": "FRA",
            "ISO_A3": "-99",
            "ISO_A3_EH": "FRA",
            "ISO_N3": "-99",
            "ISO_N3_EH": "250",
        },
        {
            "NAME": "Indian Ocean Ter.",
            "ADM0_A3": "IOA",
            "ISO_A3": "-99",
            "ISO_A3_EH": "AUS",
            "ISO_N3": "-99",
            "ISO_N3_EH": "036",
        },
        {
            "NAME": "Republic of Korea",
            "ADM0_A3": "KOR",
            "ISO_A3": "KOR",
            "ISO_A3_EH": "KOR",
            "ISO_N3": "410",
            "ISO_N3_EH": "410",
        },
    ]
    assert bg._code_for("France", "250", rows) == ("FRA", "FRA")
    assert bg._code_for("South Korea", "410", rows) == ("KOR", "KOR")
    assert bg._code_for("Indian Ocean Ter.", None, rows) == ("IOA", "")
    assert bg._code_for("Siachen Glacier", None, rows) == ("KAS", "")
    with pytest.raises(bg.BuildError):
        bg._code_for("Atlantis", None, rows)
