"""The flat report table: one row per report, with its claim or event, document, claimant and places.

Every view and export starts from this table (columns: ``model.FLAT_COLUMNS``). Where a report gives
its own figures or date (the override columns of reports.csv), the row shows the report's version:

* figures: if the report gives any figure, all of figure_low/best/high, figure_qualifier and unit come
  from the report; otherwise all come from the claim (events have none);
* date: if the report gives a date, date, date_end, date_precision, date_qualifier and date_basis come
  from the report; otherwise from the claim or event.

The map position (lat, lon, location_precision) is that of the first place listed, as the curator
ordered them (events.places documents the first place as where the map puts the event).

``retracted``, ``retracted_on`` and ``retraction_reason`` mark a report whose document, or whose
record's claimant, is named in retractions.csv; the row stays (nothing is deleted) and
``filters.apply_filters`` leaves it out unless retracted reports are asked for.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.dates import parse_partial, truncate
from dashboard.model import FLAT_COLUMNS, Dataset
from dashboard.values import blank, split_ids

_FIGURE_COLUMNS = ("figure_low", "figure_best", "figure_high", "figure_qualifier", "unit")
_DATE_COLUMNS = ("date", "date_end", "date_precision", "date_qualifier", "date_basis")
_NUMERIC = ("figure_low", "figure_best", "figure_high", "lat", "lon")
#: Place kinds that lie inside one province, so that the province can be named for them.
_PROVINCE_KINDS = frozenset({"province", "city", "capital", "town", "military_base"})


def _records(frame: pd.DataFrame) -> dict[str, dict]:
    return {row["id"]: row for row in frame.to_dict("records")}


def provinces_of(places: list[dict]) -> list[str]:
    """Province (admin-1) names of the places, in order, without repeats.

    A place's admin1 is used when set; a province with no admin1 names itself. Nothing is inferred for
    borders, rivers, regions or countries: a border touches several provinces, and naming them would be
    a claim no source made.
    """
    names: list[str] = []
    for place in places:
        name = place.get("admin1") or (place["name"] if place.get("kind") == "province" else "")
        if place.get("kind") not in _PROVINCE_KINDS and not place.get("admin1"):
            name = ""
        if name and name not in names:
            names.append(name)
    return names


def flat_reports(ds: Dataset) -> pd.DataFrame:
    """Build the flat table, one row per report in reports.csv order, with exactly ``FLAT_COLUMNS``."""
    claims, events = _records(ds.claims), _records(ds.events)
    retractions = _retractions_by_target(ds.retractions)
    places, actors, documents = _records(ds.places), _records(ds.actors), _records(ds.documents)
    rows = []
    for report in ds.reports.to_dict("records"):
        kind = report["record_kind"]
        record = claims[report["record_id"]] if kind == "claim" else events[report["record_id"]]
        row = _record_columns(kind, record)
        row.update(_document_columns(documents[report["document"]]))
        row.update(_override(report, record))
        row["date"] = truncate(row["date"], row["date_precision"])
        row.update(_people(row["claimant"], report["relayed_by"], actors))
        row.update(_place_columns(split_ids(row["places"]), places))
        notes = [text for text in (record.get("notes", ""), report.get("notes", "")) if text]
        row.update(
            report_id=report["id"],
            quote=report["quote"],
            relayed_by=report["relayed_by"],
            notes=" | ".join(notes),
        )
        targets = (("document", row["document_id"]), ("actor", row["claimant"]))
        row.update(_retraction_columns(retractions, *targets))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(FLAT_COLUMNS))
    for column in _NUMERIC:
        frame[column] = frame[column].astype(float)
    frame["location_precision"] = frame["location_precision"].astype("Int64")
    return frame


def _record_columns(kind: str, record: dict) -> dict:
    if kind == "claim":
        return {
            "kind": "claim",
            "id": record["id"],
            "type": record["topic"],
            "subject": record["subject"],
            "group": record["group"],
            "claimant": record["claimant"],
            "stance": record["stance"],
            "participants": "",
            "places": record["places"],
            "source_reliability": record["source_reliability"],
            "info_credibility": record["info_credibility"],
            "analyst_confidence": record["analyst_confidence"],
            **{c: record[c] for c in _FIGURE_COLUMNS + _DATE_COLUMNS},
        }
    return {
        "kind": "event",
        "id": record["id"],
        "type": record["type"],
        "subject": record["title"],
        "group": record["groups"],
        "claimant": "",
        "stance": "",
        "participants": record["participants"],
        "places": record["places"],
        "source_reliability": "",
        "info_credibility": "",
        "analyst_confidence": "",
        "figure_low": math.nan,
        "figure_best": math.nan,
        "figure_high": math.nan,
        "figure_qualifier": "",
        "unit": "",
        **{c: record[c] for c in _DATE_COLUMNS},
    }


def _override(report: dict, record: dict) -> dict:
    """The report's own figures and date, each block taken whole when the report gives any of it."""
    out = {}
    if any(not blank(report[c]) for c in ("figure_low", "figure_best", "figure_high")):
        out.update({c: report[c] for c in _FIGURE_COLUMNS})
    if not blank(report["date"]):
        out.update({c: report[c] for c in _DATE_COLUMNS})
    return out


def _document_columns(doc: dict) -> dict:
    return {
        "document": doc["file"],
        "document_id": doc["id"],
        "title": doc["title"],
        "outlet": doc["outlet"],
        "url": doc["url"],
        "published": doc["published"],
        "published_precision": doc["published_precision"],
    }


def _people(claimant: str, relayed_by: str, actors: dict[str, dict]) -> dict:
    person = actors.get(claimant, {})
    return {
        "claimant_name": person.get("name", ""),
        "claimant_role": person.get("role", ""),
        "affiliation": person.get("affiliation", ""),
        "relayed_by_names": ";".join(actors[a]["name"] for a in split_ids(relayed_by)),
    }


def _place_columns(ids: list[str], places: dict[str, dict]) -> dict:
    listed = [places[i] for i in ids]
    first = listed[0] if listed else {}
    return {
        "place_names": ";".join(p["name"] for p in listed),
        "provinces": ";".join(provinces_of(listed)),
        "lat": first.get("lat", math.nan),
        "lon": first.get("lon", math.nan),
        "location_precision": first.get("location_precision", pd.NA),
    }


def _retractions_by_target(retractions: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = {}
    for record in retractions.to_dict("records"):
        out.setdefault((record["target_kind"], record["target"]), []).append(record)
    return out


def _retraction_columns(by_target: dict[tuple[str, str], list[dict]], *targets: tuple[str, str]) -> dict:
    """The marks of a report: the kinds, the earliest date and the reasons of what retracts it."""
    found = [r for target in targets if target[1] for r in by_target.get(target, [])]
    if not found:
        return {"retracted": "", "retracted_on": "", "retraction_reason": ""}
    found.sort(key=lambda r: (parse_partial(r["date"]).last, r["id"]))
    return {
        "retracted": ";".join(dict.fromkeys(r["kind"] for r in found)),
        "retracted_on": found[0]["date"],
        "retraction_reason": " | ".join(
            f"{r['target']} {r['kind']} {r['date']}: {r['reason']}" for r in found
        ),
    }
