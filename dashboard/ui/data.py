"""The one cached thing: the loaded dataset and its flat table, loaded again when a data file changes.

When the folder stops validating under the running app (a bad cell saved, a file removed or half
written), the page keeps the last good data and says why at its top; it picks the data up again once
the folder validates (``dashboard.reload``). Problems of the imported events' store are said there too.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.events.store import EventStore
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.locations import DATA_DIR_ENV, SEEDS_DIR_ENV, default_data_dir, default_seeds_dir
from dashboard.model import Dataset
from dashboard.reload import LastGood
from dashboard.ui.text import md_format

__all__ = ["DATA_DIR_ENV", "SEEDS_DIR_ENV", "data_dirs", "load"]


def data_dirs() -> tuple[Path, Path]:
    """The data and documents folders the app reads, decided per run (tests set the variables)."""
    data_dir = default_data_dir()
    return data_dir, default_seeds_dir(data_dir)


def _build(data_dir: Path, seeds_dir: Path) -> tuple[Dataset, pd.DataFrame]:
    with st.spinner("Loading the data…"):
        ds = load_dataset(data_dir, seeds_dir)
        return ds, flat_reports(ds)


@st.cache_resource(max_entries=4, show_spinner=False)
def _holder(data_dir: str, seeds_dir: str) -> LastGood[tuple[Dataset, pd.DataFrame]]:
    """One loader per pair of folders, shared by every session of the server."""
    return LastGood(Path(data_dir), Path(seeds_dir), _build)


def load() -> tuple[Dataset, pd.DataFrame]:
    """The dataset and its flat table; reloaded when a data file changes. Raises ``DataError`` when the
    folder has never validated; when it stopped validating, shows a warning and returns the last good data."""
    data_dir, seeds_dir = data_dirs()
    (ds, flat), stale = _holder(str(data_dir), str(seeds_dir)).get()
    if stale is not None:
        st.warning(md_format("{}", stale.message()))  # plain text: problems quote cells as typed
    for problem in EventStore(ds.data_dir).problems():
        st.warning(md_format("Imported events: {}", problem))
    return ds, flat
