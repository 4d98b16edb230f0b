"""Collect-all validation of a data folder (``geodata/``) and its documents (``seeds/``).

Every check runs and every problem is collected; nothing stops at the first one. Each problem names the
file, the spreadsheet row (the header is row 1, so the first data row is row 2; 0 for the file as a
whole), the field and what is wrong: ``geodata/claims.csv:7:unit: ...``. In GeoJSON files the row is
the feature number (the first feature is 1) and the field is ``geometry`` or the property concerned.

Validation also fails when nothing was checked: a missing or empty table is a problem.

The checks live in one module each: ``contract`` (a folder's ``datapackage.json`` against the product's
own schema), ``tables`` (CSV reading and Table Schema constraints), ``characters`` (control and
bidirectional characters), ``references`` (ids and foreign keys), ``documents`` (digests, addresses and
verbatim quotes), ``figures``, ``dates_rules`` (as-of and said times), ``events_rules`` (ACLED types,
status, location, fatalities), ``places`` (boxes, UCDP precision codes, border points on their line),
``retractions``, ``geojson`` (RFC 7946) and ``audit`` (the review trail).
"""

from __future__ import annotations

from pathlib import Path

from dashboard.schema import GEODATA_CONTRACT, SEEDS_CONTRACT, product_schema
from dashboard.validate.audit import check_audit
from dashboard.validate.contract import check_package
from dashboard.validate.dates_rules import FUTURE_EVENT_TYPES, check_dates
from dashboard.validate.documents import check_documents, check_quotes, check_urls
from dashboard.validate.events_rules import check_events
from dashboard.validate.figures import check_figures
from dashboard.validate.geojson import check_geojson, feature_id, geometry_problems, signed_area
from dashboard.validate.outcome import COUNTED_TABLES, Validation
from dashboard.validate.places import REGION_BOX, check_places
from dashboard.validate.problems import Collector, Problem
from dashboard.validate.references import MULTI_VALUED, SINGLE_REFS, check_references, check_reported
from dashboard.validate.retractions import check_retractions
from dashboard.validate.tables import Table, read_table

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
    "validate",
]


def validate(data_dir: Path, seeds_dir: Path | None = None) -> Validation:
    """Check everything in ``data_dir`` and ``seeds_dir`` (default: ``data_dir.parent / "seeds"``).

    Tables are read and checked by the product's own schema; each folder's ``datapackage.json`` is held
    to it. Files are named relative to their folder (``geodata/places.csv``), never by absolute path.
    """
    data_dir = Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else data_dir.parent / "seeds"
    out = Collector(data_dir, seeds_dir)
    tables: dict[str, Table] = {}
    packages = ((data_dir, GEODATA_CONTRACT), (seeds_dir, SEEDS_CONTRACT))
    resources = {}
    for folder, contract in packages:
        package = check_package(folder, product_schema(contract), out)
        resources.update(package.resources)
        for resource in package.resources.values():
            table = read_table(folder / resource.path, resource, out, package.stricter.get(resource.name, ()))
            if table is not None:
                tables[resource.name] = table
    geo = {path.stem: check_geojson(path, out) for path in sorted(data_dir.glob("*.geojson"))}
    feature_ids = {f"{stem}.geojson": checked.ids for stem, checked in geo.items()}
    texts = check_documents(tables.get("documents"), seeds_dir, out)
    check_urls(tables.get("documents"), out)
    check_references(tables, resources, out)
    check_quotes(tables, texts, out)
    check_figures(tables, out)
    check_dates(tables, out)
    check_events(tables, out)
    check_reported(tables, out)
    features = {stem: checked.features for stem, checked in geo.items() if checked.features is not None}
    check_places(tables, feature_ids, out, {f"{stem}.geojson": found for stem, found in features.items()})
    check_audit(tables, out)
    check_retractions(tables, out)
    counts = {name: len(t.rows) for name, t in tables.items()}
    out.problems.sort(key=lambda p: (p.file, p.row))
    return Validation(out.problems, counts, len(geo), tables, texts, features)
