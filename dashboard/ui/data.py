"""The one cached thing: the loaded dataset and its flat table, keyed on the data files' change times."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.flat import flat_reports
from dashboard.loader import DEFAULT_DATA_DIR, data_fingerprint, load_dataset
from dashboard.model import Dataset

#: Environment variables that point the app at another data folder (tests use them).
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"
SEEDS_DIR_ENV = "DASHBOARD_SEEDS_DIR"


def data_dirs() -> tuple[Path, Path | None]:
    """The data and documents folders the app reads."""
    data_dir = Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
    seeds = os.environ.get(SEEDS_DIR_ENV)
    return data_dir, Path(seeds) if seeds else None


@st.cache_resource(max_entries=2, show_spinner="Loading the data…")
def _load(data_dir: str, seeds_dir: str | None, fingerprint: tuple) -> tuple[Dataset, pd.DataFrame]:
    ds = load_dataset(Path(data_dir), Path(seeds_dir) if seeds_dir else None)
    return ds, flat_reports(ds)


def load() -> tuple[Dataset, pd.DataFrame]:
    """The dataset and its flat table; reloaded when a data file changes. Raises ``DataError``."""
    data_dir, seeds_dir = data_dirs()
    return _load(str(data_dir), str(seeds_dir) if seeds_dir else None, data_fingerprint(data_dir, seeds_dir))
