"""Load a validated data folder into a ``Dataset``.

Nothing is coerced before it is checked: the validator reads the CSVs as text ("NA" and "012" stay
strings) and checks everything, and only a clean folder is turned into typed tables, typed by the
product's own schema (``dashboard/contract/``), never by the copy in the data folder. Any problem raises
one ``DataError`` that lists them all, each naming its file relative to its folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd

from dashboard.datafolder import TransactionError, reading
from dashboard.locations import default_data_dir
from dashboard.model import Dataset
from dashboard.schema import GEODATA_CONTRACT, SEEDS_CONTRACT, Resource, product_schema
from dashboard.validate import Problem, Table, feature_id, validate
from dashboard.validate.problems import Collector
from dashboard.values import TEXT

#: The data folder read when none is given: ``$DASHBOARD_DATA_DIR``, else the project's own (see locations).
DEFAULT_DATA_DIR = default_data_dir()

T = TypeVar("T")

#: Tables of the data folder that become ``Dataset`` attributes.
TABLES = ("places", "groups", "actors", "claims", "events", "reports", "retractions")


class DataError(Exception):
    """The data folder has problems; ``problems`` holds every one, the message lists them one a line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the data:"] + [str(p) for p in self.problems]
        super().__init__("\n".join(lines))


def default_seeds_dir(data_dir: Path) -> Path:
    """Where the documents live when not said otherwise: ``seeds/`` beside the data folder."""
    return Path(data_dir).parent / "seeds"


def load_dataset(data_dir: Path = DEFAULT_DATA_DIR, seeds_dir: Path | None = None) -> Dataset:
    """Validate ``data_dir`` and ``seeds_dir`` and return the typed ``Dataset``; raise ``DataError``.

    The dataset is built from what the validator read (never from a second reading of the files, which
    could have changed in between), typed by the product's own schema. Nothing half-loads: the result is
    a whole ``Dataset`` or a ``DataError`` with every problem.
    """
    data_dir = Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir(data_dir)
    try:
        with reading(data_dir, seeds_dir):  # no change half done, none starting while this reads
            result = validate(data_dir, seeds_dir)
    except TransactionError as exc:
        raise DataError([Problem(data_dir.name, 0, "", str(exc))]) from exc
    if not result.ok:
        raise DataError(result.problems)
    names = Collector(data_dir)
    schema = {**product_schema(GEODATA_CONTRACT), **product_schema(SEEDS_CONTRACT)}
    problems: list[Problem] = []
    frames = {
        name: _built(result.tables[name].file, problems, typed_frame, result.tables[name], schema[name])
        for name in (*TABLES, "documents")
    }
    geometry = {
        stem: _built(names.name(data_dir / f"{stem}.geojson"), problems, geometry_frame, features)
        for stem, features in result.features.items()
    }
    if problems:
        raise DataError(problems)
    return Dataset(
        data_dir=data_dir,
        seeds_dir=seeds_dir,
        texts=dict(result.texts),
        geometry=geometry,
        **frames,
    )


def _built(file: str, problems: list[Problem], build: Callable[..., T], *args: Any) -> T | None:
    """``build(*args)``, or None with a problem naming ``file`` when it fails.

    The validator accepted the data, so a failure here is a rule it lacks; it is reported like any other
    problem rather than crashing the page or leaving part of the dataset unloaded.
    """
    try:
        return build(*args)
    except Exception as exc:  # whatever it is, it must become a reported problem
        problems.append(Problem(file, 0, "", f"cannot be loaded: {type(exc).__name__}: {exc}"))
        return None


def typed_frame(table: Table, resource: Resource) -> pd.DataFrame:
    """A validated table's cell text as a DataFrame: numbers as float (NaN when empty), integers as int.

    Required integers become ``int64``; optional ones pandas' nullable ``Int64``; everything else stays
    text ("NA" and "012" are never guessed at). Call only on a table the validator accepted: a bad cell
    raises here rather than being guessed at.
    """
    columns = resource.field_names
    frame = pd.DataFrame([[row[c] for c in columns] for _, row in table.rows], columns=columns, dtype=TEXT)
    for fld in resource.fields:
        column = frame[fld.name]
        if fld.type == "number":
            frame[fld.name] = pd.to_numeric(column.replace("", None), errors="raise").astype(float)
        elif fld.type == "integer":
            values = pd.to_numeric(column.replace("", None), errors="raise")
            frame[fld.name] = values.astype("int64" if fld.required else "Int64")
    return frame


def geometry_frame(features: list[dict]) -> gpd.GeoDataFrame:
    """Validated GeoJSON features as a GeoDataFrame in EPSG:4326, with each feature's id in ``id``."""
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    frame["id"] = [feature_id(f) for f in features]
    return frame


def database_dirs(data_dir: Path | None = None) -> tuple[Path, Path] | None:
    """The folders holding the shared database's current data, or None when the folders are read.

    With ``DASHBOARD_DATABASE_URL`` set and no other folder named (``data_dir`` None or the default),
    the database's current version is written once into a private cache folder (see
    ``dashboard.db.snapshot``) and read from there like any data folder, so every view and export is one
    code path for both stores; while the version stays the same this costs one query. Raises
    ``dashboard.db.DatabaseError`` when the database cannot be read.
    """
    from dashboard.db import database_url

    url = database_url()
    if url is None or (data_dir is not None and Path(data_dir) != DEFAULT_DATA_DIR):
        return None
    from dashboard.db.snapshot import materialise

    snapshot = materialise(url)
    return snapshot.data_dir, snapshot.seeds_dir


def data_fingerprint(data_dir: Path = DEFAULT_DATA_DIR, seeds_dir: Path | None = None) -> tuple:
    """A cheap cache key: (folder, name, mtime in ns, size) of every file in both folders."""
    data_dir = Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir(data_dir)
    entries = []
    for folder in (data_dir, seeds_dir):
        try:
            with os.scandir(folder) as listing:
                found = sorted(listing, key=lambda entry: entry.name)
        except OSError:  # no folder (yet): the loader reports it
            continue
        for entry in found:
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError:  # removed since the folder was listed (an editor saving it): not there now
                continue
            entries.append((str(folder), entry.name, stat.st_mtime_ns, stat.st_size))
    return tuple(entries)
