"""A factory that writes a tiny, valid data folder (``geodata/``) and documents folder (``seeds/``).

Tests take ``base_tables()``, change what they need, and call ``make_data``; ``raw`` writes exact bytes
for defects a table cannot express (a missing column, a non-UTF-8 byte). The schemas are the project's
own ``datapackage.json`` files, so the tests follow the real contract.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

TEXTS = {
    "d000": (
        "Ministers met in Minsk on Thursday, May 25.\n\n"
        "The minister said: \u201cUp to 6,500 militants are in the northern areas of Afghanistan.\u201d\n"
        "Tajikistan plans to build a new outpost; deliveries are already planned for 2026-2027.\n"
    ),
    "d001": (
        "KabulNow reported, citing TASS, that about 4,000 fighters are in Badakhshan.\n"
        "The Taliban denied the presence of any foreign fighters.\n"
    ),
}

DOCUMENTS = [
    {
        "id": "d000",
        "file": "000_test.txt",
        "title": "Ministers meet",
        "outlet": "Outlet A",
        "author": "A. Writer",
        "url": "https://example.org/a",
        "published": "2023-05",
        "published_precision": "month",
        "published_basis": "Month from the address.",
        "language": "en",
        "translation_note": "",
    },
    {
        "id": "d001",
        "file": "001_test.txt",
        "title": "Fighters in Badakhshan",
        "outlet": "Outlet B",
        "author": "",
        "url": "https://example.org/b",
        "published": "2023-11",
        "published_precision": "month",
        "published_basis": "Month from the address.",
        "language": "en",
        "translation_note": "",
    },
]

PLACES = [
    {
        "id": "afghanistan",
        "name": "Afghanistan",
        "kind": "country",
        "country": "AFG",
        "admin1": "",
        "lat": "34.0",
        "lon": "66.0",
        "location_precision": "6",
        "geometry_ref": "countries.geojson#AFG",
    },
    {
        "id": "badakhshan",
        "name": "Badakhshan",
        "kind": "province",
        "country": "AFG",
        "admin1": "Badakhshan",
        "lat": "37.0",
        "lon": "71.2",
        "location_precision": "4",
        "alt_names": "Badakhshan Province;Badakshan",
    },
    {
        "id": "fayzabad",
        "name": "Fayzabad",
        "kind": "city",
        "country": "AFG",
        "admin1": "Badakhshan",
        "lat": "37.11664",
        "lon": "70.58002",
        "location_precision": "1",
        "geonames_id": "1142170",
    },
    {
        "id": "afg-tjk-border",
        "name": "Tajik-Afghan border",
        "kind": "border",
        "country": "",
        "admin1": "",
        "lat": "37.48636",
        "lon": "69.9",
        "location_precision": "5",
        "geometry_ref": "borders.geojson#afg-tjk-border",
    },
    {
        "id": "dushanbe",
        "name": "Dushanbe",
        "kind": "capital",
        "country": "TJK",
        "admin1": "Dushanbe",
        "lat": "38.53575",
        "lon": "68.77905",
        "location_precision": "1",
    },
    {
        "id": "northern-afghanistan",
        "name": "Northern Afghanistan",
        "kind": "region",
        "country": "AFG",
        "admin1": "",
        "lat": "36.8",
        "lon": "68.5",
        "location_precision": "5",
    },
]

GROUPS = [
    {
        "id": "isis-k",
        "name": "Islamic State Khorasan Province",
        "kind": "militant_group",
        "alt_names": "ISKP",
    },
    {"id": "militants", "name": "Militants (several groups)", "kind": "militant_aggregate"},
]

ACTORS = [
    {
        "id": "minister",
        "name": "A. Minister",
        "kind": "person",
        "role": "Minister of Defence",
        "affiliation": "Russia",
        "country": "RUS",
        "source_reliability": "B",
    },
    {"id": "tass", "name": "TASS", "kind": "news_agency", "affiliation": "", "country": "RUS"},
    {"id": "taliban", "name": "Taliban", "kind": "government", "affiliation": "Taliban", "country": "AFG"},
]

CLAIMS = [
    {
        "id": "c001",
        "topic": "force_strength",
        "subject": "Militants in northern Afghanistan",
        "group": "militants",
        "figure_high": "6500",
        "figure_qualifier": "up_to",
        "unit": "fighters",
        "figure_text": "Up to 6,500",
        "places": "northern-afghanistan",
        "date": "2023-05-25",
        "date_precision": "day",
        "date_qualifier": "as_of",
        "date_basis": "Said at the meeting of Thursday 25 May 2023.",
        "claimant": "minister",
        "stance": "assertion",
        "analyst_confidence": "high",
    },
    {
        "id": "c002",
        "topic": "force_strength",
        "subject": "Fighters in Badakhshan",
        "group": "isis-k",
        "figure_best": "4000",
        "figure_qualifier": "approximately",
        "unit": "fighters",
        "figure_text": "about 4,000",
        "places": "fayzabad;badakhshan",
        "date": "2023-11",
        "date_precision": "month",
        "date_qualifier": "as_of",
        "date_basis": "Article of November 2023.",
        "claimant": "minister",
        "stance": "assertion",
        "notes": "Claim note.",
    },
    {
        "id": "c003",
        "topic": "denial",
        "subject": "Foreign fighters",
        "places": "afghanistan",
        "date": "2023-11",
        "date_precision": "month",
        "date_qualifier": "as_of",
        "date_basis": "Article of November 2023.",
        "claimant": "taliban",
        "stance": "denial",
    },
]

EVENTS = [
    {
        "id": "e001",
        "type": "meeting",
        "event_type": "Strategic developments",
        "sub_event_type": "Other",
        "status": "occurred",
        "title": "Defence ministers meet in Minsk",
        "date": "2023-05-25",
        "date_precision": "day",
        "date_qualifier": "on",
        "date_basis": '"Thursday, May 25", article of May 2023.',
        "location": "dushanbe",
        "places": "dushanbe",
        "participants": "minister",
        "groups": "",
    },
    {
        "id": "e002",
        "type": "programme_milestone",
        "event_type": "Strategic developments",
        "sub_event_type": "Other",
        "status": "planned",
        "title": "Deliveries planned",
        "date": "2026",
        "date_end": "2027",
        "date_precision": "year",
        "date_qualifier": "on",
        "date_basis": '"planned for 2026-2027"',
        "location": "afg-tjk-border",
        "places": "afg-tjk-border",
        "participants": "",
        "groups": "isis-k;militants",
    },
]

REPORTS = [
    {
        "id": "r001",
        "document": "d000",
        "record_kind": "claim",
        "record_id": "c001",
        "quote": "Up to 6,500 militants are in the northern areas of Afghanistan.",
        "info_credibility": "3",
    },
    {
        "id": "r002",
        "document": "d001",
        "record_kind": "claim",
        "record_id": "c002",
        "quote": "about 4,000 fighters are in Badakhshan",
        "relayed_by": "tass",
        "notes": "Report note.",
    },
    {
        "id": "r003",
        "document": "d001",
        "record_kind": "claim",
        "record_id": "c001",
        "quote": "about 4,000 fighters",
        "figure_best": "4000",
        "figure_qualifier": "approximately",
        "unit": "fighters",
        "figure_text": "about 4,000",
        "date": "2023-11",
        "date_precision": "month",
        "date_qualifier": "as_of",
        "date_basis": "Article of November 2023.",
        "relayed_by": "tass",
    },
    {
        "id": "r004",
        "document": "d001",
        "record_kind": "claim",
        "record_id": "c003",
        "quote": "The Taliban denied the presence of any foreign fighters.",
    },
    {
        "id": "r005",
        "document": "d000",
        "record_kind": "event",
        "record_id": "e001",
        "quote": "Ministers met in Minsk on Thursday, May 25.",
    },
    {
        "id": "r006",
        "document": "d000",
        "record_kind": "event",
        "record_id": "e002",
        "quote": "deliveries are already planned for 2026-2027",
    },
]

COUNTRY_BOUNDS = [
    {
        "id": "AFG",
        "name": "Afghanistan",
        "min_lon": "60.5",
        "min_lat": "29.4",
        "max_lon": "74.9",
        "max_lat": "38.5",
    },
    {
        "id": "TJK",
        "name": "Tajikistan",
        "min_lon": "67.3",
        "min_lat": "36.7",
        "max_lon": "75.2",
        "max_lat": "41.1",
    },
    {
        "id": "RUS",
        "name": "Russia",
        "min_lon": "19.6",
        "min_lat": "41.2",
        "max_lon": "180",
        "max_lat": "81.9",
    },
]


def _feature(fid: str, geometry: dict, **props: str) -> dict:
    return {"type": "Feature", "id": fid, "properties": {"name": fid, **props}, "geometry": geometry}


def box_ring(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> list[list[float]]:
    """A closed counter-clockwise rectangle."""
    return [
        [min_lon, min_lat],
        [max_lon, min_lat],
        [max_lon, max_lat],
        [min_lon, max_lat],
        [min_lon, min_lat],
    ]


GEOJSON = {
    "countries.geojson": {
        "type": "FeatureCollection",
        "features": [
            _feature("AFG", {"type": "Polygon", "coordinates": [box_ring(60.5, 29.4, 74.9, 37.5)]}),
            _feature("TJK", {"type": "Polygon", "coordinates": [box_ring(67.3, 37.5, 75.2, 41.1)]}),
        ],
    },
    "borders.geojson": {
        "type": "FeatureCollection",
        "features": [
            _feature(
                "afg-tjk-border",
                {"type": "LineString", "coordinates": [[67.8, 37.2], [70.0, 37.5], [74.9, 37.4]]},
            )
        ],
    },
}


def base_tables() -> dict[str, list[dict[str, str]]]:
    """A fresh, deep copy of the valid tables, keyed by resource name."""
    return copy.deepcopy(
        {
            "places": PLACES,
            "groups": GROUPS,
            "actors": ACTORS,
            "claims": CLAIMS,
            "events": EVENTS,
            "reports": REPORTS,
            "documents": DOCUMENTS,
            "country_bounds": COUNTRY_BOUNDS,
            "audit": [],  # the review trail starts empty
            "retractions": [],
        }
    )


def base_geojson() -> dict[str, dict]:
    """A fresh, deep copy of the valid GeoJSON files, keyed by file name."""
    return copy.deepcopy(GEOJSON)


def _columns(package: Path, name: str) -> list[str]:
    for resource in json.loads(package.read_text(encoding="utf-8"))["resources"]:
        if resource["name"] == name:
            return [f["name"] for f in resource["schema"]["fields"]]
    raise KeyError(f"no resource {name!r} in {package}")


def csv_text(columns: list[str], rows: list[dict[str, str]]) -> str:
    """Rows as CSV text with a header, missing cells empty."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buf.getvalue()


def make_data(
    root: Path,
    tables: dict[str, list[dict[str, str]]] | None = None,
    texts: dict[str, str] | None = None,
    geojson: dict[str, dict] | None = None,
    raw: dict[str, bytes] | None = None,
    remove: tuple[str, ...] = (),
) -> tuple[Path, Path]:
    """Write ``root/geodata`` and ``root/seeds``; return both paths.

    ``tables`` and ``geojson`` replace the whole base set when given; document digests are computed from
    ``texts`` unless a document row sets ``sha256`` itself. ``raw`` maps a path relative to ``root`` to
    bytes written last, over whatever the tables produced; ``remove`` names files (relative to ``root``)
    deleted after that.
    """
    data_dir, seeds_dir = root / "geodata", root / "seeds"
    data_dir.mkdir(parents=True, exist_ok=True)
    seeds_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "geodata" / "datapackage.json", data_dir / "datapackage.json")
    shutil.copy(REPO / "seeds" / "datapackage.json", seeds_dir / "datapackage.json")
    tables = base_tables() if tables is None else tables
    texts = dict(TEXTS) if texts is None else texts
    for row in tables.get("documents", []):
        body = texts.get(row["id"])
        if body is not None:
            (seeds_dir / row["file"]).write_bytes(body.encode("utf-8"))
            row.setdefault("sha256", hashlib.sha256(body.encode("utf-8")).hexdigest())
    for name, rows in tables.items():
        folder, package = (seeds_dir, seeds_dir) if name == "documents" else (data_dir, data_dir)
        columns = _columns(package / "datapackage.json", name)
        (folder / f"{name}.csv").write_text(csv_text(columns, rows), encoding="utf-8")
    for name, doc in (base_geojson() if geojson is None else geojson).items():
        (data_dir / name).write_text(json.dumps(doc), encoding="utf-8")
    for rel, data in (raw or {}).items():
        (root / rel).write_bytes(data)
    for rel in remove:
        (root / rel).unlink()
    return data_dir, seeds_dir


def with_row(table: str, index: int, **changes: str) -> dict:
    """``make_data`` overrides: the base tables with row ``index`` of ``table`` changed."""
    tables = base_tables()
    tables[table][index].update(changes)
    return {"tables": tables}


def table_bytes(
    name: str, columns: list[str] | None = None, rows: list[dict[str, str]] | None = None
) -> bytes:
    """A base table as UTF-8 CSV bytes, with other ``columns`` or ``rows`` when given (for ``raw``)."""
    package = REPO / ("seeds" if name == "documents" else "geodata") / "datapackage.json"
    columns = _columns(package, name) if columns is None else columns
    rows = base_tables()[name] if rows is None else rows
    return csv_text(columns, rows).encode("utf-8")


def package_with(folder: str, change) -> bytes:
    """The project's ``folder/datapackage.json`` with ``change(descriptor)`` applied, as bytes."""
    descriptor = json.loads((REPO / folder / "datapackage.json").read_text(encoding="utf-8"))
    change(descriptor)
    return json.dumps(descriptor).encode("utf-8")


def schema_field(descriptor: dict, resource: str, name: str) -> dict:
    """The field ``name`` of ``resource`` in a parsed descriptor (to change it in place)."""
    fields = next(r for r in descriptor["resources"] if r["name"] == resource)["schema"]["fields"]
    return next(f for f in fields if f["name"] == name)
