"""The shared store's schema: created by `db upgrade`, applied once, a changed migration refused."""

from __future__ import annotations

import threading

import pytest

from dashboard.cli import main
from dashboard.db import DATABASE_URL_ENV, DatabaseError, connect, database_url, migrate, redact


def test_upgrade_applies_every_migration_once_and_postgis_works(pg_cluster, capsys):
    url = pg_cluster.new_database()
    assert main(["db", "upgrade", "--url", url]) == 0
    first = capsys.readouterr().out
    assert "applied 0001_postgis" in first
    assert main(["db", "upgrade", "--url", url]) == 0
    assert "the schema is current" in capsys.readouterr().out
    with connect(url) as conn:
        assert conn.execute("SELECT ST_AsText(ST_Point(70.58, 37.12))").fetchone()[0] == "POINT(70.58 37.12)"
        numbers = [r[0] for r in conn.execute("SELECT number FROM schema_migrations ORDER BY number")]
    assert numbers == [m.number for m in migrate.migrations()]


def test_status_lists_pending_then_applied(pg_cluster, capsys):
    url = pg_cluster.new_database()
    assert main(["db", "status", "--url", url]) == 1
    assert "0001_postgis: pending" in capsys.readouterr().out
    migrate.upgrade(url)
    assert main(["db", "status", "--url", url]) == 0
    assert "0001_postgis: applied" in capsys.readouterr().out


def test_two_upgrades_at_once_apply_each_migration_once(pg_cluster):
    url = pg_cluster.new_database()
    results, errors = [], []

    def run():
        try:
            results.append(migrate.upgrade(url))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(len(r) for r in results) == len(migrate.migrations())


def test_a_migration_changed_after_it_was_applied_is_refused(database_url):
    with connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE number = 1")
    with pytest.raises(DatabaseError, match="0001_postgis.sql changed after it was applied"):
        migrate.upgrade(database_url)


def test_a_database_from_a_newer_version_is_refused(database_url):
    with connect(database_url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_migrations (number, name, checksum) VALUES (9999, 'future', 'x')")
        with pytest.raises(DatabaseError, match="9999_future, which this version does not know"):
            migrate.require_current(conn)


def test_an_unreachable_database_is_a_clear_error_without_the_password(capsys):
    url = "postgresql://dashboard:s3cret@127.0.0.1:1/nowhere"
    assert main(["db", "upgrade", "--url", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot reach the database postgresql://dashboard:***@127.0.0.1:1/nowhere")
    assert "s3cret" not in err


def test_the_url_comes_from_the_environment_and_must_be_postgresql(monkeypatch, capsys):
    assert database_url({}) is None
    assert database_url({DATABASE_URL_ENV: "  "}) is None
    with pytest.raises(DatabaseError, match="expected a postgresql:// URL"):
        database_url({DATABASE_URL_ENV: "mysql://u:pw@h/db"})
    assert redact("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    assert main(["db", "upgrade"]) == 1
    assert f"url: give --url or set {DATABASE_URL_ENV}" in capsys.readouterr().err
