"""Imported events in PostgreSQL: the schema, the dialect, imports as transactions, the engine's pool."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from events_helpers import ACLED_JULY, ACLED_JUNE, UCDP_SUBSET, outline_folder

from dashboard.db import DATABASE_URL_ENV, DatabaseError, connect
from dashboard.events import aggregate, pg, pg_import
from dashboard.events.datasets import STORED_COLUMNS
from dashboard.events.dialect import DUCKDB, POSTGRESQL, dialect_of
from dashboard.events.importer import import_file
from dashboard.events.query import EventFilters, condition
from dashboard.events.store import EventStore, engine
from dashboard.model import Filters


@pytest.fixture
def data(tmp_path):
    return outline_folder(tmp_path / "data")


def test_placeholders_become_psycopgs_and_percent_signs_stay_literal():
    sql, params = POSTGRESQL.translate("SELECT '%' || ? WHERE a IN (?, ?)", ["x", 1, 2])
    assert (sql, params) == ("SELECT '%%' || %s WHERE a IN (%s, %s)", ["x", 1, 2])
    assert DUCKDB.translate("SELECT ?", [1]) == ("SELECT ?", [1])
    with pytest.raises(ValueError, match="2 placeholder"):
        POSTGRESQL.translate("SELECT ?, ?", [1, 2, 3])


def test_the_view_bounds_lead_with_the_spatial_index_and_stay_exact():
    cond = condition(Filters(start="2023"), EventFilters(bounds=(36.0, 68.0, 38.0, 71.0)))
    sql, params = POSTGRESQL.translate(cond.sql, cond.params)
    assert "geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND lat BETWEEN %s AND %s" in sql
    # south, west, north, east -> the envelope's west, south, east, north; then the exact test's order
    assert params[-8:] == [68.0, 36.0, 71.0, 38.0, 36.0, 38.0, 68.0, 71.0]
    assert sql.count("%s") == len(params)


def test_text_orders_bytewise_in_both_and_a_duckdb_cursor_is_duckdb():
    assert POSTGRESQL.text_order("actor") == 'actor COLLATE "C"'
    assert DUCKDB.text_order("actor") == "actor"
    assert dialect_of(object()) is DUCKDB and dialect_of(pg.PgEngine("postgresql://x")) is POSTGRESQL


def test_the_table_has_every_stored_column_with_its_type_and_a_point(database_url, data):
    with connect(database_url) as conn:
        found = conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'imported' AND table_name = 'events' ORDER BY ordinal_position"
        ).fetchall()
    wanted = {name: pg.PG_TYPES[kind] for name, kind in STORED_COLUMNS.items()}
    assert dict(found[: len(wanted)]) == wanted
    assert [name for name, _ in found[len(wanted) :]] == ["ord", "geom"]
    import_file("acled", ACLED_JUNE, data, url=database_url)
    with connect(database_url) as conn:
        points = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE ST_X(geom) = lon AND ST_Y(geom) = lat "
            "AND ST_SRID(geom) = 4326) FROM imported.events"
        ).fetchone()
    assert points == (8, 8)


def test_with_the_database_url_set_imports_go_to_the_database_not_the_folder(database_url, data, monkeypatch):
    monkeypatch.setenv(DATABASE_URL_ENV, database_url)
    result = import_file("acled", ACLED_JUNE, data)
    assert result.written and result.added == 8
    assert not (data / "events").exists()
    store = EventStore(data)
    assert store.datasets() == ["acled"] and store.manifest("acled")["export_date"] == "2023-06-30"
    before = store.fingerprint()
    import_file("ucdp", UCDP_SUBSET, data, export_date="2024-06-01")
    assert EventStore(data).datasets() == ["acled", "ucdp"] and EventStore(data).fingerprint() != before
    assert aggregate.totals(engine(data), condition(Filters(), None))[0] == 11
    monkeypatch.delenv(DATABASE_URL_ENV)
    assert EventStore(data).manifests() == {}  # the embedded store is untouched


def test_an_import_is_all_or_nothing(database_url, data, monkeypatch):
    import_file("acled", ACLED_JUNE, data, url=database_url)

    def broken(*args, **kwargs):
        raise RuntimeError("stopped after the events were written")

    with connect(database_url) as conn:
        before = conn.execute("SELECT * FROM imported.events ORDER BY event_id").fetchall()
    monkeypatch.setattr(pg_import, "build_manifest", broken)  # fails after the UPDATE and INSERT ran
    with pytest.raises(RuntimeError, match="stopped"):
        import_file("acled", ACLED_JULY, data, url=database_url)
    with connect(database_url) as conn:
        assert conn.execute("SELECT * FROM imported.events ORDER BY event_id").fetchall() == before
        manifest = conn.execute("SELECT manifest FROM imported.manifests").fetchone()[0]
    assert manifest["export_date"] == "2023-06-30" and len(manifest["imports"]) == 1


def test_two_imports_of_one_dataset_at_once_both_count(database_url, data, monkeypatch):
    barrier = threading.Barrier(2, timeout=60)
    merge = pg_import.merge

    def together(*args, **kwargs):
        barrier.wait()  # both imports reach the database at the same moment
        return merge(*args, **kwargs)

    monkeypatch.setattr(pg_import, "merge", together)
    errors = []

    def run(path):
        try:
            import_file("acled", path, data, url=database_url)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in (ACLED_JUNE, ACLED_JULY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    manifest = EventStore(data, database_url).manifest("acled")
    assert len(manifest["imports"]) == 2  # neither import's record was lost
    assert manifest["events_current"] + manifest["events_withdrawn"] == 9


def test_the_same_export_twice_writes_nothing(database_url, data):
    import_file("acled", ACLED_JUNE, data, url=database_url)
    revision = EventStore(data, database_url).fingerprint()
    again = import_file("acled", ACLED_JUNE, data, url=database_url)
    assert not again.written and again.unchanged == 8
    assert EventStore(data, database_url).fingerprint() == revision


def test_the_living_dataset_columns_follow_the_exports(database_url, data):
    import_file("acled", ACLED_JUNE, data, url=database_url)
    import_file("acled", ACLED_JULY, data, url=database_url)
    with connect(database_url) as conn:
        rows = dict(
            (r[0], r[1:])
            for r in conn.execute(
                "SELECT event_id, status, first_seen, changed_on, withdrawn_on FROM imported.events"
            ).fetchall()
        )
    june, july = date(2023, 6, 30), date(2023, 7, 27)
    assert rows["AFG70005"] == ("withdrawn", june, june, july)
    assert rows["AFG70008"] == ("current", july, july, None)
    assert rows["AFG70001"][:2] == ("current", june)


def test_a_database_without_the_events_migration_says_to_upgrade(pg_cluster, data):
    url = pg_cluster.new_database()
    with pytest.raises(DatabaseError, match="run `db upgrade`"):
        aggregate.totals(engine(data, url), condition(Filters(), None))


def test_a_pooled_connection_the_server_dropped_is_replaced(database_url, data):
    import_file("acled", ACLED_JUNE, data, url=database_url)
    cur = engine(data, database_url)
    assert aggregate.totals(cur, condition(Filters(), None))[0] == 8  # leaves a connection in the pool
    with connect(database_url, autocommit=True) as admin:
        dropped = admin.execute(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()) AS t"
        ).fetchone()[0]
    assert dropped >= 1
    assert aggregate.totals(cur, condition(Filters(), None))[0] == 8
