"""Default data folders: the checkout's own, the copy an installed wheel carries, or the environment's."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import locations
from dashboard.loader import DEFAULT_DATA_DIR, load_dataset

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def no_overrides(monkeypatch):
    monkeypatch.delenv(locations.DATA_DIR_ENV, raising=False)
    monkeypatch.delenv(locations.SEEDS_DIR_ENV, raising=False)


def test_a_checkout_reads_its_own_folders():
    assert locations.in_checkout()
    assert locations.default_data_dir() == REPO / "geodata"
    assert locations.default_seeds_dir() == REPO / "seeds"
    assert DEFAULT_DATA_DIR == REPO / "geodata"


def test_an_installed_package_reads_the_copy_it_carries(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"  # no pyproject.toml, no geodata/ beside the package
    monkeypatch.setattr(locations, "CHECKOUT_DIR", site)
    monkeypatch.setattr(locations, "BUNDLED_DIR", site / "dashboard" / "bundled")
    assert not locations.in_checkout()
    assert locations.default_data_dir() == site / "dashboard" / "bundled" / "geodata"
    assert locations.default_seeds_dir() == site / "dashboard" / "bundled" / "seeds"


def test_a_folder_named_geodata_without_a_project_is_not_a_checkout(tmp_path, monkeypatch):
    (tmp_path / "geodata").mkdir()  # e.g. an unrelated geodata/ in site-packages
    monkeypatch.setattr(locations, "CHECKOUT_DIR", tmp_path)
    assert not locations.in_checkout()


def test_the_environment_points_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv(locations.DATA_DIR_ENV, str(tmp_path / "data"))
    assert locations.default_data_dir() == tmp_path / "data"
    assert locations.default_seeds_dir() == tmp_path / "seeds"  # documents travel with their data
    monkeypatch.setenv(locations.SEEDS_DIR_ENV, str(tmp_path / "docs"))
    assert locations.default_seeds_dir() == tmp_path / "docs"
    assert locations.default_seeds_dir(REPO / "geodata") == tmp_path / "docs"


def test_seeds_default_to_the_folder_beside_a_given_data_folder(tmp_path):
    assert locations.default_seeds_dir(tmp_path / "geodata") == tmp_path / "seeds"


def test_the_app_reads_what_the_environment_says(make_data, monkeypatch):
    from dashboard.ui import data as ui_data

    assert ui_data.data_dirs() == (REPO / "geodata", REPO / "seeds")
    data_dir, seeds_dir = make_data()
    monkeypatch.setenv(locations.DATA_DIR_ENV, str(data_dir))
    monkeypatch.setenv(locations.SEEDS_DIR_ENV, str(seeds_dir))
    assert ui_data.data_dirs() == (data_dir, seeds_dir)
    assert load_dataset(*ui_data.data_dirs()).data_dir == data_dir
