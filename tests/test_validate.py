"""Each planted defect is reported at its exact file:row:field, and validation never stops early."""

from __future__ import annotations

import json

import factory
import pytest

from dashboard.validate import Problem, geometry_problems, validate


def run(make_data, **overrides) -> list[Problem]:
    return validate(*make_data(**overrides)).problems


def at(problems: list[Problem], where: str) -> list[str]:
    """Messages of the problems located at ``file:row:field``."""
    return [p.message for p in problems if f"{p.file}:{p.row}:{p.field}" == where]


def planted(make_data, table: str, index: int, **changes) -> list[Problem]:
    tables = factory.base_tables()
    tables[table][index].update(changes)
    return run(make_data, tables=tables)


def test_the_base_data_is_clean_and_counted(make_data):
    result = validate(*make_data())
    assert [str(p) for p in result.problems] == []
    assert result.summary() == (
        "ok: 6 places, 2 groups, 3 actors, 3 claims, 2 events, 6 reports, 2 documents, "
        "2 geometry files checked"
    )


def test_problem_renders_as_file_row_field_message():
    assert str(Problem("geodata/claims.csv", 7, "unit", "bad")) == "geodata/claims.csv:7:unit: bad"


def test_duplicate_id(make_data):
    problems = planted(make_data, "claims", 1, id="c001")
    assert at(problems, "geodata/claims.csv:3:id") == ["duplicate id 'c001' (first at row 2)"]


def test_dangling_single_reference(make_data):
    problems = planted(make_data, "claims", 0, claimant="nobody")
    assert at(problems, "geodata/claims.csv:2:claimant") == ["'nobody' is not an id in actors"]


def test_dangling_reference_in_a_list(make_data):
    problems = planted(make_data, "events", 1, groups="isis-k;ghost")
    assert at(problems, "geodata/events.csv:3:groups") == ["'ghost' is not an id in groups"]


def test_malformed_list(make_data):
    problems = planted(make_data, "claims", 1, places="fayzabad; badakhshan")
    assert at(problems, "geodata/claims.csv:3:places") == [
        "'fayzabad; badakhshan': empty value or spaces around ';'"
    ]


def test_record_id_resolves_by_record_kind(make_data):
    problems = planted(make_data, "reports", 0, record_kind="event")
    assert at(problems, "geodata/reports.csv:2:record_id") == ["'c001' is not an id in events"]


def test_report_document_must_exist(make_data):
    problems = planted(make_data, "reports", 0, document="d009")
    assert at(problems, "geodata/reports.csv:2:document") == ["'d009' is not an id in documents"]


def test_altered_quote(make_data):
    problems = planted(make_data, "reports", 1, quote="about 4.000 fighters are in Badakhshan")
    assert at(problems, "geodata/reports.csv:3:quote") == ["not found verbatim in document d001"]


def test_quote_with_straight_quote_marks_gets_a_hint(make_data):
    problems = planted(make_data, "reports", 0, quote='said: "Up to 6,500 militants')
    (message,) = at(problems, "geodata/reports.csv:2:quote")
    assert "differs only in whitespace, quote marks or dashes" in message


def test_bad_date_form_is_reported_once(make_data):
    problems = planted(make_data, "claims", 0, date="May 2023")
    assert at(problems, "geodata/claims.csv:2:date") == [
        "'May 2023' does not match the pattern [0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
    ]


def test_day_precision_on_a_month_string(make_data):
    problems = planted(make_data, "claims", 1, date_precision="day")
    assert at(problems, "geodata/claims.csv:3:date") == ["'2023-11' has month precision, not day"]


def test_impossible_day(make_data):
    problems = planted(make_data, "claims", 0, date="2023-02-30")
    assert at(problems, "geodata/claims.csv:2:date") == ["'2023-02-30': day 30 does not exist in 2023-02"]


def test_date_end_keeps_precision_and_order(make_data):
    problems = planted(make_data, "events", 1, date_end="2025")
    assert at(problems, "geodata/events.csv:3:date_end") == ["2025 is before date 2026"]
    problems = planted(make_data, "events", 1, date_end="2027-01")
    assert at(problems, "geodata/events.csv:3:date_end") == [
        "'2027-01' has month precision, not year (date_end keeps the precision of date)"
    ]


def test_claim_dated_after_its_document(make_data):
    problems = planted(make_data, "claims", 1, date="2024-01")
    (message,) = at(problems, "geodata/claims.csv:3:date")
    assert message.startswith(
        "2024-01 is after the publication (2023-11) of document d001, which reports it in r002"
    )


def test_same_month_as_a_month_precision_document_is_not_later(make_data):
    # c001 is dated 2023-05-25 and reported by d000, published "2023-05": not known to be later.
    assert at(planted(make_data, "claims", 0, date="2023-05-31"), "geodata/claims.csv:2:date") == []


def test_only_programme_milestones_may_be_dated_after_publication(make_data):
    assert at(run(make_data), "geodata/events.csv:3:date") == []  # e002: planned for 2026
    problems = planted(make_data, "events", 1, type="meeting")
    (message,) = at(problems, "geodata/events.csv:3:date")
    assert "after the publication (2023-05) of document d000" in message


def test_date_end_after_its_document(make_data):
    # e001 (a meeting of 2023-05-25) is reported by d000, published 2023-05.
    problems = planted(make_data, "events", 0, date_end="2023-06-02")
    assert at(problems, "geodata/events.csv:2:date_end") == [
        "2023-06-02 is after the publication (2023-05) of document d000, which reports it in r005; "
        "only programme_milestone events may be dated later"
    ]
    assert at(problems, "geodata/events.csv:2:date") == []
    # The same month as a month-precision document is not known to be later.
    assert at(planted(make_data, "events", 0, date_end="2023-05-31"), "geodata/events.csv:2:date_end") == []


def test_programme_milestones_may_end_after_publication(make_data):
    assert at(run(make_data), "geodata/events.csv:3:date_end") == []  # e002: planned for 2026-2027
    problems = planted(make_data, "events", 1, type="meeting")
    (message,) = at(problems, "geodata/events.csv:3:date_end")
    assert message.startswith("2027 is after the publication (2023-05) of document d000")


def test_report_date_end_override_is_checked_against_its_document(make_data):
    # r003 gives its own date (2023-11) for c001; its document d001 is of 2023-11.
    problems = planted(make_data, "reports", 2, date_end="2023-12")
    (message,) = at(problems, "geodata/reports.csv:4:date_end")
    assert message.startswith("2023-12 is after the publication (2023-11) of document d001")
    assert at(problems, "geodata/claims.csv:2:date_end") == []


def test_date_end_before_date_is_reported_once(make_data):
    problems = planted(make_data, "events", 0, date="2023-06-02", date_end="2023-06-01")
    assert at(problems, "geodata/events.csv:2:date_end") == ["2023-06-01 is before date 2023-06-02"]


def test_report_date_override_follows_the_rules(make_data):
    problems = planted(make_data, "reports", 2, date="2024", date_precision="year")
    assert at(problems, "geodata/reports.csv:4:date")[0].startswith("2024 is after the publication (2023-11)")
    problems = planted(make_data, "reports", 2, date_precision="", date_basis="")
    assert at(problems, "geodata/reports.csv:4:date_precision") == ["required when a date is given"]
    assert at(problems, "geodata/reports.csv:4:date_basis") == ["required when a date is given"]
    problems = planted(make_data, "reports", 0, date_qualifier="on")
    assert at(problems, "geodata/reports.csv:2:date_qualifier") == ["given without a date"]


def test_unknown_unit(make_data):
    problems = planted(make_data, "claims", 0, unit="soldiers")
    (message,) = at(problems, "geodata/claims.csv:2:unit")
    assert message.startswith("'soldiers' is not one of the allowed values (fighters, members,")


def test_figures_need_unit_and_qualifier(make_data):
    problems = planted(make_data, "claims", 0, unit="", figure_qualifier="")
    assert at(problems, "geodata/claims.csv:2:unit") == ["required when a figure is given (figure_high)"]
    assert at(problems, "geodata/claims.csv:2:figure_qualifier") == [
        "required when a figure is given (figure_high)"
    ]
    problems = planted(make_data, "claims", 2, unit="fighters")
    assert at(problems, "geodata/claims.csv:4:unit") == ["given without any figure"]


def test_figure_order_and_qualifier(make_data):
    problems = planted(make_data, "claims", 1, figure_low="5000", figure_qualifier="up_to")
    assert at(problems, "geodata/claims.csv:3:figure_best") == ["figure_best 4000 is below figure_low 5000"]
    assert at(problems, "geodata/claims.csv:3:figure_high") == ["required by figure_qualifier 'up_to'"]
    problems = planted(make_data, "reports", 2, unit="")
    assert at(problems, "geodata/reports.csv:4:unit") == ["required when a figure is given (figure_best)"]


def test_number_cells_are_strict(make_data):
    problems = planted(make_data, "claims", 0, figure_high="6,500")
    assert at(problems, "geodata/claims.csv:2:figure_high") == ["'6,500' is not a number"]
    problems = planted(make_data, "places", 0, location_precision="NA")
    assert at(problems, "geodata/places.csv:2:location_precision") == ["'NA' is not an integer"]


def test_every_record_needs_a_report(make_data):
    tables = factory.base_tables()
    tables["reports"] = [r for r in tables["reports"] if r["record_id"] != "c003"]
    problems = run(make_data, tables=tables)
    assert at(problems, "geodata/claims.csv:4:id") == ["no report in reports.csv quotes this claim"]


def test_swapped_coordinates(make_data):
    problems = planted(make_data, "places", 2, lat="70.58002", lon="37.11664")
    (message,) = at(problems, "geodata/places.csv:4:lat")
    assert message.startswith("looks like swapped lat/lon")


def test_place_outside_its_country(make_data):
    problems = planted(make_data, "places", 4, lat="36.0", lon="65.0")  # Dushanbe put in Afghanistan
    assert at(problems, "geodata/places.csv:6:lat") == [
        "lat 36, lon 65 lies outside the box of TJK in country_bounds.csv"
    ]


def test_place_without_country_stays_in_the_region(make_data):
    problems = planted(make_data, "places", 3, lat="10.0")
    assert at(problems, "geodata/places.csv:5:lat") == [
        "lat 10, lon 69.9 lies outside the region box (lon 20 to 80, lat 20 to 60)"
    ]


def test_country_without_a_box(make_data):
    problems = planted(make_data, "places", 4, country="UZB")
    assert at(problems, "geodata/places.csv:6:country") == ["UZB has no box in geodata/country_bounds.csv"]


def _package_with(change) -> bytes:
    """The project's geodata/datapackage.json with ``change(descriptor)`` applied, as bytes."""
    descriptor = json.loads((factory.REPO / "geodata" / "datapackage.json").read_text(encoding="utf-8"))
    change(descriptor)
    return json.dumps(descriptor).encode()


def test_country_bounds_follow_their_schema_in_the_data_package(make_data):
    def require_name(descriptor):
        bounds = next(r for r in descriptor["resources"] if r["name"] == "country_bounds")
        bounds["schema"]["fields"][1]["constraints"] = {"required": True}

    tables = factory.base_tables()
    tables["country_bounds"][1]["name"] = ""
    problems = run(make_data, tables=tables)
    assert at(problems, "geodata/country_bounds.csv:3:name") == []
    problems = run(make_data, tables=tables, raw={"geodata/datapackage.json": _package_with(require_name)})
    assert at(problems, "geodata/country_bounds.csv:3:name") == ["required value is missing"]


def test_country_bounds_bad_number_is_reported(make_data):
    problems = planted(make_data, "country_bounds", 0, max_lat="95")
    assert at(problems, "geodata/country_bounds.csv:2:max_lat") == ["95 is above the maximum 90"]


def test_a_data_package_without_country_bounds_fails(make_data):
    def drop_bounds(descriptor):
        descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "country_bounds"]

    problems = run(make_data, raw={"geodata/datapackage.json": _package_with(drop_bounds)})
    assert [str(p) for p in problems] == [
        "geodata/datapackage.json:0:resources: no 'country_bounds' resource: "
        "places cannot be checked against their country's box"
    ]


def test_geometry_ref_must_resolve(make_data):
    problems = planted(make_data, "places", 0, geometry_ref="countries.geojson#AFX")
    assert at(problems, "geodata/places.csv:2:geometry_ref") == [
        "no feature with id 'AFX' in countries.geojson"
    ]
    problems = planted(make_data, "places", 0, geometry_ref="rivers.geojson#AFG")
    assert at(problems, "geodata/places.csv:2:geometry_ref") == [
        "rivers.geojson is not a GeoJSON file in the data folder"
    ]


def test_open_polygon_ring(make_data):
    geo = factory.base_geojson()
    geo["countries.geojson"]["features"][0]["geometry"]["coordinates"][0].pop()
    problems = run(make_data, geojson=geo)
    assert at(problems, "geodata/countries.geojson:1:geometry") == [
        "exterior ring is not closed (its first and last positions differ)"
    ]


def test_clockwise_exterior_ring(make_data):
    geo = factory.base_geojson()
    ring = geo["countries.geojson"]["features"][1]["geometry"]["coordinates"][0]
    ring.reverse()
    problems = run(make_data, geojson=geo)
    assert at(problems, "geodata/countries.geojson:2:geometry") == [
        "exterior ring is clockwise; RFC 7946 wants exterior rings counter-clockwise"
    ]


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


def test_geojson_file_rules(make_data):
    geo = factory.base_geojson()
    geo["countries.geojson"]["crs"] = {"type": "name", "properties": {"name": "EPSG:4326"}}
    geo["countries.geojson"]["features"][1]["id"] = "AFG"
    problems = run(make_data, geojson=geo)
    assert at(problems, "geodata/countries.geojson:0:crs") != []
    assert at(problems, "geodata/countries.geojson:2:id") == [
        "duplicate feature id 'AFG' (first at feature 1)"
    ]


def test_missing_column(make_data):
    columns = [
        c for c in factory._columns(factory.REPO / "geodata" / "datapackage.json", "claims") if c != "unit"
    ]
    raw = factory.csv_text(columns, factory.CLAIMS).encode()
    problems = run(make_data, raw={"geodata/claims.csv": raw})
    assert at(problems, "geodata/claims.csv:1:unit") == ["missing column"]


def test_extra_duplicate_and_reordered_columns(make_data):
    columns = factory._columns(factory.REPO / "geodata" / "datapackage.json", "groups")
    columns = [columns[1], columns[0], *columns[2:], "colour", "kind"]
    raw = factory.csv_text(columns, factory.GROUPS).encode()
    problems = run(make_data, raw={"geodata/groups.csv": raw})
    assert at(problems, "geodata/groups.csv:1:colour") == ["unexpected column (not in the schema)"]
    assert at(problems, "geodata/groups.csv:1:kind") == ["duplicate column name (columns 3 and 7)"]
    assert at(problems, "geodata/groups.csv:1:name")[0].startswith("columns are out of order")


def test_non_utf8_file(make_data, tmp_path):
    text = factory.csv_text(
        factory._columns(factory.REPO / "geodata" / "datapackage.json", "actors"), factory.ACTORS
    )
    raw = text.replace("TASS", "T\u00c9SS").encode("utf-8").replace("\u00c9".encode(), b"\xc9")
    problems = run(make_data, raw={"geodata/actors.csv": raw})
    assert at(problems, "geodata/actors.csv:3:name") == [
        "not valid UTF-8 (bytes 0xc9); save the file as UTF-8"
    ]


def test_bad_sha256(make_data):
    problems = planted(make_data, "documents", 0, sha256="0" * 64)
    (message,) = at(problems, "seeds/documents.csv:2:sha256")
    assert message.startswith("does not match 000_test.txt (its sha256 is ")


def test_document_file_must_exist_and_stay_in_seeds(make_data):
    problems = planted(make_data, "documents", 1, file="../geodata/claims.csv")
    assert at(problems, "seeds/documents.csv:3:file") == [
        "'../geodata/claims.csv' must be a plain file name in seeds/"
    ]
    tables = factory.base_tables()
    problems = run(make_data, tables=tables, texts={"d000": factory.TEXTS["d000"]})
    assert at(problems, "seeds/documents.csv:3:file") == ["seeds/001_test.txt does not exist"]


@pytest.mark.parametrize("name", ["claims", "documents"])
def test_an_empty_table_fails(make_data, name):
    tables = factory.base_tables()
    tables[name] = []
    folder = "seeds" if name == "documents" else "geodata"
    assert at(run(make_data, tables=tables), f"{folder}/{name}.csv:0:") == [
        "no data rows: nothing was checked"
    ]


def test_a_missing_file_fails(make_data):
    tables = factory.base_tables()
    del tables["groups"]
    (message,) = at(run(make_data, tables=tables), "geodata/groups.csv:0:")
    assert message.startswith("cannot read the file")


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
