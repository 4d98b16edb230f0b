"""The same data in both stores gives the same results: filtered tables, "what changed" and exports.

The bundled data, and a copy of it with retractions (a document and a claimant), are read from their
folders and from a shared database they were loaded into; every filter (province, source, claimant,
known-on dates, retracted reports shown), the changes between two dates, and the CSV and GeoJSON
exports must come out the same.
"""

from __future__ import annotations

import re
import shutil

import dbstore
import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.filters import apply_filters, filters_from_query, resolve_filters
from dashboard.flat import flat_reports
from dashboard.loader import database_dirs, load_dataset
from dashboard.retraction import retract

REPO = dbstore.REPO

FILTERS = [
    {},
    {"province": ["Badakhshan"]},
    {"document": ["d001", "d003"]},
    {"claimant": ["izvestia", "shoigu"]},
    {"known_on": "2023-12-31"},
    {"known_on": "2024-06"},
    {"start": "2023", "end": "2024-06", "province": ["Kunduz", "Takhar"]},
    {"include_retracted": "1"},
    {"include_retracted": "1", "known_on": "2024-04-01"},
]
COMMANDS = [
    ["export", "csv"],
    ["export", "csv", "--province", "Badakhshan", "--include-retracted"],
    ["export", "geojson"],
    ["export", "geojson", "--known-on", "2024-03-31", "--claimant", "shoigu"],
    ["changes", "--from", "2023-06-01", "--to", "2024-06-30"],
    ["changes", "--from", "2024-01-01", "--to", "2025-12-31", "--include-retracted"],
]


@pytest.fixture(params=["bundled", "with retractions"], scope="module")
def folders(request, tmp_path_factory):
    """The bundled data folder, or a copy of it with a document and a claimant retracted."""
    if request.param == "bundled":
        return REPO / "geodata", REPO / "seeds"
    root = tmp_path_factory.mktemp("retracted")
    shutil.copytree(REPO / "geodata", root / "geodata")
    shutil.copytree(REPO / "seeds", root / "seeds")
    assert retract(root / "geodata", "d002", "The outlet withdrew it.", when="2024-05-01", who="t").ok
    assert retract(root / "geodata", "izvestia", "Discredited.", when="2024", kind="discredited", who="t").ok
    return root / "geodata", root / "seeds"


@pytest.fixture
def both(folders, database_url, tmp_path, monkeypatch):
    """The folders, and the same data loaded into a database that the environment now names."""
    dbstore.load(database_url, *folders)
    dbstore.use_database(monkeypatch, database_url, tmp_path / "cache")
    return folders


def _view(ds, flat, query):
    filters, problems = resolve_filters(filters_from_query(query), ds)
    assert problems == []
    return apply_filters(flat, filters).reset_index(drop=True)


def test_filtered_tables_are_the_same_in_both_stores(both):
    from_folder = load_dataset(*both)
    from_database = load_dataset(*database_dirs())
    flat_folder, flat_database = flat_reports(from_folder), flat_reports(from_database)
    pd.testing.assert_frame_equal(flat_folder, flat_database)
    for query in FILTERS:
        folder_view = _view(from_folder, flat_folder, query)
        pd.testing.assert_frame_equal(folder_view, _view(from_database, flat_database, query), obj=str(query))
    assert len(_view(from_folder, flat_folder, {"known_on": "2023-12-31"})) < len(flat_folder)


def test_exports_and_changes_are_the_same_bytes_in_both_stores(both, tmp_path, capsys):
    data_dir, seeds_dir = both
    for n, command in enumerate(COMMANDS):
        suffix = ".geojson" if "geojson" in command else ".csv"
        outs = [tmp_path / f"{n}-folder{suffix}", tmp_path / f"{n}-database{suffix}"]
        folder_options = ["--data", str(data_dir), "--seeds", str(seeds_dir)]
        assert main([*command, "--out", str(outs[0]), *folder_options]) == 0, command
        assert main([*command, "--out", str(outs[1])]) == 0, command  # no folder named: the database
        assert _printed(outs[0]) == _printed(outs[1]), command
        assert outs[0].stat().st_size > 0


def _printed(path) -> bytes:
    """The file's bytes, its time of printing aside (the two runs may fall in different minutes)."""
    return re.sub(rb'"As of": "[^"]*"', b'"As of": ""', path.read_bytes())
