"""The shared ``Filters`` (and the filters only imported events have) as a SQL condition for the engine.

Imported events answer to the date window, the province, the type, the actor (``Filters.actor``, which
curated reports ignore) and, through ``EventFilters``, the dataset. They carry no curated document,
outlet, relaying agency, claimant, affiliation or group: while one of those filters is set they are
left out, and :func:`excluded_by` names the filters responsible so that the page can say so (never a
silent empty match).

"Known on" a date D, an imported event is one the store knew from an export dated on or before D
(``first_seen`` <= D) and not yet withdrawn by then: :func:`known_on_condition`. It is applied whenever
the ``Filters`` carry a ``known_on`` date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import dates
from dashboard.events.regions import Regions, name_key
from dashboard.model import Filters

#: Shared filters that imported events cannot match: while one is set, they are left out.
CURATED_ONLY: tuple[str, ...] = ("document", "outlet", "relayed_by", "claimant", "affiliation", "group")
#: Columns an actor filter value is looked for in (any case, part of the name).
ACTOR_COLUMNS: tuple[str, ...] = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
#: Columns the shared ``type`` filter matches (exact, any case).
TYPE_COLUMNS: tuple[str, ...] = ("event_type", "sub_event_type", "disorder_type")


@dataclass(frozen=True)
class EventFilters:
    """What only imported events are filtered by; the defaults keep everything current."""

    datasets: tuple[str, ...] = ()  # dataset keys; empty: every dataset
    actor: tuple[str, ...] = ()  # as ``Filters.actor`` (both apply: an event matching any value is kept)
    include_withdrawn: bool = False  # also events no longer in the latest export
    bounds: tuple[float, float, float, float] | None = None  # south, west, north, east of the view


@dataclass
class Condition:
    """A SQL condition with its parameters, for ``WHERE``."""

    sql: str = "TRUE"
    params: list = field(default_factory=list)

    def and_(self, sql: str, *params: object) -> Condition:
        """This condition and another."""
        return Condition(f"({self.sql}) AND ({sql})", [*self.params, *params])


def excluded_by(filters: Filters) -> list[str]:
    """The set filters that imported events cannot match (they are then left out), in filter order."""
    return [name for name in CURATED_ONLY if getattr(filters, name, ())]


def known_on_condition(known_on: str | None) -> Condition:
    """Events known on ``known_on`` (an ISO date at any precision, its last day counting): first seen in
    an export dated on or before it and not withdrawn by then. ``None``: the events current now."""
    if not known_on:
        return Condition("status = 'current'")
    last = dates.parse_partial(known_on).last
    return Condition("first_seen <= ? AND (withdrawn_on IS NULL OR withdrawn_on > ?)", [last, last])


def province_ids(value: str, regions: Regions | None) -> set[str]:
    """Province ids a province filter value names: a province id, or a name or spelling of one."""
    if regions is None:
        return {value}
    key = name_key(value)
    found = {pid for (_, k), pid in regions.names.items() if k == key}
    if value in regions.province_ids:
        found.add(value)
    return found


def towns_of(places: pd.DataFrame, regions: Regions) -> dict[str, str]:
    """Folded name of each curated town, city or base -> the province it lies in (for province filters:
    the curated Fayzabad is Badakhshan's, not Jawzjan's or Faryab's)."""
    out = {}
    for row in places.to_dict("records"):
        province = regions.by_name(row.get("country", ""), row.get("admin1", ""))
        if province and row.get("kind") != "province":
            for name in (row.get("name"), row.get("id")):
                if isinstance(name, str) and name:
                    out[name.strip().casefold()] = province
    return out


def condition(
    filters: Filters,
    extra: EventFilters | None = None,
    regions: Regions | None = None,
    towns: dict[str, str] | None = None,
) -> Condition:
    """The SQL condition for ``filters`` and ``extra`` over the stored columns.

    A province value matches the events resolved to that province (by any of its spellings within its
    country); a value that names no province (a town) matches the events whose location or district is
    written the same way, within the province ``towns`` puts it in when it is a curated place. Type
    values match ACLED's event, sub-event and disorder types and UCDP's type of violence, any case. An
    actor value matches any part of either side's name or of an associated actor's, any case.
    ``regions`` (from the data folder) resolves province spellings.
    """
    extra = extra or EventFilters()
    if excluded_by(filters):
        return Condition("FALSE")
    cond = known_on_condition(getattr(filters, "known_on", None))
    if extra.include_withdrawn and not getattr(filters, "known_on", None):
        cond = Condition()
    if filters.start:
        cond = cond.and_("date_end >= ?", dates.parse_partial(filters.start).first)
    if filters.end:
        cond = cond.and_("date_start <= ?", dates.parse_partial(filters.end).last)
    if filters.province:
        cond = _provinces(cond, filters.province, regions, towns or {})
    if filters.type:
        wanted = sorted({t.strip().casefold() for t in filters.type} | {_words(t) for t in filters.type})
        marks = ", ".join("?" for _ in wanted)
        either = " OR ".join(f"lower({c}) IN ({marks})" for c in TYPE_COLUMNS)
        cond = cond.and_(either, *(wanted * len(TYPE_COLUMNS)))
    if extra.datasets:
        cond = cond.and_(f"dataset IN ({', '.join('?' for _ in extra.datasets)})", *extra.datasets)
    actors = tuple(dict.fromkeys((*getattr(filters, "actor", ()), *extra.actor)))
    if actors:
        parts, params = [], []
        for text in actors:
            pattern = (
                "%"
                + text.strip().casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            )
            for column in ACTOR_COLUMNS:
                parts.append(f"lower({column}) LIKE ? ESCAPE '\\'")
                params.append(pattern)
        cond = cond.and_(" OR ".join(parts), *params)
    if extra.bounds:
        south, west, north, east = extra.bounds
        cond = cond.and_("lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?", south, north, west, east)
    return cond


def _words(value: str) -> str:
    """A curated type as the app labels it ("force_location" -> "force location"), folded."""
    return value.replace("_", " ").strip().casefold()


def _provinces(
    cond: Condition, values: tuple[str, ...], regions: Regions | None, towns: dict[str, str]
) -> Condition:
    ids: set[str] = set()
    parts, params = [], []
    for value in values:
        found = province_ids(value, regions)
        ids |= found
        town = value.strip().casefold()
        if found or not town:
            continue
        named = "(lower(location) = ? OR lower(admin2) = ?)"
        if town in towns:
            parts.append(f"{named} AND province_id = ?")
            params += [town, town, towns[town]]
        else:
            parts.append(named)
            params += [town, town]
    if ids:
        parts.append(f"province_id IN ({', '.join('?' for _ in ids)})")
        params += sorted(ids)
    return cond.and_(" OR ".join(f"({p})" for p in parts) or "FALSE", *params)
