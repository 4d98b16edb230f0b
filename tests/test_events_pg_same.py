"""The same imported events in both stores give the same answers, query by query.

The same ACLED and UCDP GED exports (the codebook fixtures, then a benchmark-shaped export and a newer
revision of it that changes, withdraws and adds events) are imported into the embedded store (DuckDB over
Parquet) and into PostgreSQL/PostGIS. Every import must report the same, the stored events must be the
same, and for a matrix of filters every query the app, the map and the exports run must return the same
rows, counts and sums.
"""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import replace

import pandas as pd
import pytest
from events_helpers import ACLED_JULY, ACLED_JUNE, ACLED_OLD_SUBSET, REPO, UCDP_SUBSET

from dashboard.db import DATABASE_URL_ENV
from dashboard.db.migrate import upgrade
from dashboard.events import aggregate
from dashboard.events.datasets import H3_RESOLUTIONS, STORED_COLUMNS
from dashboard.events.export import credits, imported_rows
from dashboard.events.importer import import_file
from dashboard.events.query import EventFilters, condition, towns_of
from dashboard.events.regions import load_regions
from dashboard.events.store import IMPORT_ID, EventStore, engine
from dashboard.loader import load_dataset
from dashboard.mapping.event_layers import EventView, imported_layer, view_bounds, within
from dashboard.model import Filters


def _bench_generator():
    spec = importlib.util.spec_from_file_location("acled_export", REPO / "bench" / "acled_export.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


def _exports(folder) -> list[tuple[str, object, dict]]:
    """(dataset, file, options) of every import, in order."""
    generate = _bench_generator()
    first = generate(1500)
    first.loc[first.index % 7 == 0, "actor2"] = "Milícia Takhâr"  # non-ASCII names fold alike
    first_csv = folder / "acled_bench_2024-02-01.csv"
    first.to_csv(first_csv, index=False)
    newer = first.drop(index=range(0, 1500, 50)).copy()  # events no longer in the export: withdrawn
    newer.loc[newer.index % 11 == 0, "fatalities"] += 1  # changed
    extra = generate(40, seed=5).assign(event_id_cnty=[f"NEW{i:04d}" for i in range(40)])
    newer_csv = folder / "acled_bench_2024-03-01.csv"
    pd.concat([newer, extra]).to_csv(newer_csv, index=False)
    return [
        ("acled", ACLED_JUNE, {}),
        ("acled", ACLED_JULY, {}),
        ("acled", ACLED_JULY, {}),  # the same export twice: nothing changes
        ("acled", ACLED_OLD_SUBSET, {"export_date": "2019-10-01"}),  # older than the latest
        ("ucdp", UCDP_SUBSET, {"export_date": "2024-06-01"}),
        ("acled", first_csv, {"export_date": "2024-02-01"}),
        ("acled", newer_csv, {"export_date": "2024-03-01"}),
    ]


@pytest.fixture(scope="module")
def both(pg_cluster, tmp_path_factory):
    """(data folder, database URL, import results of each engine): the same imports into each."""
    root = tmp_path_factory.mktemp("same")
    for name in ("geodata", "seeds"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("events"))
    data = root / "geodata"
    url = pg_cluster.new_database()
    upgrade(url)
    results = {"embedded": [], "postgresql": []}
    for dataset, path, options in _exports(root):
        results["embedded"].append(import_file(dataset, path, data, url="", **options))
        results["postgresql"].append(import_file(dataset, path, data, url=url, **options))
    return data, url, results


def _report(result) -> dict:
    return {
        key: getattr(result, key)
        for key in ("export_date", "export_date_basis", "version", "rows", "added", "changed", "withdrawn",
                    "unchanged", "written", "problems", "notes", "place_notes", "places")
    }  # fmt: skip


def test_every_import_reports_the_same(both):
    _, _, results = both
    embedded = [_report(r) for r in results["embedded"]]
    assert embedded == [_report(r) for r in results["postgresql"]]
    # the sequence exercised what it is meant to: a repeat, withdrawals, changes, additions
    assert [r["written"] for r in embedded] == [True, True, False, True, True, True, True]
    last = embedded[-1]
    assert last["withdrawn"] == 30 and last["changed"] > 100 and last["added"] == 40


def test_the_stored_events_and_manifests_are_the_same(both):
    data, url, _ = both
    columns = ", ".join(STORED_COLUMNS)
    query = f"SELECT {columns} FROM events ORDER BY dataset, event_id"
    embedded = engine(data, "").execute(query).fetchall()
    assert len(embedded) > 1500
    assert embedded == engine(data, url).execute(query).fetchall()

    def without_times(manifests):
        return {
            key: {
                **{k: v for k, v in m.items() if k != IMPORT_ID},  # pairs a Parquet file with its manifest
                "imports": [{k: v for k, v in i.items() if k != "imported_at"} for i in m["imports"]],
            }
            for key, m in manifests.items()
        }

    assert without_times(EventStore(data, "").manifests()) == without_times(EventStore(data, url).manifests())


BOUNDS = (36.5, 69.0, 37.5, 71.0)  # south, west, north, east: eastern Takhar and western Badakhshan
TOWNS = {"fayzabad": "badakhshan"}
CASES = {
    "everything current": (Filters(), None),
    "withdrawn too": (Filters(), EventFilters(include_withdrawn=True)),
    "a date window": (Filters(start="2023-04", end="2023-05"), None),
    "a day window over a month-long event": (Filters(start="2021-08-15", end="2021-08-20"), None),
    "a year": (Filters(start="2020", end="2020"), None),
    "province by name": (Filters(province=("Badakhshan",)), None),
    "province by a spelling": (Filters(province=("Badachschan",)), None),
    "Gorno-Badakhshan apart": (Filters(province=("Gorno-Badakhshan",)), None),
    "two provinces": (Filters(province=("Kunduz", "Takhar")), None),
    "a town": (Filters(province=("Fayzabad",)), None),
    "a village": (Filters(province=("Village 12",)), None),
    "type, any case": (Filters(type=("battles",)), None),
    "UCDP type of violence": (Filters(type=("One-sided violence",)), None),
    "sub-event type": (Filters(type=("Armed clash", "Mob violence")), None),
    "actor part": (Filters(), EventFilters(actor=("resistance",))),
    "actor, non-ASCII": (Filters(), EventFilters(actor=("MILÍCIA TAKHÂR",))),
    "actor wildcards literal": (Filters(), EventFilters(actor=("100%_",))),
    "two actors": (Filters(), EventFilters(actor=("taliban", "islamic state"))),
    "dataset": (Filters(), EventFilters(datasets=("ucdp",))),
    "known on a day": (Filters(known_on="2023-06-30"), None),
    "known on a month": (Filters(known_on="2023-07"), None),
    "known on after a withdrawal": (Filters(known_on="2024-03-15"), None),
    "known on before anything": (Filters(known_on="2019-01-01"), None),
    "bounds": (Filters(), EventFilters(bounds=BOUNDS)),
    "curated-only filter": (Filters(group=("iskp",)), None),
    "everything at once": (
        Filters(
            start="2018",
            end="2024-06",
            province=("Badakhshan", "Takhar"),
            type=("Battles",),
            known_on="2024-03-01",
        ),
        EventFilters(actor=("taliban",), datasets=("acled",), include_withdrawn=True, bounds=BOUNDS),
    ),  # fmt: skip
}


def _answers(cur, cond) -> dict[str, object]:
    """Every query the app, the map and the exports run, for one condition."""
    sort = {
        "by_province": ["province_id"],
        "by_district": ["province_id", "admin2"],
        **{f"hexagons r{r}": ["cell"] for r in H3_RESOLUTIONS},
        "trend by week": ["period", "event_type"],
        "trend by month": ["period", "event_type"],
    }
    frames = {
        "by_province": aggregate.by_province(cur, cond),
        "by_district": aggregate.by_district(cur, cond),
        **{f"hexagons r{r}": aggregate.by_hexagon(cur, cond, r) for r in H3_RESOLUTIONS},
        "trend by week": aggregate.trend(cur, cond, "week"),
        "trend by month": aggregate.trend(cur, cond, "month"),
    }
    out: dict[str, object] = {
        name: frame.sort_values(sort[name]).reset_index(drop=True) for name, frame in frames.items()
    }
    out["totals"] = aggregate.totals(cur, cond)
    out["rows"] = aggregate.rows(cur, cond, 5000)
    out["a page of rows"] = aggregate.rows(cur, cond, 7, offset=5)
    out["types"] = aggregate.type_counts(cur, cond)
    out["actors"] = aggregate.actor_counts(cur, cond, limit=5)
    out["date span"] = aggregate.date_span(cur, cond)
    out["in the map's view"] = aggregate.totals(cur, within(cond, (37.0, 70.0, 37.3, 70.9)))
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_every_query_answers_the_same(both, case):
    data, url, _ = both
    filters, extra = CASES[case]
    regions = load_regions(data)
    cond = condition(filters, extra, regions, TOWNS)
    embedded, shared = _answers(engine(data, ""), cond), _answers(engine(data, url), cond)
    assert embedded.keys() == shared.keys()
    for name, value in embedded.items():
        if isinstance(value, pd.DataFrame):
            exact = name != "by_district"  # its mean points are float sums, added in any order
            pd.testing.assert_frame_equal(value, shared[name], check_exact=exact, rtol=1e-12, obj=name)
        else:
            assert value == shared[name], name
    if case == "everything current":
        assert embedded["totals"][0] > 1400 and len(embedded["by_district"]) > 50


@pytest.mark.parametrize(
    "view",
    [
        EventView(7, view_bounds((37.1, 70.7), 7, (1400, 700))),  # hexagons
        EventView(12, view_bounds((36.729, 68.857), 12, (1400, 700))),  # points
        EventView(5, None, aggregate="province"),
        EventView(5, (30.0, 60.0, 40.0, 75.0), aggregate="district"),
    ],
    ids=["hexagons", "points", "provinces", "districts"],
)
def test_the_map_layer_is_the_same(both, view):
    data, url, _ = both
    cond = condition(Filters(start="2019"), None, load_regions(data))
    summaries = [imported_layer(engine(data, u), cond, view, {}, {})[1] for u in ("", url)]
    assert summaries[0] == summaries[1]
    assert summaries[0]["mode"] == {None: "province"}.get(view.bounds, summaries[0]["mode"])


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(province=("Fayzabad",), known_on="2023-07-31"), Filters(type=("Riots",))],
    ids=["all", "a town known on a day", "a type"],
)
def test_export_rows_are_the_same(both, monkeypatch, filters):
    data, url, _ = both
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    ds = load_dataset(data, data.parent / "seeds")
    embedded, embedded_credits = imported_rows(ds, filters), credits(ds)
    monkeypatch.setenv(DATABASE_URL_ENV, url)  # the stores follow the environment, as the app's do
    shared, shared_credits = imported_rows(ds, filters), credits(ds)
    assert len(embedded) > 0
    pd.testing.assert_frame_equal(embedded, shared)
    assert embedded_credits == shared_credits
    assert towns_of(ds.places, load_regions(data))  # the curated towns the export's filters use


def test_the_view_only_query_uses_the_spatial_index(both):
    _, url, _ = both
    cond = condition(Filters(), replace(EventFilters(), bounds=BOUNDS), None)
    from dashboard.events.dialect import POSTGRESQL

    sql, params = POSTGRESQL.translate(f"EXPLAIN SELECT count(*) FROM events WHERE {cond.sql}", cond.params)
    from dashboard.db import connect

    with connect(url) as conn:
        conn.execute("SET search_path TO imported, public")
        conn.execute("SET enable_seqscan = off")  # a few thousand rows: force the choice the index allows
        plan = "\n".join(row[0] for row in conn.execute(sql, params).fetchall())
    assert "events_geom" in plan
