"""``load_events`` / ``dump_events``: a data folder's imported events into the database and back, equal."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from events_helpers import ACLED_JULY, ACLED_JUNE, UCDP_SUBSET, outline_folder

from dashboard.db import connect
from dashboard.events import aggregate
from dashboard.events.importer import import_file
from dashboard.events.pg_transfer import EventFilesError, dump_events, load_events
from dashboard.events.query import EventFilters, condition
from dashboard.events.store import IMPORT_ID, EventStore, engine
from dashboard.model import Filters


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A data folder whose embedded store had two ACLED exports and a UCDP one imported."""
    data = outline_folder(tmp_path_factory.mktemp("transfer") / "data")
    import_file("acled", ACLED_JUNE, data, url="")
    import_file("ucdp", UCDP_SUBSET, data, url="", export_date="2024-06-01")
    import_file("acled", ACLED_JULY, data, url="")
    return data


def _table(path):
    """(column names and types, every row in file order) of a Parquet file."""
    con = duckdb.connect()
    source = f"read_parquet('{path}')"
    return con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall(), con.execute(
        f"FROM {source}"
    ).fetchall()


def _manifest(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_dump_equals_what_was_loaded(database_url, folder, tmp_path):
    with connect(database_url) as conn, conn.transaction():
        assert load_events(conn, folder) == {"acled": 9, "ucdp": 3}
    out = outline_folder(tmp_path / "out")
    with connect(database_url) as conn, conn.transaction():
        assert dump_events(conn, out) == {"acled": 9, "ucdp": 3}
    names = sorted(p.name for p in (folder / "events").iterdir())
    assert sorted(p.name for p in (out / "events").iterdir()) == names == [
        "acled.json", "acled.parquet", "ucdp.json", "ucdp.parquet",
    ]  # fmt: skip
    for key in ("acled", "ucdp"):
        assert _table(out / "events" / f"{key}.parquet") == _table(folder / "events" / f"{key}.parquet")
        # The same manifest, but for the id that pairs each written Parquet file with its manifest.
        dumped, loaded = (_manifest(f / "events" / f"{key}.json") for f in (out, folder))
        assert dumped.pop(IMPORT_ID) != loaded.pop(IMPORT_ID)
        assert dumped == loaded


def test_loaded_events_answer_as_in_the_folder_and_take_the_next_import(database_url, tmp_path):
    embedded = outline_folder(tmp_path / "embedded")
    import_file("acled", ACLED_JUNE, embedded, url="")
    with connect(database_url) as conn, conn.transaction():
        load_events(conn, embedded)
    cond = condition(Filters(), EventFilters(include_withdrawn=True))
    assert aggregate.totals(engine(embedded, database_url), cond) == aggregate.totals(
        engine(embedded, ""), cond
    )
    # the next export goes on from the loaded state in both stores alike
    shared = import_file("acled", ACLED_JULY, embedded, url=database_url)
    local = import_file("acled", ACLED_JULY, embedded, url="")
    assert (shared.added, shared.changed, shared.withdrawn) == (local.added, local.changed, local.withdrawn)
    query = "SELECT event_id, status, first_seen, changed_on, withdrawn_on FROM events"
    assert sorted(engine(embedded, database_url).execute(query).fetchall()) == sorted(
        engine(embedded, "").execute(query).fetchall()
    )


def test_a_load_replaces_the_databases_events_and_a_dump_removes_stale_files(database_url, folder, tmp_path):
    only_ucdp = outline_folder(tmp_path / "only_ucdp")
    (only_ucdp / "events").mkdir()
    for name in ("ucdp.parquet", "ucdp.json"):
        shutil.copy(folder / "events" / name, only_ucdp / "events" / name)
    with connect(database_url) as conn, conn.transaction():
        load_events(conn, folder)
    with connect(database_url) as conn, conn.transaction():
        assert load_events(conn, only_ucdp) == {"ucdp": 3}
    out = outline_folder(tmp_path / "out")
    shutil.copytree(folder / "events", out / "events")  # an older dump: its ACLED files must go
    with connect(database_url) as conn, conn.transaction():
        assert dump_events(conn, out) == {"ucdp": 3}
    assert sorted(p.name for p in (out / "events").iterdir()) == ["ucdp.json", "ucdp.parquet"]
    assert EventStore(out, database_url).datasets() == ["ucdp"]


def test_a_folder_without_events_leaves_the_database_as_it_is(database_url, folder, tmp_path):
    with connect(database_url) as conn, conn.transaction():
        load_events(conn, folder)
    bare = outline_folder(tmp_path / "bare")
    with connect(database_url) as conn, conn.transaction():
        assert load_events(conn, bare) is None
    assert EventStore(bare, database_url).datasets() == ["acled", "ucdp"]


def test_the_load_is_the_callers_transaction(database_url, folder):
    with connect(database_url) as conn:
        with pytest.raises(RuntimeError), conn.transaction():
            load_events(conn, folder)
            raise RuntimeError("the caller's load failed later")
    assert EventStore(folder, database_url).datasets() == []


def test_bad_event_files_are_refused_with_file_row_and_field(database_url, folder, tmp_path):
    bad = outline_folder(tmp_path / "bad")
    (bad / "events").mkdir()
    con = duckdb.connect()
    source = folder / "events" / "acled.parquet"
    con.execute(
        f"COPY (SELECT * REPLACE (CASE WHEN event_id = 'AFG70002' THEN NULL ELSE event_id END AS event_id, "
        "CASE WHEN event_id = 'AFG70003' THEN 'gone' ELSE status END AS status) "
        f"FROM read_parquet('{source}')) "
        f"TO '{bad / 'events' / 'acled.parquet'}' (FORMAT parquet)"
    )
    manifest = json.loads((folder / "events" / "acled.json").read_text())
    (bad / "events" / "acled.json").write_text(json.dumps(manifest))
    (bad / "events" / "ucdp.json").write_text("{not json")
    (bad / "events" / "notes.txt").write_text("")
    rows = con.execute(f"SELECT event_id FROM read_parquet('{source}')").fetchall()
    second, third = rows.index(("AFG70002",)) + 1, rows.index(("AFG70003",)) + 1
    with connect(database_url) as conn, conn.transaction():
        load_events(conn, folder)
        with pytest.raises(EventFilesError) as caught:
            load_events(conn, bad)
    in_rows = sorted(
        [(second, "event_id: empty"), (third, "status: neither 'current' nor 'withdrawn'")]
    )  # each row's problems in row order
    assert [str(p) for p in caught.value.problems] == [
        "events/notes.txt:0:: not an imported dataset's file (acled or ucdp, .parquet or .json)",
        *(f"events/acled.parquet:{row}:{text}" for row, text in in_rows),
        "events/ucdp.json:0:: ucdp.parquet is missing beside it",
    ]
    assert EventStore(folder, database_url).datasets() == ["acled", "ucdp"]  # nothing was replaced
