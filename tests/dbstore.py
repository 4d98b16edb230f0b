"""Helpers for the shared-database tests: a database holding a data folder, what it holds, its version."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.db import DATABASE_URL_ENV, connect, curated, state
from dashboard.db.snapshot import CACHE_DIR_ENV
from dashboard.db.transfer import load_folder

REPO = Path(__file__).resolve().parents[1]


def load(url: str, data_dir: Path, seeds_dir: Path | None = None) -> None:
    """Make the folders the database's curated data."""
    load_folder(url, data_dir, seeds_dir, who="loader")


def files(url: str) -> dict[tuple[str, str], bytes]:
    """Every curated file the database holds."""
    with connect(url) as conn:
        return curated.read_files(conn)


def version(url: str) -> state.State:
    """The database's ``dataset_state``."""
    with connect(url) as conn:
        return state.current(conn)


def use_database(monkeypatch: pytest.MonkeyPatch, url: str, cache: Path) -> None:
    """Point everything that reads or writes the curated data at the database ``url``."""
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache))
