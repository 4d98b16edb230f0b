"""Imported events in the tabular exports (CSV, GeoJSON, XLSX): rows after the curated reports.

Each imported event becomes one row with ``kind`` "imported" and the flat columns filled where they
mean the same thing (date, type, place, coordinates, fatalities as the dataset states them), plus two
columns only imported rows fill: ``dataset`` and ``event_id``. Their notes name the dataset's
attribution, the event's status in the source and how its province was found.
"""

from __future__ import annotations

import pandas as pd

from dashboard.events import aggregate
from dashboard.events.datasets import DATASETS, credit_line
from dashboard.events.query import condition, towns_of
from dashboard.events.regions import BASIS_WORDS, regions_for
from dashboard.events.store import EventStore, engine
from dashboard.model import FLAT_COLUMNS, Dataset, Filters

#: Columns the exports add after ``FLAT_COLUMNS`` when imported events are present.
IMPORTED_COLUMNS: tuple[str, ...] = ("dataset", "event_id")
#: How the imported data were changed before they are shown (ACLED's terms ask for it with the credit).
HOW_CHANGED = (
    "Imported events are shown as their dataset states them (no figure is altered), selected by the "
    "view's filters, and above 1,000 in view counted per hexagon, province or district; each event's "
    "province is resolved from its province name and its point."
)
#: Rows exported at most (the whole of a large store would make a spreadsheet no one can open).
EXPORT_LIMIT = 1_000_000


def imported_rows(ds: Dataset, filters: Filters) -> pd.DataFrame:
    """The imported events matching ``filters`` as export rows (``FLAT_COLUMNS`` + ``IMPORTED_COLUMNS``)."""
    manifests = EventStore(ds.data_dir).manifests()
    columns = [*FLAT_COLUMNS, *IMPORTED_COLUMNS]
    if not manifests:
        return pd.DataFrame(columns=columns)
    regions = regions_for(ds.data_dir)
    rows = aggregate.rows(
        engine(ds.data_dir), condition(filters, None, regions, towns_of(ds.places, regions)), EXPORT_LIMIT
    )
    out = [_row(r, manifests.get(r["dataset"], {})) for r in rows.to_dict("records")]
    frame = pd.DataFrame(out, columns=columns)
    for column in ("figure_low", "figure_best", "figure_high", "lat", "lon"):
        frame[column] = frame[column].astype(float)
    frame["location_precision"] = frame["location_precision"].astype("Int64")
    return frame


def with_imported(ds: Dataset, filters: Filters, flat: pd.DataFrame) -> pd.DataFrame:
    """``flat`` followed by the matching imported events; ``flat`` itself when none is imported."""
    extra = imported_rows(ds, filters)
    if extra.empty:
        return flat
    return pd.concat([flat.assign(dataset="", event_id=""), extra], ignore_index=True)


def credits(ds: Dataset) -> dict[str, str]:
    """{"Imported events": each dataset's credit} for an export's "About", or {}."""
    manifests = EventStore(ds.data_dir).manifests()
    if not manifests:
        return {}
    return {"Imported events": "; ".join(credit_line(key, m) for key, m in manifests.items())}


def datasets_in_view(ds: Dataset, filters: Filters) -> dict[str, dict]:
    """The manifest of each imported dataset with at least one event matching ``filters``, by key
    (empty when nothing is imported or nothing matches): what a slide or a page of that view must credit."""
    manifests = EventStore(ds.data_dir).manifests()
    if not manifests:
        return {}
    regions = regions_for(ds.data_dir)
    cond = condition(filters, None, regions, towns_of(ds.places, regions))
    cur = engine(ds.data_dir)
    return {
        key: manifest
        for key, manifest in manifests.items()
        if aggregate.totals(cur, cond.and_("dataset = ?", key))[0] > 0
    }


def credits_in_view(ds: Dataset, filters: Filters) -> list[str]:
    """``credit_line`` (dataset, export date, version, attribution) of each dataset in the view."""
    return [credit_line(key, manifest) for key, manifest in datasets_in_view(ds, filters).items()]


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _row(r: dict, manifest: dict) -> dict:
    info = DATASETS[r["dataset"]]
    ident = f"{r['dataset']}:{r['event_id']}"
    start, end = _text(r["date_start"]), _text(r["date_end"])
    code = None if pd.isna(r["time_precision"]) else int(r["time_precision"])
    place = None if pd.isna(r["geo_precision"]) else int(r["geo_precision"])
    has_deaths = not pd.isna(r["fatalities"])
    notes = [
        f"{info.name} event {r['event_id']}",
        "withdrawn from the source" if r["status"] == "withdrawn" else "current in the source",
        f"location: {info.place_words.get(place or 0, 'precision not given')}",
        f"province {BASIS_WORDS.get(_text(r['place_basis']), '')}",
        f"data: {manifest.get('attribution') or info.attribution}",
    ]
    return {
        "kind": "imported",
        "id": ident,
        "document": info.name,
        "quote": _text(r["notes"]),
        "date": start,
        "date_precision": "day",
        "places": "",
        "claimant": "",
        "relayed_by": "",
        "figure_low": r["fatalities_low"],
        "figure_best": r["fatalities"],
        "figure_high": r["fatalities_high"],
        "unit": "people_killed" if has_deaths else "",
        "report_id": ident,
        "date_end": end if end != start else "",
        "date_qualifier": "",
        "date_basis": f"{info.name} time precision {code}: {info.precision_words.get(code or 0, 'unknown')}",
        "type": _text(r["event_type"]),
        "subject": _text(r["sub_event_type"]),
        "group": "",
        "figure_qualifier": "",
        "stance": "",
        "claimant_name": "",
        "claimant_role": "",
        "affiliation": "",
        "relayed_by_names": "",
        "participants": ";".join(_text(r[c]) for c in ("actor1", "actor2") if _text(r[c])),
        "place_names": _text(r["location"]),
        "provinces": _text(r["province"]),
        "document_id": "",
        "title": f"{info.name} export of {manifest.get('export_date', '')}",
        "outlet": _text(r["source"]),
        "url": "",
        "published": _text(r["first_seen"]),
        "published_precision": "day",
        "source_reliability": "",
        "info_credibility": "",
        "analyst_confidence": "",
        "lat": r["lat"],
        "lon": r["lon"],
        "location_precision": pd.NA,  # the project's scale is UCDP's; the dataset's own code is in notes
        "notes": "; ".join(notes),
        "dataset": r["dataset"],
        "event_id": _text(r["event_id"]),
    }
