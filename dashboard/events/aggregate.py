"""Counts, sums and rows computed by the engine: what maps, charts, tables and exports read.

Every function takes an engine handle over the ``events`` view (``store.engine``: a DuckDB cursor, or
PostgreSQL's ``pg.PgEngine``) and a ``Condition`` (``query.condition``); the work is done in SQL both
engines read (``dialect`` says where they differ), and only aggregates or a bounded number of rows come
back. Fatalities are summed as each dataset states them (ACLED's ``fatalities``, UCDP's best estimate).
"""

from __future__ import annotations

import pandas as pd

from dashboard.events.dialect import dialect_of
from dashboard.events.query import Condition

#: Columns of an imported event as tables and exports show it (in this order).
EVENT_COLUMNS: tuple[str, ...] = (
    "dataset", "event_id", "date_start", "date_end", "time_precision", "event_type", "sub_event_type",
    "disorder_type", "conflict_name", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country",
    "admin1", "admin2", "admin3", "location", "lat", "lon", "geo_precision", "fatalities",
    "fatalities_low", "fatalities_high", "source", "notes", "province", "place_basis", "status",
    "first_seen", "changed_on", "withdrawn_on",
)  # fmt: skip
#: The steps a trend or a playback moves by.
STEPS: tuple[str, ...] = ("week", "month")


def _frame(cur, sql: str, cond: Condition, *params: object) -> pd.DataFrame:
    cursor = cur.execute(sql.replace("{where}", cond.sql), [*cond.params, *params])
    names = [d[0] for d in cursor.description]
    return pd.DataFrame(cursor.fetchall(), columns=names)


def totals(cur, cond: Condition) -> tuple[int, int]:
    """(events, fatalities) matching ``cond``."""
    events, deaths = cur.execute(
        f"SELECT count(*), coalesce(sum(fatalities), 0) FROM events WHERE {cond.sql}", cond.params
    ).fetchone()
    return int(events), int(deaths)


def by_province(cur, cond: Condition) -> pd.DataFrame:
    """Events and fatalities per resolved province (events outside the provinces left out)."""
    return _frame(
        cur,
        "SELECT province_id, min(province) AS province, count(*) AS events, "
        "coalesce(sum(fatalities), 0) AS fatalities FROM events WHERE ({where}) AND province_id IS NOT NULL "
        "GROUP BY province_id ORDER BY events DESC",
        cond,
    )


def by_district(cur, cond: Condition) -> pd.DataFrame:
    """Events and fatalities per district (the dataset's admin2 within the resolved province), placed at
    the mean point of its events; events without admin2 are left out."""
    return _frame(
        cur,
        "SELECT province_id, min(province) AS province, admin2, count(*) AS events, "
        "coalesce(sum(fatalities), 0) AS fatalities, avg(lat) AS lat, avg(lon) AS lon "
        "FROM events WHERE ({where}) AND admin2 IS NOT NULL "
        "GROUP BY province_id, admin2 ORDER BY events DESC",
        cond,
    )


def by_hexagon(cur, cond: Condition, resolution: int) -> pd.DataFrame:
    """Events and fatalities per H3 cell at ``resolution`` (one of ``datasets.H3_RESOLUTIONS``)."""
    column = f"h3_r{int(resolution)}"
    return _frame(
        cur,
        f"SELECT {column} AS cell, count(*) AS events, coalesce(sum(fatalities), 0) AS fatalities "
        f"FROM events WHERE {{where}} GROUP BY {column}",
        cond,
    )


def rows(cur, cond: Condition, limit: int, offset: int = 0) -> pd.DataFrame:
    """Up to ``limit`` events, newest first, with ``EVENT_COLUMNS``.

    The oldest date among the first ``offset + limit`` is found on the date column alone; only the
    events from that date on are then read whole and sorted (a million notes are never sorted).
    """
    cut = cur.execute(
        f"SELECT date_start FROM events WHERE {cond.sql} ORDER BY date_start DESC LIMIT 1 OFFSET ?",
        [*cond.params, int(offset) + int(limit) - 1],
    ).fetchone()
    since = cond if cut is None else cond.and_("date_start >= ?", cut[0])
    return _frame(
        cur,
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE {{where}} "
        "ORDER BY date_start DESC, dataset, event_id LIMIT ? OFFSET ?",
        since,
        int(limit),
        int(offset),
    )


def trend(cur, cond: Condition, step: str) -> pd.DataFrame:
    """Events and fatalities per ``step`` ("week" from Monday, or "month") and event type."""
    if step not in STEPS:
        raise ValueError(f"step: {step!r} is not one of {', '.join(STEPS)}")
    return _frame(
        cur,
        f"SELECT CAST(date_trunc('{step}', CAST(date_start AS TIMESTAMP)) AS DATE) AS period, "
        "coalesce(event_type, '(no type)') AS event_type, count(*) AS events, "
        "coalesce(sum(fatalities), 0) AS fatalities FROM events WHERE {where} GROUP BY 1, 2 ORDER BY period",
        cond,
    )


def type_counts(cur, cond: Condition) -> pd.DataFrame:
    """Events per event type (ACLED event type, UCDP type of violence), most first."""
    return _frame(
        cur,
        "SELECT event_type, count(*) AS events FROM events WHERE ({where}) AND event_type IS NOT NULL "
        f"GROUP BY event_type ORDER BY events DESC, {dialect_of(cur).text_order('event_type')}",
        cond,
    )


def actor_counts(cur, cond: Condition, limit: int = 300) -> pd.DataFrame:
    """The ``limit`` actors (either side, associated ones included) in the most events."""
    return _frame(
        cur,
        "SELECT actor, count(*) AS events FROM (SELECT "
        "unnest(ARRAY[actor1, actor2, assoc_actor_1, assoc_actor_2]) AS actor FROM events WHERE {where}) "
        "AS named WHERE actor IS NOT NULL GROUP BY actor "
        f"ORDER BY events DESC, {dialect_of(cur).text_order('actor')} LIMIT ?",
        cond,
        int(limit),
    )


def actor_names(cur) -> list[str]:
    """Every actor named by any stored event (either side, associated ones one by one), sorted: what an
    actor filter value is checked against."""
    found = cur.execute(
        "SELECT DISTINCT trim(name) AS name FROM (SELECT unnest(string_split(actor, ';')) AS name FROM "
        "(SELECT unnest([actor1, actor2, assoc_actor_1, assoc_actor_2]) AS actor FROM events)) "
        "WHERE trim(name) <> '' ORDER BY name"
    ).fetchall()
    return [name for (name,) in found]


def date_span(cur, cond: Condition) -> tuple[object, object]:
    """(first start, last end) of the matching events; (None, None) when none match."""
    return tuple(
        cur.execute(
            f"SELECT min(date_start), max(date_end) FROM events WHERE {cond.sql}", cond.params
        ).fetchone()
    )
