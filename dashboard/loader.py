"""Load a validated data folder into a ``Dataset``.

Nothing is coerced before it is checked: the CSVs are read as text ("NA" and "012" stay strings), the
validator runs over everything, and only a clean folder is turned into typed tables. Any problem raises
one ``DataError`` that lists them all.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.locations import default_data_dir
from dashboard.model import Dataset
from dashboard.schema import Resource, load_package
from dashboard.validate import Problem, feature_id, validate

#: The data folder read when none is given: ``$DASHBOARD_DATA_DIR``, else the project's own (see locations).
DEFAULT_DATA_DIR = default_data_dir()

#: Tables of the data folder that become ``Dataset`` attributes.
TABLES = ("places", "groups", "actors", "claims", "events", "reports")


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
    """Validate ``data_dir`` and ``seeds_dir`` and return the typed ``Dataset``; raise ``DataError``."""
    data_dir = Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir(data_dir)
    result = validate(data_dir, seeds_dir)
    if not result.ok:
        raise DataError(result.problems)
    geodata = load_package(data_dir / "datapackage.json")
    seeds = load_package(seeds_dir / "datapackage.json")
    frames = {name: read_typed(data_dir / geodata[name].path, geodata[name]) for name in TABLES}
    documents = read_typed(seeds_dir / seeds["documents"].path, seeds["documents"])
    texts = {row.id: (seeds_dir / row.file).read_text(encoding="utf-8") for row in documents.itertuples()}
    geometry = {path.stem: read_geojson(path) for path in sorted(data_dir.glob("*.geojson"))}
    return Dataset(
        data_dir=data_dir,
        seeds_dir=seeds_dir,
        documents=documents,
        texts=texts,
        geometry=geometry,
        **frames,
    )


def read_typed(path: Path, resource: Resource) -> pd.DataFrame:
    """Read a CSV as text, then convert number fields to float (NaN when empty) and integers to int.

    Required integers become ``int64``; optional ones pandas' nullable ``Int64``. Call only on a file the
    validator accepted: a bad cell raises here rather than being guessed at.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for fld in resource.fields:
        column = frame[fld.name]
        if fld.type == "number":
            frame[fld.name] = pd.to_numeric(column.replace("", None), errors="raise").astype(float)
        elif fld.type == "integer":
            values = pd.to_numeric(column.replace("", None), errors="raise")
            frame[fld.name] = values.astype("int64" if fld.required else "Int64")
    return frame


def read_geojson(path: Path) -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection as a GeoDataFrame in EPSG:4326, with each feature's id in ``id``."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    frame["id"] = [feature_id(f) for f in features]
    return frame


def data_fingerprint(data_dir: Path = DEFAULT_DATA_DIR, seeds_dir: Path | None = None) -> tuple:
    """A cheap cache key: (folder, name, mtime in ns, size) of every file in both folders."""
    data_dir = Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir(data_dir)
    entries = []
    for folder in (data_dir, seeds_dir):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file():
                    stat = path.stat()
                    entries.append((str(folder), path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(entries)
