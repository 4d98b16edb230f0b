"""The one cached thing: the loaded dataset and its flat table, loaded again when a data file changes.

When the folder stops validating under the running app (a bad cell saved, a file removed or half
written), the page keeps the last good data and says why at its top; it picks the data up again once
the folder validates (``dashboard.reload``). Problems of the imported events' store are said there too.

With a shared database, the data is its current version (one query a run to know it); when the
database cannot be reached the page keeps the version it last read, says so and since when, and
catches up by itself at the first run after the database is back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.db import DatabaseError, database_url
from dashboard.events.store import EventStore
from dashboard.flat import flat_reports
from dashboard.loader import database_dirs, load_dataset
from dashboard.locations import DATA_DIR_ENV, SEEDS_DIR_ENV, default_data_dir, default_seeds_dir
from dashboard.model import Dataset
from dashboard.reload import LastGood
from dashboard.ui.text import md_format

__all__ = ["DATA_DIR_ENV", "SEEDS_DIR_ENV", "data_dirs", "load"]

#: The shared database as this server last read it: the folders of its last version, and since when
#: (and why) it cannot be read. Per process, like the cached dataset.
_shared: dict = {"url": None, "dirs": None, "down_since": None, "why": ""}


def data_dirs() -> tuple[Path, Path]:
    """The data and documents folders the app reads, decided per run (tests set the variables)."""
    try:
        dirs = database_dirs()
    except DatabaseError as exc:
        if _shared["dirs"] is None or _shared["url"] != database_url():
            raise
        _shared["down_since"] = _shared["down_since"] or datetime.now(UTC)
        _shared["why"] = str(exc)
        return _shared["dirs"]
    if dirs is not None:
        _shared.update(url=database_url(), dirs=dirs, down_since=None, why="")
        return dirs
    _shared.update(url=None, dirs=None, down_since=None, why="")  # no database: nothing to say of one
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
    try:
        data_dir, seeds_dir = data_dirs()
    except DatabaseError as exc:  # nothing read from it yet: nothing to show
        st.error(
            md_format("The shared database cannot be read, and this server has no data from it yet: {}", exc)
        )
        st.stop()
    (ds, flat), stale = _holder(str(data_dir), str(seeds_dir)).get()
    if _shared["down_since"] is not None:
        st.warning(
            md_format(
                "The shared database cannot be reached since {} UTC ({}). This page shows the data as "
                "last read from it, version {}; it catches up by itself once the database is back.",
                _shared["down_since"].strftime("%Y-%m-%d %H:%M:%S"),
                _shared["why"],
                Path(data_dir).parent.name.removeprefix("v"),
            )
        )
    if stale is not None:
        st.warning(md_format("{}", stale.message()))  # plain text: problems quote cells as typed
    for problem in EventStore(ds.data_dir).problems():
        st.warning(md_format("Imported events: {}", problem))
    return ds, flat
