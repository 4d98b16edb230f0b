"""Each planted defect is reported at its exact file:row:field, and validation never stops early.

One test shape, many cases: a case plants one defect in the factory's tiny data folder and names where
it must be reported and with which messages (``PLANTED``), or plants a look-alike that is not a defect
and names where nothing may be reported (``NOT_DEFECTS``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial

import factory
import pytest

from dashboard.validate import Problem, geometry_problems, validate
from dashboard.validate.references import malformed_list
from dashboard.values import split_ids

Plant = Callable[[], dict]


def run(make_data, **overrides) -> list[Problem]:
    return validate(*make_data(**overrides)).problems


def at(problems: list[Problem], where: str) -> list[str]:
    """Messages of the problems located at ``file:row:field``."""
    return [p.message for p in problems if f"{p.file}:{p.row}:{p.field}" == where]


def row(table: str, index: int, **changes: str) -> Plant:
    """Plant: cells of one row of the base tables changed."""
    return partial(factory.with_row, table, index, **changes)


def tables(change: Callable[[dict], None]) -> Plant:
    """Plant: ``change(tables)`` applied to the base tables."""

    def plant() -> dict:
        base = factory.base_tables()
        change(base)
        return {"tables": base}

    return plant


def geojson(change: Callable[[dict], None]) -> Plant:
    """Plant: ``change(files)`` applied to the base GeoJSON files."""

    def plant() -> dict:
        geo = factory.base_geojson()
        change(geo)
        return {"geojson": geo}

    return plant


def raw(path: str, data: Callable[[], bytes]) -> Plant:
    """Plant: the file at ``path`` (relative to the root) replaced by exact bytes."""
    return lambda: {"raw": {path: data()}}


def package(folder: str, change: Callable[[dict], None]) -> Plant:
    """Plant: ``folder``'s own copy of the schema changed."""
    return raw(f"{folder}/datapackage.json", lambda: factory.package_with(folder, change))


def removed(path: str) -> Plant:
    """Plant: a file the data needs deleted."""
    return lambda: {"remove": (path,)}


def _drop_report_of_c003(t: dict) -> None:
    t["reports"] = [r for r in t["reports"] if r["record_id"] != "c003"]


def _open_ring(geo: dict) -> None:
    geo["countries.geojson"]["features"][0]["geometry"]["coordinates"][0].pop()


def _clockwise(geo: dict) -> None:
    geo["countries.geojson"]["features"][1]["geometry"]["coordinates"][0].reverse()


def _crs(geo: dict) -> None:
    geo["countries.geojson"]["crs"] = {"type": "name", "properties": {"name": "EPSG:4326"}}


def _second_afg(geo: dict) -> None:
    geo["countries.geojson"]["features"][1]["id"] = "AFG"


def _properties(value: object) -> Callable[[dict], None]:
    def change(geo: dict) -> None:
        geo["countries.geojson"]["features"][0]["properties"] = value

    return change


def _geometry(value: dict) -> Callable[[dict], None]:
    def change(geo: dict) -> None:
        geo["borders.geojson"]["features"][0]["geometry"] = value

    return change


def _coordinates(value: object) -> Callable[[dict], None]:
    return _geometry({"type": "Point", "coordinates": value})


def _require_bounds_name(descriptor: dict) -> None:
    factory.schema_field(descriptor, "country_bounds", "name")["constraints"] = {"required": True}


def _lat_as_text(descriptor: dict) -> None:
    lat = factory.schema_field(descriptor, "places", "lat")
    lat["type"] = "string"
    del lat["constraints"]


def _url_optional(descriptor: dict) -> None:
    del factory.schema_field(descriptor, "documents", "url")["constraints"]


def _path_elsewhere(descriptor: dict) -> None:
    next(r for r in descriptor["resources"] if r["name"] == "groups")["path"] = "../seeds/documents.csv"


def _drop_resource(name: str) -> Callable[[dict], None]:
    def change(descriptor: dict) -> None:
        descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != name]

    return change


def _extra_field(descriptor: dict) -> None:
    fields = next(r for r in descriptor["resources"] if r["name"] == "groups")["schema"]["fields"]
    fields.append({"name": "colour", "type": "string"})


def _columns(name: str) -> list[str]:
    return factory._columns(factory.REPO / "geodata" / "datapackage.json", name)


def _shuffled_groups() -> bytes:
    """groups.csv with name and id swapped, an unknown column and kind repeated at the end."""
    columns = _columns("groups")
    return factory.table_bytes("groups", [columns[1], columns[0], *columns[2:], "colour", "kind"])


def _latin1_actors() -> bytes:
    text = factory.table_bytes("actors").decode("utf-8")
    return text.replace("TASS", "T\u00c9SS").encode("utf-8").replace("\u00c9".encode(), b"\xc9")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def after(date: str, published: str, document: str, report: str) -> str:
    """The message for a date after the publication of the document that reports it."""
    return (
        f"{date} is after the publication ({published}) of document {document}, which reports it in "
        f"{report}; only programme_milestone events may be dated later"
    )


UNITS = (
    "fighters, members, organisations, troops, equipment_types, equipment_items, madrassas, km, USD, "
    "people_killed, people_wounded, schools, border_posts, incidents, exercises, sorties, kg, tonnes, MW, "
    "rounds, RUB, TJS, EUR, AFN, people, people_detained, people_casualties"
)
NOT_WEB = "is not a web address: only http:// and https:// are allowed"
BIDI = "a bidirectional control that can make text display in another order than it is written; remove it"
NOT_A_PACKAGE = "not a data package the product can read"

#: (plant, where, the messages reported there), one defect per case.
PLANTED = [
    # ids and references
    pytest.param(
        row("claims", 1, id="c001"),
        "geodata/claims.csv:3:id",
        ["duplicate id 'c001' (first at row 2)"],
        id="duplicate-id",
    ),
    pytest.param(
        row("claims", 0, claimant="nobody"),
        "geodata/claims.csv:2:claimant",
        ["'nobody' is not an id in actors"],
        id="dangling-single-reference",
    ),
    pytest.param(
        row("events", 1, groups="isis-k;ghost"),
        "geodata/events.csv:3:groups",
        ["'ghost' is not an id in groups"],
        id="dangling-reference-in-a-list",
    ),
    pytest.param(
        row("claims", 1, places="fayzabad; badakhshan"),
        "geodata/claims.csv:3:places",
        ["'fayzabad; badakhshan': empty value or spaces around ';'"],
        id="malformed-list-spaces",
    ),
    pytest.param(
        row("claims", 1, places="fayzabad;;badakhshan"),
        "geodata/claims.csv:3:places",
        ["'fayzabad;;badakhshan': empty value or spaces around ';'"],
        id="malformed-list-empty-item",
    ),
    pytest.param(
        row("events", 1, groups="isis-k;"),
        "geodata/events.csv:3:groups",
        ["'isis-k;': empty value or spaces around ';'"],
        id="malformed-list-trailing-separator",
    ),
    pytest.param(
        row("events", 1, groups="isis-k;isis-k"),
        "geodata/events.csv:3:groups",
        ["'isis-k' is listed twice"],
        id="list-item-twice",
    ),
    pytest.param(
        row("reports", 0, record_kind="event"),
        "geodata/reports.csv:2:record_id",
        ["'c001' is not an id in events"],
        id="record-id-resolves-by-record-kind",
    ),
    pytest.param(
        row("reports", 0, document="d009"),
        "geodata/reports.csv:2:document",
        ["'d009' is not an id in documents"],
        id="report-document-must-exist",
    ),
    pytest.param(
        tables(_drop_report_of_c003),
        "geodata/claims.csv:4:id",
        ["no report in reports.csv quotes this claim"],
        id="every-record-needs-a-report",
    ),
    # quotes
    pytest.param(
        row("reports", 1, quote="about 4.000 fighters are in Badakhshan"),
        "geodata/reports.csv:3:quote",
        ["not found verbatim in document d001"],
        id="altered-quote",
    ),
    pytest.param(
        row("reports", 0, quote='said: "Up to 6,500 militants'),
        "geodata/reports.csv:2:quote",
        ["not found verbatim in document d000 (it differs only in whitespace, quote marks or dashes)"],
        id="straight-quote-marks-get-a-hint",
    ),
    # dates
    pytest.param(
        row("claims", 0, date="May 2023"),
        "geodata/claims.csv:2:date",
        ["'May 2023' does not match the pattern [0-9]{4}(-[0-9]{2}(-[0-9]{2})?|-W[0-9]{2})?"],
        id="bad-date-form-reported-once",
    ),
    pytest.param(
        row("claims", 1, date_precision="day"),
        "geodata/claims.csv:3:date",
        ["'2023-11' has month precision, not day"],
        id="day-precision-on-a-month-string",
    ),
    pytest.param(
        row("claims", 0, date="2023-02-30"),
        "geodata/claims.csv:2:date",
        ["'2023-02-30': day 30 does not exist in 2023-02"],
        id="impossible-day",
    ),
    pytest.param(
        row("events", 1, date_end="2025"),
        "geodata/events.csv:3:date_end",
        ["2025 is before date 2026"],
        id="date-end-before-date",
    ),
    pytest.param(
        row("events", 1, date_end="2027-01"),
        "geodata/events.csv:3:date_end",
        ["'2027-01' has month precision, not year (date_end keeps the precision of date)"],
        id="date-end-keeps-the-precision",
    ),
    pytest.param(
        row("events", 0, date="2023-06-02", date_end="2023-06-01"),
        "geodata/events.csv:2:date_end",
        ["2023-06-01 is before date 2023-06-02"],
        id="date-end-before-date-reported-once",
    ),
    pytest.param(
        row("claims", 1, date="2024-01"),
        "geodata/claims.csv:3:date",
        [after("2024-01", "2023-11", "d001", "r002")],
        id="claim-dated-after-its-document",
    ),
    pytest.param(
        row("events", 1, type="meeting"),
        "geodata/events.csv:3:date",
        [after("2026", "2023-05", "d000", "r006")],
        id="only-programme-milestones-may-be-dated-later",
    ),
    pytest.param(
        row("events", 1, type="meeting"),
        "geodata/events.csv:3:date_end",
        [after("2027", "2023-05", "d000", "r006")],
        id="only-programme-milestones-may-end-later",
    ),
    pytest.param(
        row("events", 0, date_end="2023-06-02"),
        "geodata/events.csv:2:date_end",
        [
            "2023-06-02 is after the publication (2023-05) of document d000, which reports it in r005; "
            "only programme_milestone events may be dated later"
        ],
        id="date-end-after-its-document",
    ),
    pytest.param(
        row("reports", 2, date_end="2023-12"),
        "geodata/reports.csv:4:date_end",
        [after("2023-12", "2023-11", "d001", "r003")],
        id="report-date-end-override-against-its-document",
    ),
    pytest.param(
        row("reports", 2, date="2024", date_precision="year"),
        "geodata/reports.csv:4:date",
        [after("2024", "2023-11", "d001", "r003")],
        id="report-date-override-against-its-document",
    ),
    pytest.param(
        row("reports", 2, date_precision="", date_basis=""),
        "geodata/reports.csv:4:date_precision",
        ["required when a date is given"],
        id="report-date-override-needs-its-precision",
    ),
    pytest.param(
        row("reports", 2, date_precision="", date_basis=""),
        "geodata/reports.csv:4:date_basis",
        ["required when a date is given"],
        id="report-date-override-needs-its-basis",
    ),
    pytest.param(
        row("reports", 0, date_qualifier="on"),
        "geodata/reports.csv:2:date_qualifier",
        ["given without a date"],
        id="report-date-qualifier-without-a-date",
    ),
    # figures
    pytest.param(
        row("claims", 0, unit="soldiers"),
        "geodata/claims.csv:2:unit",
        [f"'soldiers' is not one of the allowed values ({UNITS})"],
        id="unknown-unit",
    ),
    pytest.param(
        row("claims", 0, unit="", figure_qualifier=""),
        "geodata/claims.csv:2:unit",
        ["required when a figure is given (figure_high)"],
        id="figure-needs-a-unit",
    ),
    pytest.param(
        row("claims", 0, unit="", figure_qualifier=""),
        "geodata/claims.csv:2:figure_qualifier",
        ["required when a figure is given (figure_high)"],
        id="figure-needs-a-qualifier",
    ),
    pytest.param(
        row("claims", 2, unit="fighters"),
        "geodata/claims.csv:4:unit",
        ["given without any figure"],
        id="unit-without-a-figure",
    ),
    pytest.param(
        row("claims", 1, figure_low="5000", figure_qualifier="up_to"),
        "geodata/claims.csv:3:figure_best",
        ["figure_best 4000 is below figure_low 5000"],
        id="figures-out-of-order",
    ),
    pytest.param(
        row("claims", 1, figure_low="5000", figure_qualifier="up_to"),
        "geodata/claims.csv:3:figure_high",
        ["required by figure_qualifier 'up_to'"],
        id="qualifier-needs-its-bound",
    ),
    pytest.param(
        row("reports", 2, unit=""),
        "geodata/reports.csv:4:unit",
        ["required when a figure is given (figure_best)"],
        id="report-figure-needs-a-unit",
    ),
    pytest.param(
        row("claims", 0, figure_high="6,500"),
        "geodata/claims.csv:2:figure_high",
        ["'6,500' is not a number"],
        id="number-cells-are-strict",
    ),
    pytest.param(
        row("places", 0, location_precision="NA"),
        "geodata/places.csv:2:location_precision",
        ["'NA' is not an integer"],
        id="integer-cells-are-strict",
    ),
    pytest.param(
        row("claims", 0, figure_high="-6500"),
        "geodata/claims.csv:2:figure_high",
        ["-6500 is below the minimum 0"],
        id="negative-claim-figure",
    ),
    pytest.param(
        row("claims", 1, figure_low="-1", figure_qualifier="range", figure_high="5000"),
        "geodata/claims.csv:3:figure_low",
        ["-1 is below the minimum 0"],
        id="negative-lower-bound",
    ),
    pytest.param(
        row("reports", 2, figure_best="-4000"),
        "geodata/reports.csv:4:figure_best",
        ["-4000 is below the minimum 0"],
        id="negative-report-figure",
    ),
    # places
    pytest.param(
        row("places", 2, lat="70.58002", lon="37.11664"),
        "geodata/places.csv:4:lat",
        ["looks like swapped lat/lon: (70.58, 37.1166) lies outside the box of AFG in country_bounds.csv"],
        id="swapped-coordinates",
    ),
    pytest.param(
        row("places", 4, lat="36.0", lon="65.0"),  # Dushanbe put in Afghanistan
        "geodata/places.csv:6:lat",
        ["lat 36, lon 65 lies outside the box of TJK in country_bounds.csv"],
        id="place-outside-its-country",
    ),
    pytest.param(
        row("places", 3, lat="10.0"),
        "geodata/places.csv:5:lat",
        ["lat 10, lon 69.9 lies outside the region box (lon 20 to 80, lat 20 to 60)"],
        id="place-without-country-stays-in-the-region",
    ),
    pytest.param(
        row("places", 4, country="UZB"),
        "geodata/places.csv:6:country",
        ["UZB has no box in geodata/country_bounds.csv"],
        id="country-without-a-box",
    ),
    pytest.param(
        row("country_bounds", 0, max_lat="95"),
        "geodata/country_bounds.csv:2:max_lat",
        ["95 is above the maximum 90"],
        id="country-bounds-bad-number",
    ),
    pytest.param(
        row("places", 0, geometry_ref="countries.geojson#AFX"),
        "geodata/places.csv:2:geometry_ref",
        ["no feature with id 'AFX' in countries.geojson"],
        id="geometry-ref-to-a-missing-feature",
    ),
    pytest.param(
        row("places", 0, geometry_ref="rivers.geojson#AFG"),
        "geodata/places.csv:2:geometry_ref",
        ["rivers.geojson is not a GeoJSON file in the data folder"],
        id="geometry-ref-to-a-missing-file",
    ),
    # GeoJSON
    pytest.param(
        geojson(_open_ring),
        "geodata/countries.geojson:1:geometry",
        ["exterior ring is not closed (its first and last positions differ)"],
        id="open-polygon-ring",
    ),
    pytest.param(
        geojson(_clockwise),
        "geodata/countries.geojson:2:geometry",
        ["exterior ring is clockwise; RFC 7946 wants exterior rings counter-clockwise"],
        id="clockwise-exterior-ring",
    ),
    pytest.param(
        geojson(_crs),
        "geodata/countries.geojson:0:crs",
        ["RFC 7946 has no 'crs' member; coordinates are WGS 84 longitude, latitude"],
        id="geojson-crs-member",
    ),
    pytest.param(
        geojson(_second_afg),
        "geodata/countries.geojson:2:id",
        ["duplicate feature id 'AFG' (first at feature 1)"],
        id="duplicate-feature-id",
    ),
    pytest.param(
        geojson(_properties("Afghanistan")),
        "geodata/countries.geojson:1:properties",
        ["must be an object or null (RFC 7946)"],
        id="geojson-properties-not-an-object",
    ),
    pytest.param(
        geojson(_properties({"geometry": "x"})),
        "geodata/countries.geojson:1:properties",
        ["has a property called 'geometry', a name kept for the shape"],
        id="geojson-property-called-geometry",
    ),
    pytest.param(
        geojson(_properties({"name": {"en": "Afghanistan"}})),
        "geodata/countries.geojson:1:name",
        ["must be text, a number, true/false or null"],
        id="geojson-property-not-a-plain-value",
    ),
    pytest.param(
        geojson(_properties({"name": "Afghan\u202eistan"})),
        "geodata/countries.geojson:1:name",
        [f"contains U+202E RIGHT-TO-LEFT OVERRIDE: {BIDI}"],
        id="geojson-property-with-a-bidi-override",
    ),
    pytest.param(
        geojson(_coordinates([10**400, 37])),
        "geodata/borders.geojson:1:geometry",
        ["coordinates of a Point must be positions of 2 or 3 numbers (got [1" + "0" * 38 + ")"],
        id="geojson-number-too-long-for-a-float",
    ),
    pytest.param(
        geojson(_geometry({"type": ["Point"], "coordinates": [70, 37]})),
        "geodata/borders.geojson:1:geometry",
        ["unknown geometry type \"['Point']\""],
        id="geojson-geometry-type-not-a-name",
    ),
    pytest.param(
        raw("geodata/countries.geojson", lambda: b"[" * 100_000),
        "geodata/countries.geojson:0:",
        ["not JSON this reader accepts (nested too deeply)"],
        id="geojson-nested-too-deeply",
    ),
    # CSV files
    pytest.param(
        raw(
            "geodata/claims.csv",
            lambda: factory.table_bytes("claims", [c for c in _columns("claims") if c != "unit"]),
        ),
        "geodata/claims.csv:1:unit",
        ["missing column"],
        id="missing-column",
    ),
    pytest.param(
        raw("geodata/groups.csv", _shuffled_groups),
        "geodata/groups.csv:1:colour",
        ["unexpected column (not in the schema)"],
        id="unexpected-column",
    ),
    pytest.param(
        raw("geodata/groups.csv", _shuffled_groups),
        "geodata/groups.csv:1:kind",
        ["duplicate column name (columns 3 and 7)"],
        id="duplicated-column",
    ),
    pytest.param(
        raw("geodata/groups.csv", _shuffled_groups),
        "geodata/groups.csv:1:name",
        ["columns are out of order; the schema's order is id, name, kind, alt_names, notes"],
        id="reordered-columns",
    ),
    pytest.param(
        raw("geodata/places.csv", lambda: factory.table_bytes("places", [*_columns("places"), "id"])),
        "geodata/places.csv:1:id",
        ["duplicate column name (columns 1 and 13)"],
        id="duplicate-header",
    ),
    pytest.param(
        raw("geodata/actors.csv", _latin1_actors),
        "geodata/actors.csv:3:name",
        ["not valid UTF-8 (bytes 0xc9); save the file as UTF-8"],
        id="non-utf8-cell",
    ),
    pytest.param(
        raw("geodata/actors.csv", lambda: factory.table_bytes("actors").decode().encode("utf-16")),
        "geodata/actors.csv:0:",
        ["not UTF-8 (it looks like UTF-16); save the file as UTF-8"],
        id="utf16-file",
    ),
    pytest.param(
        raw("geodata/groups.csv", lambda: b""),
        "geodata/groups.csv:0:",
        ["the file is empty (no header row)"],
        id="empty-file",
    ),
    pytest.param(
        tables(lambda t: t.update(claims=[])),
        "geodata/claims.csv:0:",
        ["no data rows: nothing was checked"],
        id="table-without-rows",
    ),
    pytest.param(
        tables(lambda t: t.update(documents=[])),
        "seeds/documents.csv:0:",
        ["no data rows: nothing was checked"],
        id="documents-without-rows",
    ),
    pytest.param(
        removed("geodata/groups.csv"),
        "geodata/groups.csv:0:",
        ["cannot read the file: No such file or directory"],
        id="missing-file-listed-in-the-package",
    ),
    pytest.param(
        removed("seeds/documents.csv"),
        "seeds/documents.csv:0:",
        ["cannot read the file: No such file or directory"],
        id="missing-documents-table",
    ),
    pytest.param(
        row("reports", 0, notes="x" * 200_000),
        "geodata/reports.csv:2:",
        ["cannot be read as CSV (a cell longer than 131072 characters); look for a quote that is not closed"],
        id="cell-over-128-KiB",
    ),
    # characters in cells
    pytest.param(
        row("actors", 1, name="TA\x00SS"),
        "geodata/actors.csv:3:name",
        ["contains control character U+0000; this field is one line of text"],
        id="nul-in-a-name",
    ),
    pytest.param(
        row("reports", 1, notes="Report\x00 note.\x1b[2J"),
        "geodata/reports.csv:3:notes",
        ["contains control character U+0000, U+001B; only tab and newline are allowed here"],
        id="controls-in-free-text",
    ),
    pytest.param(
        row("groups", 0, name="Islamic State\tKhorasan Province"),
        "geodata/groups.csv:2:name",
        ["contains control character U+0009; this field is one line of text"],
        id="tab-in-a-one-line-field",
    ),
    pytest.param(
        row("actors", 1, name="TASS\u202e"),
        "geodata/actors.csv:3:name",
        [f"contains U+202E RIGHT-TO-LEFT OVERRIDE: {BIDI}"],
        id="right-to-left-override",
    ),
    pytest.param(
        row("claims", 0, subject="Militants \u2066in\u2069 the north"),
        "geodata/claims.csv:2:subject",
        [f"contains U+2066 LEFT-TO-RIGHT ISOLATE, U+2069 POP DIRECTIONAL ISOLATE: {BIDI}"],
        id="bidi-isolates",
    ),
    pytest.param(
        row("documents", 0, title="Ministers \u202ameet"),
        "seeds/documents.csv:2:title",
        [f"contains U+202A LEFT-TO-RIGHT EMBEDDING: {BIDI}"],
        id="bidi-embedding-in-a-document-title",
    ),
    # documents
    pytest.param(
        row("documents", 0, sha256="0" * 64),
        "seeds/documents.csv:2:sha256",
        [f"does not match 000_test.txt (its sha256 is {_digest(factory.TEXTS['d000'])})"],
        id="bad-sha256",
    ),
    pytest.param(
        row("documents", 1, file="../geodata/claims.csv"),
        "seeds/documents.csv:3:file",
        ["'../geodata/claims.csv' must be a plain file name in seeds/"],
        id="document-file-outside-seeds",
    ),
    pytest.param(
        lambda: {"texts": {"d000": factory.TEXTS["d000"]}},
        "seeds/documents.csv:3:file",
        ["seeds/001_test.txt does not exist"],
        id="document-file-missing",
    ),
    pytest.param(
        row("documents", 0, url="javascript:alert(document.cookie)"),
        "seeds/documents.csv:2:url",
        [f"'javascript:alert(document.cookie)' {NOT_WEB}"],
        id="javascript-url",
    ),
    pytest.param(
        row("documents", 0, url="JavaScript://example.org/%0aalert(1)"),
        "seeds/documents.csv:2:url",
        [f"'JavaScript://example.org/%0aalert(1)' {NOT_WEB}"],
        id="javascript-url-any-case",
    ),
    pytest.param(
        row("documents", 0, url="data:text/html,<script>alert(1)</script>"),
        "seeds/documents.csv:2:url",
        [f"'data:text/html,<script>alert(1)</script>' {NOT_WEB}"],
        id="data-url",
    ),
    pytest.param(
        row("documents", 0, url="file:///etc/passwd"),
        "seeds/documents.csv:2:url",
        [f"'file:///etc/passwd' {NOT_WEB}"],
        id="file-url",
    ),
    pytest.param(
        row("documents", 0, url="https:example.org/a"),
        "seeds/documents.csv:2:url",
        [f"'https:example.org/a' {NOT_WEB}"],
        id="url-without-a-host",
    ),
    pytest.param(
        row("documents", 0, url=""),
        "seeds/documents.csv:2:url",
        ["required value is missing"],
        id="empty-url-only-where-the-schema-requires-one",
    ),
    # the folders' own copies of the schema
    pytest.param(
        package("geodata", _drop_resource("country_bounds")),
        "geodata/datapackage.json:0:resources",
        ["no 'country_bounds' resource: places cannot be checked against their country's box"],
        id="package-without-country-bounds",
    ),
    pytest.param(
        package("geodata", _drop_resource("groups")),
        "geodata/datapackage.json:0:resources",
        ["no 'groups' resource: groups.csv is not checked"],
        id="package-without-a-table",
    ),
    pytest.param(
        lambda: {
            **factory.with_row("country_bounds", 1, name=""),
            "raw": {"geodata/datapackage.json": factory.package_with("geodata", _require_bounds_name)},
        },
        "geodata/country_bounds.csv:3:name",
        ["required value is missing"],
        id="a-stricter-copy-is-checked-too",
    ),
    pytest.param(
        package("geodata", _require_bounds_name),
        "geodata/datapackage.json:0:country_bounds.name",
        ["required is true here, false in the product's schema"],
        id="a-stricter-copy-differs",
    ),
    pytest.param(
        package("geodata", _lat_as_text),
        "geodata/datapackage.json:0:places.lat",
        [
            'type is "string" here, "number" in the product\'s schema; '
            "required is false here, true in the product's schema; "
            "minimum is not set here, -90 in the product's schema; "
            "maximum is not set here, 90 in the product's schema"
        ],
        id="a-looser-copy-differs",
    ),
    pytest.param(
        lambda: {
            **factory.with_row("places", 0, lat="north"),
            "raw": {"geodata/datapackage.json": factory.package_with("geodata", _lat_as_text)},
        },
        "geodata/places.csv:2:lat",
        ["'north' is not a number"],
        id="a-looser-copy-does-not-loosen-the-check",
    ),
    pytest.param(
        package("seeds", _url_optional),
        "seeds/datapackage.json:0:documents.url",
        ["required is false here, true in the product's schema"],
        id="the-documents-copy-is-checked-too",
    ),
    pytest.param(
        package("geodata", _path_elsewhere),
        "geodata/datapackage.json:0:groups",
        ['path is "../seeds/documents.csv" here, "groups.csv" in the product\'s schema'],
        id="a-copy-pointing-elsewhere",
    ),
    pytest.param(
        package("geodata", _extra_field),
        "geodata/datapackage.json:0:groups.colour",
        ["a field that is not in the product's schema"],
        id="a-copy-with-another-field",
    ),
    pytest.param(
        raw("geodata/datapackage.json", lambda: b"[]"),
        "geodata/datapackage.json:0:",
        [f"{NOT_A_PACKAGE}: the descriptor must be a JSON object, not a list"],
        id="package-that-is-a-list",
    ),
    pytest.param(
        raw("geodata/datapackage.json", lambda: b'{"resources": "x"}'),
        "geodata/datapackage.json:0:",
        [f"{NOT_A_PACKAGE}: 'resources' must be a list, not a string"],
        id="package-whose-resources-are-a-string",
    ),
    pytest.param(
        raw("geodata/datapackage.json", lambda: b'{"resources": [{"name": "places", "schema": {}}]}'),
        "geodata/datapackage.json:0:",
        [f"{NOT_A_PACKAGE}: resource 'places': 'path' must be a non-empty string"],
        id="package-with-a-broken-resource",
    ),
    pytest.param(
        raw("geodata/datapackage.json", lambda: b"{"),
        "geodata/datapackage.json:0:",
        [
            f"{NOT_A_PACKAGE}: not JSON "
            "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"
        ],
        id="package-that-is-not-json",
    ),
    pytest.param(
        removed("geodata/datapackage.json"),
        "geodata/datapackage.json:0:",
        ["cannot read the data package: No such file or directory"],
        id="package-missing",
    ),
]

#: (plant, where): look-alikes of defects that are not ones; nothing may be reported there.
NOT_DEFECTS = [
    pytest.param(lambda: {}, "geodata/events.csv:3:date", id="milestone-planned-after-publication"),
    pytest.param(lambda: {}, "geodata/events.csv:3:date_end", id="milestone-ending-after-publication"),
    # c001 is dated 2023-05-25 and reported by d000, published "2023-05": not known to be later.
    pytest.param(
        row("claims", 0, date="2023-05-31"), "geodata/claims.csv:2:date", id="same-month-as-document"
    ),
    pytest.param(
        row("events", 0, date_end="2023-06-02"), "geodata/events.csv:2:date", id="only-the-late-end"
    ),
    pytest.param(
        row("events", 0, date_end="2023-05-31"), "geodata/events.csv:2:date_end", id="end-same-month"
    ),
    pytest.param(
        row("reports", 2, date_end="2023-12"), "geodata/claims.csv:2:date_end", id="override-not-record"
    ),
    pytest.param(
        row("country_bounds", 1, name=""), "geodata/country_bounds.csv:3:name", id="bounds-name-optional"
    ),
    pytest.param(
        row("reports", 1, notes="Line one.\r\n\tLine two.\nEnd."), "geodata/reports.csv:3:notes", id="lines"
    ),
    pytest.param(
        row("documents", 0, url="HTTPS://example.org/a?b=c#d"), "seeds/documents.csv:2:url", id="https-url"
    ),
    pytest.param(row("claims", 0, figure_high="0"), "geodata/claims.csv:2:figure_high", id="zero-figure"),
    pytest.param(row("actors", 1, name="تاس"), "geodata/actors.csv:3:name", id="right-to-left-script"),
]


@pytest.mark.parametrize(("plant", "where", "expected"), PLANTED)
def test_a_planted_defect_is_reported_where_it_is(make_data, plant, where, expected):
    assert at(run(make_data, **plant()), where) == expected


@pytest.mark.parametrize(("plant", "where"), NOT_DEFECTS)
def test_a_look_alike_is_not_reported(make_data, plant, where):
    assert at(run(make_data, **plant()), where) == []


def test_the_base_data_is_clean_and_counted(make_data):
    result = validate(*make_data())
    assert [str(p) for p in result.problems] == []
    assert result.summary() == (
        "ok: 6 places, 2 groups, 3 actors, 3 claims, 2 events, 6 reports, 2 documents, "
        "2 geometry files checked"
    )


def test_problem_renders_as_file_row_field_message():
    assert str(Problem("geodata/claims.csv", 7, "unit", "bad")) == "geodata/claims.csv:7:unit: bad"


def test_a_rendered_problem_is_one_line_without_controls():
    problem = Problem("geodata/places.csv", 4, "country", "'\x1b[2J\u202e' has no box\n")
    assert str(problem) == "geodata/places.csv:4:country: '\\x1b[2J\\u202e' has no box\\x0a"


def test_cells_cannot_reach_the_terminal(make_data):
    # Some messages quote a cell as it is (a country without a box, a document's name); rendered, they
    # show the escape sequence instead of running it.
    problems = run(make_data, **row("places", 4, country="\x1b]0;pwned\x07")())
    rendered = "\n".join(map(str, problems))
    assert "\x1b" not in rendered and "\x07" not in rendered
    assert (
        "geodata/places.csv:6:country: \\x1b]0;pwned\\x07 has no box in geodata/country_bounds.csv"
        in rendered
    )


def test_a_data_package_without_country_bounds_fails(make_data):
    problems = run(make_data, **package("geodata", _drop_resource("country_bounds"))())
    assert [str(p) for p in problems] == [
        "geodata/datapackage.json:0:resources: no 'country_bounds' resource: "
        "places cannot be checked against their country's box"
    ]


@pytest.mark.parametrize(
    "descriptor", [b"[]", b'{"resources": "x"}', b"{}", b"null", b'{"resources": [1]}', b"\xff"]
)
def test_a_broken_package_still_checks_every_table(make_data, descriptor):
    # One broken descriptor is one problem; the tables are read by the product's schema regardless.
    tables = factory.base_tables()
    tables["places"][0]["lat"] = "north"
    problems = run(make_data, tables=tables, raw={"geodata/datapackage.json": descriptor})
    assert [p.file for p in problems] == ["geodata/datapackage.json", "geodata/places.csv"]
    assert at(problems, "geodata/places.csv:2:lat") == ["'north' is not a number"]


def test_a_broken_package_counts_every_table(make_data):
    result = validate(*make_data(raw={"geodata/datapackage.json": b'{"resources": "x"}'}))
    assert not result.ok
    assert result.counts["places"] == 6 and result.counts["reports"] == 6


def test_problems_never_show_where_the_server_keeps_the_data(make_data, tmp_path):
    data_dir, seeds_dir = make_data(
        texts={"d000": factory.TEXTS["d000"]},
        remove=("geodata/groups.csv", "geodata/datapackage.json", "seeds/datapackage.json"),
    )
    (data_dir / "rivers.geojson").mkdir()  # unreadable as a file
    elsewhere = tmp_path / "elsewhere" / "seeds"
    elsewhere.parent.mkdir()
    seeds_dir.rename(elsewhere)  # documents kept apart from the data
    problems = validate(data_dir, elsewhere).problems
    assert {p.file for p in problems} == {
        "geodata/datapackage.json",
        "geodata/groups.csv",
        "geodata/rivers.geojson",
        "seeds/datapackage.json",
        "seeds/documents.csv",
    }
    text = "\n".join(map(str, problems))
    assert str(tmp_path) not in text and ".." not in text
    assert at(problems, "seeds/documents.csv:3:file") == ["seeds/001_test.txt does not exist"]


@pytest.mark.parametrize(
    ("name", "where", "message"),
    [
        ("geodata/rivers.geojson", "geodata/rivers.geojson:0:", "cannot read the file: not a regular file"),
        ("geodata/groups.csv", "geodata/groups.csv:0:", "cannot read the file: not a regular file"),
        (
            "seeds/001_test.txt",
            "seeds/documents.csv:3:file",
            "seeds/001_test.txt cannot be read: not a regular file",
        ),
    ],
)
def test_only_regular_files_are_read(make_data, name, where, message):
    # A device or a named pipe could make validation read forever; /dev/null stands in for them here.
    data_dir, seeds_dir = make_data()
    path = data_dir.parent / name
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/null")
    assert at(validate(data_dir, seeds_dir).problems, where) == [message]


def test_list_cells_are_read_by_the_shared_rule():
    # The validator reads list items with dashboard.values.split_ids; a cell is well formed exactly when
    # it is those items joined by ';'.
    for cell in ("a", "a;b", "isis-k;militants"):
        assert not malformed_list(cell) and ";".join(split_ids(cell)) == cell
    for cell in ("a;;b", "a; b", ";a", "a;", " ", "a ;b"):
        assert malformed_list(cell)


def test_geojson_rules():
    square = factory.box_ring(0, 0, 10, 10)
    hole_ccw = factory.box_ring(2, 2, 3, 3)
    assert geometry_problems({"type": "Polygon", "coordinates": [square, hole_ccw]}) == [
        "hole 1 is counter-clockwise; RFC 7946 wants holes clockwise"
    ]
    assert geometry_problems({"type": "Polygon", "coordinates": [square, hole_ccw[::-1]]}) == []
    assert geometry_problems({"type": "Polygon", "coordinates": [square[:3]]}) == [
        "exterior ring has 3 positions; a linear ring needs at least 4"
    ]
    assert geometry_problems({"type": "Point", "coordinates": [37.0, 191.0]}) == [
        "position (37, 191) is outside WGS 84 longitude/latitude ranges"
    ]
    bowtie = [[0, 0], [10, 0], [0, 10], [10, 10], [0, 0]]
    (message,) = geometry_problems({"type": "Polygon", "coordinates": [bowtie]})
    assert message.startswith("invalid geometry: Self-intersection")
    assert geometry_problems({"type": "Circle", "coordinates": [0, 0]}) == ["unknown geometry type 'Circle'"]
    assert geometry_problems(None) == ["missing geometry"]


def test_every_problem_is_collected(make_data):
    tables = factory.base_tables()
    tables["claims"][0]["unit"] = "soldiers"
    tables["places"][2].update(lat="70.58002", lon="37.11664")
    tables["documents"][0]["sha256"] = "0" * 64
    tables["reports"][1]["quote"] = "not in the text"
    located = {f"{p.file}:{p.row}:{p.field}" for p in run(make_data, tables=tables)}
    assert {
        "geodata/claims.csv:2:unit",
        "geodata/places.csv:4:lat",
        "seeds/documents.csv:2:sha256",
        "geodata/reports.csv:3:quote",
    } <= located
