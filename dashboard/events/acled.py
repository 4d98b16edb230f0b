"""ACLED exports as users download them: CSV or XLSX, the standard columns or a subset of them.

Dates are read as ``YYYY-MM-DD`` or, as older exports write them, ``DD Month YYYY`` ("28 September
2019"); never guessed otherwise. ``time_precision`` and ``geo_precision`` (1–3) and ``fatalities`` are
kept as ACLED states them. Essential: ``event_id_cnty``, ``event_date``, ``latitude``, ``longitude``.
"""

from __future__ import annotations

from dashboard.events.spec import Check, Spec, cell, code_check, count_check, number_checks, whole

ESSENTIAL = ("event_id_cnty", "event_date", "latitude", "longitude")
#: The standard export's other columns this importer reads (a missing one is reported, left empty).
OPTIONAL = (
    "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
    "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
    "country", "admin1", "admin2", "admin3", "location", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
#: Date forms, tried in turn (strptime patterns).
DATE_FORMS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y")


def _date(present: set[str]) -> str:
    raw = cell("event_date", present)
    tries = ", ".join(f"TRY_STRPTIME({raw}, '{form}')" for form in DATE_FORMS)
    return f"CAST(COALESCE({tries}) AS DATE)"


def columns(present: set[str]) -> dict[str, str]:
    """Stored column -> SQL over the raw text table."""
    c = lambda name: cell(name, present)  # noqa: E731
    return {
        "dataset": "'acled'",
        "event_id": c("event_id_cnty"),
        "date_start": _date(present),
        "date_end": _date(present),
        "time_precision": whole(c("time_precision"), "TINYINT"),
        "event_type": c("event_type"),
        "sub_event_type": c("sub_event_type"),
        "disorder_type": c("disorder_type"),
        "conflict_name": "CAST(NULL AS VARCHAR)",
        "actor1": c("actor1"),
        "assoc_actor_1": c("assoc_actor_1"),
        "actor2": c("actor2"),
        "assoc_actor_2": c("assoc_actor_2"),
        "country": c("country") if "country" in present else c("iso"),
        "admin1": c("admin1"),
        "admin2": c("admin2"),
        "admin3": c("admin3"),
        "location": c("location"),
        "lat": f"TRY_CAST({c('latitude')} AS DOUBLE)",
        "lon": f"TRY_CAST({c('longitude')} AS DOUBLE)",
        "geo_precision": whole(c("geo_precision"), "TINYINT"),
        "fatalities": whole(c("fatalities")),
        "fatalities_low": "CAST(NULL AS INTEGER)",
        "fatalities_high": "CAST(NULL AS INTEGER)",
        "deaths_a": "CAST(NULL AS INTEGER)",
        "deaths_b": "CAST(NULL AS INTEGER)",
        "deaths_civilians": "CAST(NULL AS INTEGER)",
        "deaths_unknown": "CAST(NULL AS INTEGER)",
        "source": c("source"),
        "source_scale": c("source_scale"),
        "notes": c("notes"),
        "tags": c("tags"),
        "source_timestamp": c("timestamp"),
    }


def checks(present: set[str]) -> list[Check]:
    """The row checks, over the typed table (stored columns plus ``raw_<column>`` texts)."""
    out = [
        Check(
            "event_id_cnty", "event_id IS NULL", "''", "missing (the event id is how a re-import updates it)"
        ),
        Check("event_date", "raw_event_date IS NULL", "''", "missing"),
        Check(
            "event_date",
            "raw_event_date IS NOT NULL AND date_start IS NULL",
            "raw_event_date",
            "not a date: {value!r} (give YYYY-MM-DD or DD Month YYYY, e.g. 28 September 2019)",
        ),
        *number_checks("latitude", "raw_latitude", "lat", -90, 90),
        *number_checks("longitude", "raw_longitude", "lon", -180, 180),
        count_check("fatalities", "raw_fatalities", "fatalities"),
        code_check("time_precision", "raw_time_precision", "time_precision", range(1, 4)),
        code_check("geo_precision", "raw_geo_precision", "geo_precision", range(1, 4)),
    ]
    if "year" in present:
        out.append(
            Check(
                "year",
                "raw_year IS NOT NULL AND date_start IS NOT NULL "
                "AND (TRY_CAST(raw_year AS INTEGER) IS DISTINCT FROM year(date_start))",
                "raw_year || ' vs ' || CAST(date_start AS VARCHAR)",
                "does not match event_date: {value}",
            )
        )
    return out


#: The fields whose raw text the checks quote.
RAW_FIELDS = ("event_date", "latitude", "longitude", "fatalities", "time_precision", "geo_precision", "year")

SPEC = Spec(
    dataset="acled",
    essential=ESSENTIAL,
    optional=OPTIONAL,
    id_column="event_id_cnty",
    columns=columns,
    checks=checks,
    raw_fields=RAW_FIELDS,
)
