"""The two data packages are valid Frictionless descriptors, and the code agrees with their field lists.

Frictionless is the reference implementation of the Data Package standard: if it accepts the descriptors
and the real CSV files, other tools will read them the same way. The loader and the validator read the
schema through ``dashboard.schema``; these tests hold their built-in column lists to it.
"""

from __future__ import annotations

import csv
import json

import factory
import pytest
from frictionless import Package

from dashboard import loader
from dashboard.schema import (
    GEODATA_CONTRACT,
    SEEDS_CONTRACT,
    SchemaError,
    load_package,
    parse_package,
    product_schema,
)
from dashboard.validate import COUNTED_TABLES, MULTI_VALUED, SINGLE_REFS, validate
from dashboard.validate.characters import MULTILINE_FIELDS
from dashboard.validate.figures import FIGURES, QUALIFIER_NEEDS
from dashboard.validate.references import RECORD_TABLES

PACKAGES = {
    "geodata": factory.REPO / "geodata" / "datapackage.json",
    "seeds": factory.REPO / "seeds" / "datapackage.json",
}

#: The product's own schema, shipped with the code, for each data copy.
CONTRACTS = {"geodata": GEODATA_CONTRACT, "seeds": SEEDS_CONTRACT}

#: (package, resource) for every tabular resource of both packages.
RESOURCES = [
    (package, resource["name"])
    for package, path in PACKAGES.items()
    for resource in json.loads(path.read_text(encoding="utf-8"))["resources"]
]


def _descriptor(package: str) -> dict:
    return json.loads(PACKAGES[package].read_text(encoding="utf-8"))


def _all_resources() -> dict:
    return {**load_package(PACKAGES["geodata"]), **load_package(PACKAGES["seeds"])}


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_descriptor_is_valid_frictionless(package):
    # metadata_validate checks the raw descriptor against the standard's profile, before any
    # normalisation (a foreign key's "fields" given as a bare string passes validate_descriptor only).
    errors = [error.message for error in Package.metadata_validate(_descriptor(package))]
    assert errors == []
    report = Package.validate_descriptor(str(PACKAGES[package]))
    assert report.valid, report.flatten(["type", "note"])


def test_an_invalid_descriptor_is_rejected():
    descriptor = _descriptor("geodata")
    descriptor["resources"][0]["schema"]["fields"][0]["constraints"]["required"] = "yes"
    errors = [error.message for error in Package.metadata_validate(descriptor)]
    assert any("'yes' is not of type 'boolean'" in message for message in errors)


def test_the_test_resources_cover_the_data():
    assert {name for _, name in RESOURCES} == {*loader.TABLES, "documents", "country_bounds", "audit"}


@pytest.mark.parametrize(("package", "name"), RESOURCES)
def test_real_data_passes_frictionless_validation(package, name):
    report = Package(str(PACKAGES[package])).get_resource(name).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


@pytest.mark.parametrize(
    ("table", "index", "change", "where"),
    [
        ("claims", 1, {"unit": "soldiers"}, (3, "unit")),
        ("places", 2, {"lat": "91"}, (4, "lat")),
        ("groups", 0, {"kind": ""}, (2, "kind")),
        ("actors", 1, {"country": "Russia"}, (3, "country")),
        ("country_bounds", 0, {"min_lon": "east"}, (2, "min_lon")),
        ("claims", 0, {"figure_high": "-6500"}, (2, "figure_high")),
        ("reports", 2, {"figure_best": "-1"}, (4, "figure_best")),
    ],
)
def test_frictionless_and_the_validator_reject_the_same_cell(make_data, table, index, change, where):
    tables = factory.base_tables()
    tables[table][index].update(change)
    data_dir, seeds_dir = make_data(tables=tables)
    report = Package(str(data_dir / "datapackage.json")).get_resource(table).validate()
    assert [tuple(cell) for cell in report.flatten(["rowNumber", "fieldName"])] == [where]
    problems = validate(data_dir, seeds_dir).problems
    assert {(p.row, p.field) for p in problems if p.file == f"geodata/{table}.csv"} == {where}


@pytest.mark.parametrize(("package", "name"), RESOURCES)
def test_schema_reader_keeps_every_field_in_order(package, name):
    described = next(r for r in _descriptor(package)["resources"] if r["name"] == name)
    resource = load_package(PACKAGES[package])[name]
    assert resource.field_names == [f["name"] for f in described["schema"]["fields"]]
    assert resource.path == described["path"]


@pytest.mark.parametrize(("package", "name"), RESOURCES)
def test_real_csv_header_is_the_schema_field_list(package, name):
    resource = load_package(PACKAGES[package])[name]
    path = PACKAGES[package].parent / resource.path
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == resource.field_names


def test_loader_frames_have_the_schema_columns(dataset):
    resources = _all_resources()
    for name in (*loader.TABLES, "documents"):
        assert list(getattr(dataset, name).columns) == resources[name].field_names, name


def test_validator_columns_exist_in_the_schema():
    resources = _all_resources()
    for (table, column), target in {**MULTI_VALUED, **SINGLE_REFS}.items():
        assert column in resources[table].field_names, (table, column)
        assert target is None or target in resources, (table, column, target)
    for resource in resources.values():
        for fk in resource.foreign_keys:
            assert fk.field in resource.field_names, (resource.name, fk.field)
            assert fk.reference_field in resources[fk.resource].field_names, (resource.name, fk.field)
    assert set(COUNTED_TABLES) <= set(resources)
    assert set(RECORD_TABLES.values()) <= set(resources)
    assert set(RECORD_TABLES) == set(resources["reports"].get_field("record_kind").enum)


def test_figure_rules_match_the_schema():
    resources = _all_resources()
    for name in ("claims", "reports"):
        assert set(FIGURES) <= set(resources[name].field_names), name
        assert set(resources[name].get_field("figure_qualifier").enum) == set(QUALIFIER_NEEDS), name


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_the_data_copy_is_the_product_schema(package):
    # The folders keep their own copy for other tools; it must be the product's, byte for byte.
    assert PACKAGES[package].read_bytes() == CONTRACTS[package].read_bytes()
    assert CONTRACTS[package].is_relative_to(factory.REPO / "dashboard")
    assert product_schema(CONTRACTS[package]) == load_package(PACKAGES[package])


def test_free_text_fields_exist_in_the_schema():
    names = {f for resource in _all_resources().values() for f in resource.field_names}
    assert MULTILINE_FIELDS <= names


def test_figures_may_not_be_negative():
    for name in ("claims", "reports"):
        for figure in FIGURES:
            assert _all_resources()[name].get_field(figure).minimum == 0, (name, figure)


def _resource(**schema) -> dict:
    return {"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "x"}], **schema}}]}


def _field(**desc) -> dict:
    return _resource(fields=[{"name": "x", **desc}])


@pytest.mark.parametrize(
    ("descriptor", "message"),
    [
        ([], "the descriptor must be a JSON object, not a list"),
        ({"resources": "x"}, "'resources' must be a list, not a string"),
        ({}, "'resources' must be a list, not null"),
        ({"resources": [None]}, "resources[0] must be an object, not null"),
        ({"resources": [{"name": "t", "schema": {}}]}, "resource 't': 'path' must be a non-empty string"),
        (_resource(fields="x"), "resource 't': 'fields' must be a non-empty list"),
        (_resource(fields=[{"name": "x"}, {"name": "x"}]), "resource 't': field 'x' is listed twice"),
        (_resource(fields=[3]), "resource 't', fields[0] must be an object, not a number"),
        (
            _field(type="geopoint"),
            "resource 't', field 'x': unsupported type 'geopoint' (supported: string, number, integer)",
        ),
        (_field(constraints=[]), "resource 't', field 'x': 'constraints' must be an object"),
        (
            _field(constraints={"maxLength": 3}),
            "resource 't', field 'x': unsupported constraint 'maxLength' "
            "(supported: required, unique, enum, pattern, minimum, maximum)",
        ),
        (
            _field(constraints={"required": "yes"}),
            "resource 't', field 'x': 'required' must be true or false",
        ),
        (
            _field(constraints={"enum": []}),
            "resource 't', field 'x': 'enum' must be a non-empty list of strings or numbers",
        ),
        (
            _field(constraints={"pattern": "("}),
            "resource 't', field 'x': 'pattern' is not a regular expression "
            "(missing ), unterminated subpattern at position 0)",
        ),
        (
            _field(constraints={"minimum": 0}),
            "resource 't', field 'x': 'minimum' applies only to number and integer fields",
        ),
        (
            _field(type="number", constraints={"maximum": 10**400}),
            "resource 't', field 'x': 'maximum' must be a finite number",
        ),
        (_resource(primaryKey="y"), "resource 't': key field 'y' is not one of its fields"),
        (_resource(foreignKeys={}), "resource 't': 'foreignKeys' must be a list"),
        (
            _resource(foreignKeys=[{"fields": "x", "reference": {"resource": "u", "fields": ["a", "b"]}}]),
            "resource 't': foreignKeys[0]: only single-field foreign keys are supported",
        ),
    ],
)
def test_a_malformed_descriptor_is_refused_with_where(descriptor, message):
    with pytest.raises(SchemaError) as caught:
        parse_package(descriptor)
    assert str(caught.value) == message
