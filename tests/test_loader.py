"""The loader validates first, raises one error listing every problem, then builds typed tables."""

from __future__ import annotations

import math

import factory
import pytest

from dashboard.loader import DataError, data_fingerprint, load_dataset
from dashboard.validate import validate


def test_typed_tables(dataset):
    assert dataset.places["lat"].dtype == float
    assert str(dataset.places["location_precision"].dtype) == "int64"
    assert str(dataset.places["geonames_id"].dtype) == "Int64"
    claim = dataset.claims.set_index("id").loc["c001"]
    assert math.isnan(claim["figure_best"]) and claim["figure_high"] == 6500.0
    assert claim["date"] == "2023-05-25"  # dates stay text at their precision
    assert set(dataset.texts) == {"d000", "d001"}
    assert set(dataset.geometry) == {"countries", "borders"}
    assert list(dataset.geometry["countries"]["id"]) == ["AFG", "TJK"]
    assert dataset.geometry["countries"].crs.to_epsg() == 4326


def test_text_is_never_coerced(make_data):
    tables = factory.base_tables()
    tables["groups"][0]["alt_names"] = "NA;012"
    tables["actors"][1]["name"] = "NA"
    ds = load_dataset(*make_data(tables=tables))
    assert ds.groups.loc[0, "alt_names"] == "NA;012"
    assert ds.actors.loc[1, "name"] == "NA"
    assert ds.actors.loc[0, "notes"] == ""


def test_seeds_default_to_the_folder_beside_the_data(data_dirs):
    data_dir, seeds_dir = data_dirs
    assert load_dataset(data_dir).seeds_dir == seeds_dir


def test_one_error_lists_every_problem(make_data):
    tables = factory.base_tables()
    tables["claims"][1]["id"] = "c001"
    tables["claims"][0]["date"] = "May 2023"
    tables["reports"][0]["quote"] = "words the article never used"
    with pytest.raises(DataError) as caught:
        load_dataset(*make_data(tables=tables))
    lines = str(caught.value).splitlines()
    located = {f"{p.file}:{p.row}:{p.field}" for p in caught.value.problems}
    assert {"geodata/claims.csv:3:id", "geodata/claims.csv:2:date", "geodata/reports.csv:2:quote"} <= located
    assert lines[0] == f"{len(caught.value.problems)} problem(s) in the data:"
    assert lines[1:] == [str(p) for p in caught.value.problems]


def test_fingerprint_changes_with_the_files(data_dirs):
    data_dir, seeds_dir = data_dirs
    before = data_fingerprint(data_dir, seeds_dir)
    assert before == data_fingerprint(data_dir)
    assert any(name == "claims.csv" for _, name, _, _ in before)
    with (data_dir / "claims.csv").open("a", encoding="utf-8") as f:
        f.write("\n")
    assert data_fingerprint(data_dir, seeds_dir) != before


def _lat_as_text(descriptor: dict) -> None:
    lat = factory.schema_field(descriptor, "places", "lat")
    lat["type"] = "string"
    del lat["constraints"]


def test_a_copy_of_the_schema_cannot_loosen_the_types(make_data):
    # A data folder declaring lat as text must not hand the map a text latitude.
    tables = factory.base_tables()
    tables["places"][0]["lat"] = "north"
    loosened = factory.package_with("geodata", _lat_as_text)
    with pytest.raises(DataError) as caught:
        load_dataset(*make_data(tables=tables, raw={"geodata/datapackage.json": loosened}))
    located = [f"{p.file}:{p.row}:{p.field}" for p in caught.value.problems]
    assert located == ["geodata/datapackage.json:0:places.lat", "geodata/places.csv:2:lat"]


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ({"geodata/datapackage.json": b"[]"}, "geodata/datapackage.json:0:"),
        ({"geodata/datapackage.json": b'{"resources": "x"}'}, "geodata/datapackage.json:0:"),
        (
            {
                "geodata/reports.csv": factory.table_bytes("reports").replace(
                    b"r001", b"r001" + b"x" * 140_000
                )
            },
            "geodata/reports.csv:2:",
        ),
    ],
    ids=["package-is-a-list", "resources-is-a-string", "cell-over-128-KiB"],
)
def test_hostile_files_raise_one_data_error(make_data, raw, where):
    with pytest.raises(DataError) as caught:
        load_dataset(*make_data(raw=raw))
    assert where in {f"{p.file}:{p.row}:{p.field}" for p in caught.value.problems}


def test_the_dataset_is_what_was_validated(make_data, monkeypatch):
    # A file changed between checking and loading must not slip in unchecked.
    from dashboard import loader

    def validate_then_change(data_dir, seeds_dir):
        result = validate(data_dir, seeds_dir)
        tables = factory.base_tables()
        tables["places"][0]["lat"] = "north"
        (data_dir / "places.csv").write_bytes(factory.table_bytes("places", rows=tables["places"]))
        return result

    monkeypatch.setattr(loader, "validate", validate_then_change)
    ds = load_dataset(*make_data())
    assert ds.places.loc[0, "lat"] == 34.0


def test_nothing_half_loads(make_data, monkeypatch):
    # Whatever fails while building the dataset becomes a reported problem, never a partial dataset.
    from dashboard import loader

    def broken(features):
        raise ValueError("cannot build this")

    monkeypatch.setattr(loader, "geometry_frame", broken)
    with pytest.raises(DataError) as caught:
        load_dataset(*make_data())
    assert [str(p) for p in caught.value.problems] == [
        "geodata/borders.geojson:0:: cannot be loaded: ValueError: cannot build this",
        "geodata/countries.geojson:0:: cannot be loaded: ValueError: cannot build this",
    ]


def test_data_errors_name_files_within_their_folders(make_data, tmp_path):
    data_dir, seeds_dir = make_data(
        texts={"d000": factory.TEXTS["d000"]}, remove=("geodata/datapackage.json", "geodata/groups.csv")
    )
    with pytest.raises(DataError) as caught:
        load_dataset(data_dir, seeds_dir)
    message = str(caught.value)
    assert str(tmp_path) not in message
    assert {p.file for p in caught.value.problems} == {
        "geodata/datapackage.json",
        "geodata/groups.csv",
        "seeds/documents.csv",
    }
