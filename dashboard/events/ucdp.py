"""UCDP GED exports (CSV or XLSX), whole or with only part of the columns.

``date_start``/``date_end`` are ISO dates (a time after them, as some releases write, is ignored);
``date_prec`` (1–5) and ``where_prec`` (1–7) are kept as given; fatalities as UCDP states them: ``best``
with ``low`` and ``high`` and the deaths per side. Essential: ``id``, ``date_start``, ``latitude``,
``longitude``.
"""

from __future__ import annotations

from dashboard.events.spec import Check, Spec, cell, code_check, count_check, number_checks, whole

ESSENTIAL = ("id", "date_start", "latitude", "longitude")
OPTIONAL = (
    "relid", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b",
    "source_article", "source_headline", "where_prec", "where_coordinates", "adm_1", "adm_2", "country",
    "date_prec", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high",
    "low",
)  # fmt: skip
#: UCDP's type_of_violence codes in words.
VIOLENCE_TYPES = {1: "State-based conflict", 2: "Non-state conflict", 3: "One-sided violence"}


def _iso(raw: str) -> str:
    day = f"left({raw}, 10)"
    iso = r"'\d{4}-\d{2}-\d{2}'"
    return f"CASE WHEN regexp_full_match({day}, {iso}) THEN TRY_CAST({day} AS DATE) END"


def columns(present: set[str]) -> dict[str, str]:
    """Stored column -> SQL over the raw text table."""
    c = lambda name: cell(name, present)  # noqa: E731
    violence = whole(c("type_of_violence"))
    kinds = " ".join(f"WHEN {violence} = {code} THEN '{words}'" for code, words in VIOLENCE_TYPES.items())
    return {
        "dataset": "'ucdp'",
        "event_id": c("id"),
        "date_start": _iso(c("date_start")),
        "date_end": f"COALESCE({_iso(c('date_end'))}, {_iso(c('date_start'))})",
        "time_precision": whole(c("date_prec"), "TINYINT"),
        "event_type": f"CASE {kinds} END",
        "sub_event_type": c("dyad_name"),
        "disorder_type": "CAST(NULL AS VARCHAR)",
        "conflict_name": c("conflict_name"),
        "actor1": c("side_a"),
        "assoc_actor_1": "CAST(NULL AS VARCHAR)",
        "actor2": c("side_b"),
        "assoc_actor_2": "CAST(NULL AS VARCHAR)",
        "country": c("country"),
        "admin1": c("adm_1"),
        "admin2": c("adm_2"),
        "admin3": "CAST(NULL AS VARCHAR)",
        "location": c("where_coordinates"),
        "lat": f"TRY_CAST({c('latitude')} AS DOUBLE)",
        "lon": f"TRY_CAST({c('longitude')} AS DOUBLE)",
        "geo_precision": whole(c("where_prec"), "TINYINT"),
        "fatalities": whole(c("best")),
        "fatalities_low": whole(c("low")),
        "fatalities_high": whole(c("high")),
        "deaths_a": whole(c("deaths_a")),
        "deaths_b": whole(c("deaths_b")),
        "deaths_civilians": whole(c("deaths_civilians")),
        "deaths_unknown": whole(c("deaths_unknown")),
        "source": c("source_article"),
        "source_scale": "CAST(NULL AS VARCHAR)",
        "notes": c("source_headline"),
        "tags": "CAST(NULL AS VARCHAR)",
        "source_timestamp": "CAST(NULL AS VARCHAR)",
    }


def checks(present: set[str]) -> list[Check]:
    """The row checks, over the typed table (stored columns plus ``raw_<column>`` texts)."""
    out = [
        Check("id", "event_id IS NULL", "''", "missing (the event id is how a re-import updates it)"),
        Check("date_start", "raw_date_start IS NULL", "''", "missing"),
        Check(
            "date_start",
            "raw_date_start IS NOT NULL AND date_start IS NULL",
            "raw_date_start",
            "not a date: {value!r} (give YYYY-MM-DD)",
        ),
        Check(
            "date_end",
            f"raw_date_end IS NOT NULL AND ({_iso('raw_date_end')}) IS NULL",
            "raw_date_end",
            "not a date: {value!r} (give YYYY-MM-DD)",
        ),
        Check(
            "date_end",
            "date_start IS NOT NULL AND date_end < date_start",
            "CAST(date_end AS VARCHAR) || ' before ' || CAST(date_start AS VARCHAR)",
            "ends before it starts: {value}",
        ),
        *number_checks("latitude", "raw_latitude", "lat", -90, 90),
        *number_checks("longitude", "raw_longitude", "lon", -180, 180),
        count_check("best", "raw_best", "fatalities"),
        count_check("low", "raw_low", "fatalities_low"),
        count_check("high", "raw_high", "fatalities_high"),
        Check(
            "best",
            "fatalities_low > fatalities OR fatalities > fatalities_high",
            "raw_low || ' / ' || raw_best || ' / ' || raw_high",
            "low, best and high are out of order: {value}",
        ),
        code_check("date_prec", "raw_date_prec", "time_precision", range(1, 6)),
        code_check("where_prec", "raw_where_prec", "geo_precision", range(1, 8)),
        code_check("type_of_violence", "raw_type_of_violence", whole("raw_type_of_violence"), range(1, 4)),
    ]
    for name in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"):
        out.append(count_check(name, f"raw_{name}", name))
    if "year" in present:
        out.append(
            Check(
                "year",
                "raw_year IS NOT NULL AND date_start IS NOT NULL "
                "AND (TRY_CAST(raw_year AS INTEGER) IS DISTINCT FROM year(date_start))",
                "raw_year || ' vs ' || CAST(date_start AS VARCHAR)",
                "does not match date_start: {value}",
            )
        )
    return out


RAW_FIELDS = (
    "date_start", "date_end", "latitude", "longitude", "best", "low", "high", "date_prec", "where_prec",
    "type_of_violence", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "year",
)  # fmt: skip

SPEC = Spec(
    dataset="ucdp",
    essential=ESSENTIAL,
    optional=OPTIONAL,
    id_column="id",
    columns=columns,
    checks=checks,
    raw_fields=RAW_FIELDS,
)
