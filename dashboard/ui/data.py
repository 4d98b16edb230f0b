"""The one cached thing: the loaded dataset and its flat table, keyed on the data files' change times."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.flat import flat_reports
from dashboard.loader import data_fingerprint, load_dataset
from dashboard.locations import DATA_DIR_ENV, SEEDS_DIR_ENV, default_data_dir, default_seeds_dir
from dashboard.model import Dataset

__all__ = ["DATA_DIR_ENV", "SEEDS_DIR_ENV", "data_dirs", "load"]


def data_dirs() -> tuple[Path, Path]:
    """The data and documents folders the app reads, decided per run (tests set the variables)."""
    data_dir = default_data_dir()
    return data_dir, default_seeds_dir(data_dir)


@st.cache_resource(max_entries=2, show_spinner="Loading the data…")
def _load(data_dir: str, seeds_dir: str, fingerprint: tuple) -> tuple[Dataset, pd.DataFrame]:
    ds = load_dataset(Path(data_dir), Path(seeds_dir))
    return ds, flat_reports(ds)


def load() -> tuple[Dataset, pd.DataFrame]:
    """The dataset and its flat table; reloaded when a data file changes. Raises ``DataError``."""
    data_dir, seeds_dir = data_dirs()
    return _load(str(data_dir), str(seeds_dir), data_fingerprint(data_dir, seeds_dir))
