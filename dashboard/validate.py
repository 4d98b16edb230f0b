"""Collect-all validation of a data folder (``geodata/``) and its documents (``seeds/``).

Every check runs and every problem is collected; nothing stops at the first one. Each problem names the
file, the spreadsheet row (the header is row 1, so the first data row is row 2; 0 for the file as a
whole), the field and what is wrong: ``geodata/claims.csv:7:unit: ...``. In GeoJSON files the row is
the feature number (the first feature is 1) and the field is ``geometry`` or the property concerned.

Validation also fails when nothing was checked: a missing or empty table is a problem.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import shapely
import shapely.geometry

from dashboard import dates
from dashboard.schema import Field, Resource, load_package

#: Tables counted in the success line, in this order (documents come from seeds/).
COUNTED_TABLES = ("places", "groups", "actors", "claims", "events", "reports", "documents")

#: Columns holding ';'-separated values; those mapped to a table hold ids of that table.
MULTI_VALUED: dict[tuple[str, str], str | None] = {
    ("claims", "group"): "groups",
    ("claims", "places"): "places",
    ("events", "places"): "places",
    ("events", "participants"): "actors",
    ("events", "groups"): "groups",
    ("reports", "relayed_by"): "actors",
    ("places", "alt_names"): None,
    ("groups", "alt_names"): None,
}

#: Single-valued references (the schema's foreignKeys add to these).
SINGLE_REFS: dict[tuple[str, str], str] = {
    ("claims", "claimant"): "actors",
    ("claims", "event"): "events",
    ("reports", "document"): "documents",
}

#: Events of this type may be dated after the documents that report them (plans, deliveries).
FUTURE_EVENT_TYPES = frozenset({"programme_milestone"})

#: Box (min_lon, min_lat, max_lon, max_lat) for places without a country: borders and regions.
REGION_BOX = (20.0, 20.0, 80.0, 60.0)

#: ``country_bounds.csv`` layout, used when the data package does not describe it.
BOUNDS_RESOURCE = Resource(
    name="country_bounds",
    path="country_bounds.csv",
    fields=(
        Field("id", required=True, unique=True, pattern="[A-Z]{3}"),
        Field("name"),
        Field("min_lon", "number", required=True, minimum=-180, maximum=180),
        Field("min_lat", "number", required=True, minimum=-90, maximum=90),
        Field("max_lon", "number", required=True, minimum=-180, maximum=180),
        Field("max_lat", "number", required=True, minimum=-90, maximum=90),
    ),
    primary_key=("id",),
)

_GEOMETRY_REF = re.compile(r"([A-Za-z0-9_.-]+\.geojson)#(.+)")
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.field}: {self.message}"


@dataclass
class Table:
    """A CSV file as read for validation: cell text by column name, with spreadsheet row numbers."""

    name: str
    file: str  # path as shown in problems
    rows: list[tuple[int, dict[str, str]]]

    def by_id(self) -> dict[str, tuple[int, dict[str, str]]]:
        """Rows keyed by their ``id`` cell (the first row wins when an id repeats)."""
        out: dict[str, tuple[int, dict[str, str]]] = {}
        for n, row in self.rows:
            if row.get("id"):
                out.setdefault(row["id"], (n, row))
        return out


@dataclass
class Validation:
    """The outcome: every problem found and how much was checked."""

    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)
    geometry_files: int = 0

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def summary(self) -> str:
        """The one-line success report, e.g. ``ok: 40 places, ... 4 geometry files checked``."""
        parts = [f"{self.counts.get(name, 0)} {name}" for name in COUNTED_TABLES]
        parts.append(f"{self.geometry_files} geometry files checked")
        return "ok: " + ", ".join(parts)


class _Collector:
    """Collects problems, naming files relative to the folder that holds the data folder."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.problems: list[Problem] = []

    def name(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.base)).as_posix()

    def add(self, file: str, row: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(file, row, field_name, message))


def validate(data_dir: Path, seeds_dir: Path | None = None) -> Validation:
    """Check everything in ``data_dir`` and ``seeds_dir`` (default: ``data_dir.parent / "seeds"``)."""
    data_dir = Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else data_dir.parent / "seeds"
    out = _Collector(data_dir.parent)
    tables: dict[str, Table] = {}
    packages = [(data_dir, _read_package(data_dir, out)), (seeds_dir, _read_package(seeds_dir, out))]
    for folder, resources in packages:
        for resource in resources.values():
            table = read_table(folder / resource.path, resource, out)
            if table is not None:
                tables[resource.name] = table
    geodata_resources = packages[0][1]
    if "country_bounds" not in geodata_resources:
        bounds = read_table(data_dir / BOUNDS_RESOURCE.path, BOUNDS_RESOURCE, out)
        if bounds is not None:
            tables["country_bounds"] = bounds
    feature_ids = {}
    for path in sorted(data_dir.glob("*.geojson")):
        feature_ids[path.name] = check_geojson(path, out)
    texts = _check_documents(tables.get("documents"), seeds_dir, out)
    _check_references(tables, geodata_resources, out)
    _check_quotes(tables, texts, out)
    for name in ("claims", "reports"):
        if name in tables:
            for n, row in tables[name].rows:
                _check_figures(tables[name].file, n, row, out)
    _check_dates(tables, out)
    _check_reported(tables, out)
    _check_places(tables, feature_ids, out)
    counts = {name: len(t.rows) for name, t in tables.items()}
    out.problems.sort(key=lambda p: (p.file, p.row))
    return Validation(out.problems, counts, len(feature_ids))


def _read_package(folder: Path, out: _Collector) -> dict[str, Resource]:
    path = folder / "datapackage.json"
    try:
        return load_package(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        out.add(out.name(path), 0, "", f"cannot read the data package: {exc}")
        return {}


# --- tables -------------------------------------------------------------------------------------------


def read_table(path: Path, resource: Resource, out: _Collector) -> Table | None:
    """Read one CSV file, checking encoding, header and every cell against ``resource``."""
    file = out.name(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        out.add(file, 0, "", f"cannot read the file: {exc.strerror or exc}")
        return None
    if data.startswith(_UTF8_BOM):
        out.add(file, 1, "", "starts with a UTF-8 byte-order mark; save it without one")
        data = data[len(_UTF8_BOM) :]
    # surrogateescape keeps undecodable bytes so that the cell holding them can be named.
    text = data.decode("utf-8", errors="surrogateescape")
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        out.add(file, 0, "", "the file is empty (no header row)")
        return None
    header = [_clean_cell(file, 1, "", cell, out) for cell in records[0]]
    _check_header(file, header, resource, out)
    rows = []
    for n, record in enumerate(records[1:], start=2):
        if not record:
            out.add(file, n, "", "blank row")
            continue
        if len(record) != len(header):
            out.add(file, n, "", f"has {len(record)} cells; the header has {len(header)}")
        row: dict[str, str] = {}
        for i, name in enumerate(header):
            if name not in row:
                row[name] = _clean_cell(file, n, name, record[i], out) if i < len(record) else ""
        rows.append((n, row))
    table = Table(resource.name, file, rows)
    _check_cells(table, resource, out)
    if not rows:
        out.add(file, 0, "", "no data rows: nothing was checked")
    return table


def _clean_cell(file: str, n: int, name: str, cell: str, out: _Collector) -> str:
    bad = sorted({ord(ch) - 0xDC00 for ch in cell if 0xDC80 <= ord(ch) <= 0xDCFF})
    if not bad:
        return cell
    shown = " ".join(f"0x{b:02x}" for b in bad)
    out.add(file, n, name, f"not valid UTF-8 (bytes {shown}); save the file as UTF-8")
    return "".join("\ufffd" if 0xDC80 <= ord(ch) <= 0xDCFF else ch for ch in cell)


def _check_header(file: str, header: list[str], resource: Resource, out: _Collector) -> None:
    expected = resource.field_names
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if name in seen:
            out.add(file, 1, name, f"duplicate column name (columns {seen[name]} and {i})")
        else:
            seen[name] = i
    for name in expected:
        if name not in seen:
            out.add(file, 1, name, "missing column")
    for name in seen:
        if name not in expected:
            out.add(file, 1, name, "unexpected column (not in the schema)")
    present = [name for name in seen if name in expected]
    wanted = [name for name in expected if name in seen]
    if present != wanted:
        first = next(a for a, b in zip(present, wanted, strict=True) if a != b)
        out.add(file, 1, first, f"columns are out of order; the schema's order is {', '.join(expected)}")


def _check_cells(table: Table, resource: Resource, out: _Collector) -> None:
    firsts: dict[str, dict[str, int]] = {f.name: {} for f in resource.fields if f.unique}
    for n, row in table.rows:
        for name, value in row.items():
            if value != value.strip():
                out.add(table.file, n, name, "has leading or trailing spaces")
        for fld in resource.fields:
            if fld.name not in row:
                continue
            value = row[fld.name]
            for message in fld.check(value):
                out.add(table.file, n, fld.name, message)
            if fld.unique and value:
                first = firsts[fld.name].setdefault(value, n)
                if first != n:
                    out.add(table.file, n, fld.name, f"duplicate {fld.name} {value!r} (first at row {first})")


# --- references ---------------------------------------------------------------------------------------


def split_ids(value: str) -> list[str]:
    """Split a ';'-separated cell into its values (an empty cell has none)."""
    return value.split(";") if value else []


def _check_references(tables: dict[str, Table], resources: dict[str, Resource], out: _Collector) -> None:
    ids = {name: set(t.by_id()) for name, t in tables.items()}
    single = dict(SINGLE_REFS)
    for resource in resources.values():
        for fk in resource.foreign_keys:
            # A foreign key on a ';'-separated column applies to each of its values.
            if (resource.name, fk.field) not in MULTI_VALUED:
                single.setdefault((resource.name, fk.field), fk.resource)
    for (name, column), target in single.items():
        if name in tables and target in ids:
            for n, row in tables[name].rows:
                value = row.get(column, "")
                if value and value not in ids[target]:
                    out.add(tables[name].file, n, column, f"{value!r} is not an id in {target}")
    for (name, column), target in MULTI_VALUED.items():
        if name not in tables:
            continue
        for n, row in tables[name].rows:
            _check_list(tables[name].file, n, column, row.get(column, ""), ids.get(target or ""), target, out)
    if "reports" in tables:
        for n, row in tables["reports"].rows:
            kind, record = row.get("record_kind", ""), row.get("record_id", "")
            target = {"claim": "claims", "event": "events"}.get(kind)
            if target in ids and record and record not in ids[target]:
                out.add(tables["reports"].file, n, "record_id", f"{record!r} is not an id in {target}")


def _check_list(
    file: str, n: int, column: str, value: str, known: set[str] | None, target: str | None, out: _Collector
) -> None:
    parts = split_ids(value)
    for part in parts:
        if part == "" or part != part.strip():
            out.add(file, n, column, f"{value!r}: empty value or spaces around ';'")
            return
    for part in sorted({p for p in parts if parts.count(p) > 1}):
        out.add(file, n, column, f"{part!r} is listed twice")
    if known is not None:
        for part in parts:
            if part not in known:
                out.add(file, n, column, f"{part!r} is not an id in {target}")


# --- documents and quotes -----------------------------------------------------------------------------


def _check_documents(documents: Table | None, seeds_dir: Path, out: _Collector) -> dict[str, str]:
    """Check each document's file and digest; return the texts of the readable ones by document id."""
    texts: dict[str, str] = {}
    if documents is None:
        return texts
    for n, row in documents.rows:
        name = row.get("file", "")
        if not name:
            continue
        if name != Path(name).name or name in (".", ".."):
            out.add(documents.file, n, "file", f"{name!r} must be a plain file name in seeds/")
            continue
        path = seeds_dir / name
        try:
            data = path.read_bytes()
        except OSError:
            out.add(documents.file, n, "file", f"{out.name(path)} does not exist")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if row.get("sha256") and digest != row["sha256"]:
            out.add(documents.file, n, "sha256", f"does not match {name} (its sha256 is {digest})")
        try:
            texts[row.get("id", "")] = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.add(
                documents.file, n, "file", f"{name} is not valid UTF-8 ({exc.reason} at byte {exc.start})"
            )
    return texts


def _loose(text: str) -> str:
    """Text with quote marks and whitespace normalised, to explain why a quote did not match."""
    table = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"})
    return " ".join(text.translate(table).split())


def _check_quotes(tables: dict[str, Table], texts: dict[str, str], out: _Collector) -> None:
    reports = tables.get("reports")
    if reports is None:
        return
    for n, row in reports.rows:
        quote, doc = row.get("quote", ""), row.get("document", "")
        if not quote or doc not in texts or quote in texts[doc]:
            continue
        hint = ""
        if _loose(quote) in _loose(texts[doc]):
            hint = " (it differs only in whitespace, quote marks or dashes)"
        out.add(reports.file, n, "quote", f"not found verbatim in document {doc}{hint}")


# --- figures and dates --------------------------------------------------------------------------------

_QUALIFIER_NEEDS = {
    "up_to": ("figure_high",),
    "more_than": ("figure_low",),
    "at_least": ("figure_low",),
    "range": ("figure_low", "figure_high"),
    "exact": ("figure_best",),
    "approximately": ("figure_best",),
}
_FIGURES = ("figure_low", "figure_best", "figure_high")


def _number(row: dict[str, str], name: str) -> float | None:
    try:
        value = float(row.get(name, ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _check_figures(file: str, n: int, row: dict[str, str], out: _Collector) -> None:
    given = [name for name in _FIGURES if row.get(name, "")]
    qualifier = row.get("figure_qualifier", "")
    if not given:
        for name in ("unit", "figure_qualifier"):
            if row.get(name, ""):
                out.add(file, n, name, "given without any figure")
        return
    for name in ("unit", "figure_qualifier"):
        if not row.get(name, ""):
            out.add(file, n, name, f"required when a figure is given ({', '.join(given)})")
    values = [(name, _number(row, name)) for name in _FIGURES]
    present = [(name, v) for name, v in values if v is not None]
    for (a, va), (b, vb) in zip(present, present[1:], strict=False):
        if va > vb:
            out.add(file, n, b, f"{b} {vb:g} is below {a} {va:g}")
    for name in _QUALIFIER_NEEDS.get(qualifier, ()):
        if not row.get(name, ""):
            out.add(file, n, name, f"required by figure_qualifier {qualifier!r}")


def _parse(text: str, precision: str) -> dates.PartialDate | None:
    try:
        return dates.parse_partial(text, precision or None)
    except ValueError:
        return None


def _check_span(
    file: str, n: int, row: dict[str, str], out: _Collector, override: bool = False
) -> dates.PartialDate | None:
    """Check date, date_end and date_precision of one row; return the parsed start date if valid.

    ``override`` marks a report's own date: its precision, qualifier and basis are then required too
    (the schema already requires them of claims and events).
    """
    text, end, precision = row.get("date", ""), row.get("date_end", ""), row.get("date_precision", "")
    if not text:
        for name in ("date_end", "date_precision", "date_qualifier", "date_basis"):
            if row.get(name, ""):
                out.add(file, n, name, "given without a date")
        return None
    for name in ("date_precision", "date_qualifier", "date_basis") if override else ():
        if name in row and not row[name]:
            out.add(file, n, name, "required when a date is given")
    start = None
    try:
        dates.precision_of(text)  # a malformed date was reported by its pattern already
        start = dates.parse_partial(text, precision if precision in dates.PRECISIONS else None)
    except ValueError as exc:
        if _well_formed(text):
            out.add(file, n, "date", str(exc))
    if end and start is not None and _well_formed(end):
        try:
            stop = dates.parse_partial(end, start.precision)
            if stop.first < start.first:
                out.add(file, n, "date_end", f"{end} is before date {text}")
        except ValueError as exc:
            out.add(file, n, "date_end", f"{exc} (date_end keeps the precision of date)")
    return start


def _well_formed(text: str) -> bool:
    try:
        dates.precision_of(text)
    except ValueError:
        return False
    return True


def _check_dates(tables: dict[str, Table], out: _Collector) -> None:
    starts: dict[tuple[str, str], tuple[str, int, dates.PartialDate | None]] = {}
    for kind, name in (("claim", "claims"), ("event", "events")):
        if name in tables:
            for n, row in tables[name].rows:
                starts[(kind, row.get("id", ""))] = (
                    tables[name].file,
                    n,
                    _check_span(tables[name].file, n, row, out),
                )
    documents = tables["documents"].by_id() if "documents" in tables else {}
    events = tables["events"].by_id() if "events" in tables else {}
    reports = tables.get("reports")
    if reports is None:
        return
    for n, row in reports.rows:
        override = _check_span(reports.file, n, row, out, override=True)
        kind, record = row.get("record_kind", ""), row.get("record_id", "")
        if kind == "event" and events.get(record, (0, {}))[1].get("type") in FUTURE_EVENT_TYPES:
            continue
        if override is not None:
            where = (reports.file, n, override)
        elif (kind, record) in starts:
            where = starts[(kind, record)]
        else:
            continue
        doc = documents.get(row.get("document", ""))
        if doc is None or where[2] is None:
            continue
        published = _parse(doc[1].get("published", ""), doc[1].get("published_precision", ""))
        if published is not None:
            _check_not_after(where, published, row, doc[1], out)


def _check_not_after(
    where: tuple[str, int, dates.PartialDate | None],
    published: dates.PartialDate,
    report: dict[str, str],
    document: dict[str, str],
    out: _Collector,
) -> None:
    file, n, when = where
    assert when is not None
    # Compare at the coarser precision: "2023-05-25" is not after a document of "2023-05".
    precision = dates.coarser(when.precision, published.precision)
    if dates.truncate(when.text, precision) > dates.truncate(published.text, precision):
        out.add(
            file,
            n,
            "date",
            f"{when.text} is after the publication ({published.text}) of document {document.get('id')}, "
            f"which reports it in {report.get('id')}; only programme_milestone events may be dated later",
        )


def _check_reported(tables: dict[str, Table], out: _Collector) -> None:
    if "reports" not in tables:
        return
    reported = {(row.get("record_kind"), row.get("record_id")) for _, row in tables["reports"].rows}
    for kind, name in (("claim", "claims"), ("event", "events")):
        if name in tables:
            for n, row in tables[name].rows:
                if row.get("id") and (kind, row["id"]) not in reported:
                    out.add(tables[name].file, n, "id", f"no report in reports.csv quotes this {kind}")


# --- places -------------------------------------------------------------------------------------------


def _inside(box: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def _bounds(table: Table | None) -> dict[str, tuple[float, float, float, float]]:
    boxes = {}
    for _, row in table.rows if table else []:
        values = [_number(row, name) for name in ("min_lon", "min_lat", "max_lon", "max_lat")]
        if row.get("id") and all(v is not None for v in values):
            boxes[row["id"]] = tuple(values)
    return boxes


def _check_places(tables: dict[str, Table], feature_ids: dict[str, set[str] | None], out: _Collector) -> None:
    places = tables.get("places")
    if places is None:
        return
    bounds_table = tables.get("country_bounds")
    boxes = _bounds(bounds_table)
    for n, row in places.rows:
        lat, lon, country = _number(row, "lat"), _number(row, "lon"), row.get("country", "")
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


def _check_geometry_ref(
    file: str, n: int, ref: str, feature_ids: dict[str, set[str] | None], out: _Collector
) -> None:
    if not ref:
        return
    match = _GEOMETRY_REF.fullmatch(ref)
    if match is None:
        out.add(file, n, "geometry_ref", f"{ref!r} is not of the form 'file.geojson#feature-id'")
    elif match.group(1) not in feature_ids:
        out.add(file, n, "geometry_ref", f"{match.group(1)} is not a GeoJSON file in the data folder")
    elif feature_ids[match.group(1)] is not None and match.group(2) not in feature_ids[match.group(1)]:
        out.add(file, n, "geometry_ref", f"no feature with id {match.group(2)!r} in {match.group(1)}")


# --- GeoJSON (RFC 7946) -------------------------------------------------------------------------------

_GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


def feature_id(feature: dict) -> str | None:
    """A feature's id: its ``id`` member, else its ``id`` property (as text)."""
    value = feature.get("id")
    if value is None and isinstance(feature.get("properties"), dict):
        value = feature["properties"].get("id")
    return None if value is None else str(value)


def check_geojson(path: Path, out: _Collector) -> set[str] | None:
    """Check one GeoJSON file against RFC 7946; return its feature ids (None when unreadable)."""
    file = out.name(path)
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        out.add(file, 0, "", f"not readable as UTF-8 JSON: {exc}")
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        out.add(file, 0, "type", "must be a FeatureCollection")
        return None
    if "crs" in doc:
        out.add(file, 0, "crs", "RFC 7946 has no 'crs' member; coordinates are WGS 84 longitude, latitude")
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        out.add(file, 0, "features", "no features: nothing was checked")
        return None
    ids: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            out.add(file, number, "type", "must be a Feature")
            continue
        if "crs" in feature:
            out.add(file, number, "crs", "RFC 7946 has no 'crs' member")
        fid = feature_id(feature)
        if fid is None:
            out.add(file, number, "id", "feature has no id")
        elif fid in ids:
            out.add(file, number, "id", f"duplicate feature id {fid!r} (first at feature {ids[fid]})")
        else:
            ids[fid] = number
        for message in geometry_problems(feature.get("geometry")):
            out.add(file, number, "geometry", message)
    return set(ids)


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
    if kind not in _GEOMETRY_TYPES:
        return [f"unknown geometry type {kind!r}"]
    problems = list(_structure_problems(kind, coords))
    if not problems:
        shape = shapely.geometry.shape(geometry)
        if not shape.is_valid:
            problems.append(f"invalid geometry: {shapely.is_valid_reason(shape)}")
    return problems


def _structure_problems(kind: str, coords: object) -> Iterable[str]:
    depth = {
        "Point": 0,
        "MultiPoint": 1,
        "LineString": 1,
        "MultiLineString": 2,
        "Polygon": 2,
        "MultiPolygon": 3,
    }[kind]
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
    if depth == 0:
        ok = (
            isinstance(coords, list)
            and len(coords) in (2, 3)
            and all(
                isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c) for c in coords
            )
        )
        return "" if ok else f"must be positions of 2 or 3 numbers (got {str(coords)[:40]})"
    if not isinstance(coords, list) or not coords:
        return "must be non-empty arrays"
    return next((msg for c in coords if (msg := _bad_nesting(c, depth - 1))), "")


def _positions(coords: list, depth: int) -> Iterable[list[float]]:
    if depth == 0:
        yield coords
    else:
        for c in coords:
            yield from _positions(c, depth - 1)


def _range_problems(coords: list, depth: int) -> Iterable[str]:
    for lon, lat, *_ in _positions(coords, depth):
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            yield f"position ({lon:g}, {lat:g}) is outside WGS 84 longitude/latitude ranges"
            return


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace area of a ring in lon/lat: positive when the ring runs counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False)) / 2


def _polygon_problems(rings: list, prefix: str) -> Iterable[str]:
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
