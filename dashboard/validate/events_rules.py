"""Event rules: ACLED types that belong together, who asserts an allegation, where an event happened, deaths.

* ``sub_event_type`` is one of its ``event_type``'s sub-event types in ACLED's codebook
  (``model.ACLED_TYPES``); the schema checks each against the whole list.
* An ``alleged`` or ``denied`` event names its ``claimant``: an allegation is someone's.
* ``location`` (where it happened) is one of the event's ``places`` or a place a quote of its reports
  names (by name or alternative name): a location nothing in the text supports is a guess.
* Fatalities keep their order: low <= best <= high.
"""

from __future__ import annotations

import re

from dashboard.model import ACLED_TYPES, ASSERTED_STATUSES
from dashboard.validate.problems import Collector
from dashboard.validate.tables import Table, number
from dashboard.values import split_ids

FATALITIES = ("fatalities_low", "fatalities_best", "fatalities_high")


def check_events(tables: dict[str, Table], out: Collector) -> None:
    """Check every event's ACLED pair, claimant, location and fatalities."""
    events = tables.get("events")
    if events is None:
        return
    quotes = _quotes_by_event(tables.get("reports"))
    names = _place_names(tables.get("places"))
    for n, row in events.rows:
        _check_acled(events.file, n, row, out)
        if row.get("status", "") in ASSERTED_STATUSES and not row.get("claimant", ""):
            out.add(
                events.file, n, "claimant", f"required when status is {row['status']!r}: name who asserts it"
            )
        _check_location(events.file, n, row, quotes.get(row.get("id", ""), []), names, out)
        present = [(name, number(row, name)) for name in FATALITIES]
        present = [(name, v) for name, v in present if v is not None]
        for (a, va), (b, vb) in zip(present, present[1:], strict=False):
            if va > vb:
                out.add(events.file, n, b, f"{b} {vb:g} is below {a} {va:g}")


def _check_acled(file: str, n: int, row: dict[str, str], out: Collector) -> None:
    kind, sub = row.get("event_type", ""), row.get("sub_event_type", "")
    subs = ACLED_TYPES.get(kind)
    if subs is not None and sub and sub not in subs:
        out.add(
            file,
            n,
            "sub_event_type",
            f"{sub!r} is not a sub-event type of {kind!r} (ACLED: {', '.join(subs)})",
        )


def _check_location(
    file: str, n: int, row: dict[str, str], quotes: list[str], names: dict[str, list[str]], out: Collector
) -> None:
    location = row.get("location", "")
    if not location or location in split_ids(row.get("places", "")) or location not in names:
        return  # an unknown id is reported by the foreign key
    if any(_names_place(quote, names[location]) for quote in quotes):
        return
    out.add(
        file,
        n,
        "location",
        f"{location!r} is neither one of the event's places nor named in a quote of its reports; "
        "leave location empty when the text names no place",
    )


def _names_place(quote: str, names: list[str]) -> bool:
    return any(re.search(rf"\b{re.escape(name)}\b", quote, flags=re.IGNORECASE) for name in names if name)


def _quotes_by_event(reports: Table | None) -> dict[str, list[str]]:
    quotes: dict[str, list[str]] = {}
    for _, row in reports.rows if reports else []:
        if row.get("record_kind") == "event":
            quotes.setdefault(row.get("record_id", ""), []).append(row.get("quote", ""))
    return quotes


def _place_names(places: Table | None) -> dict[str, list[str]]:
    """Each place's name and alternative names, by id."""
    return {
        row["id"]: [row.get("name", ""), *split_ids(row.get("alt_names", ""))]
        for _, row in (places.rows if places else [])
        if row.get("id")
    }
