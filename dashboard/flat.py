"""The flat report table: one row per report, with its claim or event, document, claimant and places.

Every view and export starts from this table (columns: ``model.FLAT_COLUMNS``). Where a report gives
its own figures or times (the override columns of reports.csv), the row shows the report's version:

* figures: if the report gives any figure, all of figure_low/best/high, figure_qualifier, unit,
  figure_text and figure_coding come from the report; otherwise all come from the claim (events have
  none);
* the as-of time: if the report gives a date or a bound, date, date_end, date_precision,
  date_qualifier, date_earliest, date_latest and date_basis come from the report; otherwise from the
  claim or event;
* the statement time: likewise for the said_* columns. A record that gives none is said by the document
  itself, so the row's statement date is the document's publication.

A time the text only bounds has no ``date`` of its own; the row then shows the bound in ``date`` (the
earliest, with the latest as ``date_end`` when both are given), with ``date_qualifier`` no_later_than,
no_earlier_than or between, so that date filters, charts and wording work on every row while
date_earliest and date_latest keep the bounds as curated.

The map position (lat, lon, location_precision) of an event is its ``location`` (none when the text
names no place: the event is listed, not drawn); a claim's is the first of its places, as the curator
ordered them. ``place_lats``, ``place_lons`` and ``place_precisions`` give every place's position, in
the order of ``places``.

``retracted``, ``retracted_on`` and ``retraction_reason`` mark a report whose document, or whose
record's claimant, is named in retractions.csv; the row stays (nothing is deleted) and
``filters.apply_filters`` leaves it out unless retracted reports are asked for.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.dates import parse_partial, precision_of, truncate
from dashboard.model import FLAT_COLUMNS, Dataset
from dashboard.values import LIST_SEPARATOR, TEXT, blank, split_ids

_FIGURE_COLUMNS = (
    "figure_low", "figure_best", "figure_high", "figure_qualifier", "unit", "figure_text", "figure_coding",
)  # fmt: skip
_DATE_COLUMNS = (
    "date", "date_end", "date_precision", "date_qualifier", "date_earliest", "date_latest", "date_basis",
)  # fmt: skip
_SAID_COLUMNS = ("said_date", "said_precision", "said_earliest", "said_latest", "said_basis")
_FATALITIES = ("fatalities_low", "fatalities_best", "fatalities_high")
_NUMERIC = ("figure_low", "figure_best", "figure_high", "lat", "lon", *_FATALITIES)
#: Place kinds that lie inside one province, so that the province can be named for them.
_PROVINCE_KINDS = frozenset({"province", "city", "capital", "town", "military_base"})
#: What ``said_basis`` says of a record the document states in its own voice.
SAID_BY_DOCUMENT = "Stated by the document itself: the statement date is its publication date."


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
        row.update(_override(report))
        row.update(shown_date(row))
        row["date"] = truncate(row["date"], row["date_precision"])
        if not any(row[c] for c in ("said_date", "said_earliest", "said_latest")):
            row.update(said_date=row["published"], said_precision=row["published_precision"])
            row["said_basis"] = SAID_BY_DOCUMENT
        row.update(_people(row["claimant"], report["relayed_by"], actors))
        row.update(_place_columns(split_ids(row["places"]), places))
        row.update(_position(row.pop("_position"), places))
        row["location_name"] = places[row["location"]]["name"] if row["location"] else ""
        notes = [text for text in (record.get("notes", ""), report.get("notes", "")) if text]
        row.update(
            report_id=report["id"],
            quote=report["quote"],
            relayed_by=report["relayed_by"],
            info_credibility=report["info_credibility"],
            notes=" | ".join(notes),
        )
        targets = (("document", row["document_id"]), ("actor", row["claimant"]))
        row.update(_retraction_columns(retractions, *targets))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(FLAT_COLUMNS))
    for column in _NUMERIC:
        frame[column] = frame[column].astype(float)
    frame["location_precision"] = frame["location_precision"].astype("Int64")
    return frame.astype({c: TEXT for c in frame.columns if frame[c].dtype == "str"})


def shown_date(row: dict) -> dict:
    """The date, end, precision and qualifier a row shows: its own date, or its bounds when it has none.

    "no later than May 2023" shows as date 2023-05, qualifier no_later_than; "between 26 February and 31
    March 2024" as date 2024-02-26, date_end 2024-03-31, qualifier between.
    """
    if row["date"]:
        return {}
    earliest, latest = row["date_earliest"], row["date_latest"]
    if earliest and latest:
        shown, end, qualifier = earliest, latest, "between"
    elif latest:
        shown, end, qualifier = latest, "", "no_later_than"
    else:
        shown, end, qualifier = earliest, "", "no_earlier_than"
    return {
        "date": shown,
        "date_end": end,
        "date_precision": precision_of(shown),
        "date_qualifier": qualifier,
    }


def _record_columns(kind: str, record: dict) -> dict:
    common = {
        "id": record["id"],
        "places": record["places"],
        **{c: record[c] for c in _DATE_COLUMNS + _SAID_COLUMNS},
    }
    if kind == "claim":
        return {
            **common,
            "kind": "claim",
            "type": record["topic"],
            "subject": record["subject"],
            "group": record["group"],
            "claimant": record["claimant"],
            "stance": record["stance"],
            "participants": "",
            "event_type": "",
            "sub_event_type": "",
            "event_status": "",
            "location": "",
            "analyst_confidence": record["analyst_confidence"],
            **{c: record[c] for c in _FIGURE_COLUMNS},
            **dict.fromkeys(_FATALITIES, math.nan),
            "_position": split_ids(record["places"])[:1],
        }
    return {
        **common,
        "kind": "event",
        "type": record["type"],
        "subject": record["title"],
        "group": record["groups"],
        "claimant": record["claimant"],
        "stance": "",
        "participants": record["participants"],
        "event_type": record["event_type"],
        "sub_event_type": record["sub_event_type"],
        "event_status": record["status"],
        "location": record["location"],
        "analyst_confidence": "",
        "figure_low": math.nan,
        "figure_best": math.nan,
        "figure_high": math.nan,
        "figure_qualifier": "",
        "unit": "",
        "figure_text": "",
        "figure_coding": "",
        **{c: _number(record[c]) for c in _FATALITIES},
        "_position": [record["location"]] if record["location"] else [],
    }


def _number(value: object) -> float:
    return math.nan if blank(value) else float(value)


def _override(report: dict) -> dict:
    """The report's own figures and times, each block taken whole when the report gives any of it."""
    out = {}
    if any(not blank(report[c]) for c in ("figure_low", "figure_best", "figure_high")):
        out.update({c: report[c] for c in _FIGURE_COLUMNS})
    if any(not blank(report[c]) for c in ("date", "date_earliest", "date_latest")):
        out.update({c: report[c] for c in _DATE_COLUMNS})
    if any(not blank(report[c]) for c in ("said_date", "said_earliest", "said_latest")):
        out.update({c: report[c] for c in _SAID_COLUMNS})
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
        "source_reliability": person.get("source_reliability", ""),
        "relayed_by_names": ";".join(actors[a]["name"] for a in split_ids(relayed_by)),
    }


def _place_columns(ids: list[str], places: dict[str, dict]) -> dict:
    listed = [places[i] for i in ids]
    return {
        "place_names": LIST_SEPARATOR.join(p["name"] for p in listed),
        "place_lats": LIST_SEPARATOR.join(_coordinate(p["lat"]) for p in listed),
        "place_lons": LIST_SEPARATOR.join(_coordinate(p["lon"]) for p in listed),
        "place_precisions": LIST_SEPARATOR.join(str(int(p["location_precision"])) for p in listed),
        "provinces": ";".join(provinces_of(listed)),
    }


def _coordinate(value: float) -> str:
    """A coordinate as a plain decimal of at most 6 places ("37.0", not "37.000000")."""
    return repr(round(float(value), 6))


def _position(ids: list[str], places: dict[str, dict]) -> dict:
    """The map position: the place in ``ids`` (at most one), or none."""
    place = places[ids[0]] if ids else {}
    return {
        "lat": place.get("lat", math.nan),
        "lon": place.get("lon", math.nan),
        "location_precision": place.get("location_precision", pd.NA),
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
