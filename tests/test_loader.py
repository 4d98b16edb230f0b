"""The loader validates first, raises one error listing every problem, then builds typed tables."""

from __future__ import annotations

import math

import factory
import pytest

from dashboard.loader import DataError, data_fingerprint, load_dataset


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
