"""Collect-all validation of a data folder (``geodata/``) and its documents (``seeds/``).

Every check runs and every problem is collected; nothing stops at the first one. Each problem names the
file, the spreadsheet row (the header is row 1, so the first data row is row 2; 0 for the file as a
whole), the field and what is wrong: ``geodata/claims.csv:7:unit: ...``. In GeoJSON files the row is
the feature number (the first feature is 1) and the field is ``geometry`` or the property concerned.

Validation also fails when nothing was checked: a missing or empty table is a problem.

The checks live in one module each: ``tables`` (CSV reading and Table Schema constraints),
``references`` (ids and foreign keys), ``documents`` (digests and verbatim quotes), ``figures``,
``dates_rules``, ``places`` and ``geojson`` (RFC 7946).
"""

from __future__ import annotations

from pathlib import Path

from dashboard.validate.dates_rules import FUTURE_EVENT_TYPES, check_dates
from dashboard.validate.documents import check_documents, check_quotes
from dashboard.validate.figures import check_figures
from dashboard.validate.geojson import check_geojson, feature_id, geometry_problems, signed_area
from dashboard.validate.places import REGION_BOX, check_places
from dashboard.validate.problems import COUNTED_TABLES, Collector, Problem, Validation
from dashboard.validate.references import (
    MULTI_VALUED,
    SINGLE_REFS,
    check_references,
    check_reported,
    split_ids,
)
from dashboard.validate.tables import Table, read_package, read_table

__all__ = [
    "COUNTED_TABLES",
    "FUTURE_EVENT_TYPES",
    "MULTI_VALUED",
    "REGION_BOX",
    "SINGLE_REFS",
    "Problem",
    "Table",
    "Validation",
    "check_geojson",
    "feature_id",
    "geometry_problems",
    "read_table",
    "signed_area",
    "split_ids",
    "validate",
]

#: The data package resource that gives the country boxes places are checked against.
BOUNDS = "country_bounds"


def validate(data_dir: Path, seeds_dir: Path | None = None) -> Validation:
    """Check everything in ``data_dir`` and ``seeds_dir`` (default: ``data_dir.parent / "seeds"``)."""
    data_dir = Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else data_dir.parent / "seeds"
    out = Collector(data_dir.parent)
    geodata = read_package(data_dir, out)
    tables: dict[str, Table] = {}
    for folder, resources in ((data_dir, geodata), (seeds_dir, read_package(seeds_dir, out))):
        for resource in resources.values():
            table = read_table(folder / resource.path, resource, out)
            if table is not None:
                tables[resource.name] = table
    if geodata and BOUNDS not in geodata:
        # Without the boxes no place could be checked against its country; say so rather than skip it.
        out.add(
            out.name(data_dir / "datapackage.json"),
            0,
            "resources",
            f"no {BOUNDS!r} resource: places cannot be checked against their country's box",
        )
    feature_ids = {path.name: check_geojson(path, out) for path in sorted(data_dir.glob("*.geojson"))}
    texts = check_documents(tables.get("documents"), seeds_dir, out)
    check_references(tables, geodata, out)
    check_quotes(tables, texts, out)
    check_figures(tables, out)
    check_dates(tables, out)
    check_reported(tables, out)
    check_places(tables, feature_ids, out)
    counts = {name: len(t.rows) for name, t in tables.items()}
    out.problems.sort(key=lambda p: (p.file, p.row))
    return Validation(out.problems, counts, len(feature_ids))
