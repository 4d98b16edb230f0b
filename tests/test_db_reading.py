"""Reading the curated data from the shared database: the command line and the app read its current
version (one query to know it), each version is cached once, a change made elsewhere shows at the
next rerun, and a database that goes away and comes back is ridden out without a restart."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import dbstore
import pgcluster
import pytest
from drafts import write_draft
from streamlit.testing.v1 import AppTest

from dashboard.cli import main
from dashboard.db import DatabaseError
from dashboard.db.migrate import upgrade
from dashboard.db.snapshot import cache_root, materialise
from dashboard.ingest import accept_draft
from dashboard.loader import database_dirs
from dashboard.retraction import retract

APP = str(dbstore.REPO / "dashboard" / "app.py")


@pytest.fixture
def shared(database_url, data_dirs, tmp_path, monkeypatch):
    """The tiny data folder loaded into a new database, which everything then reads."""
    dbstore.load(database_url, *data_dirs)
    dbstore.use_database(monkeypatch, database_url, tmp_path / "cache")
    return database_url, data_dirs


def _documents_exported(tmp_path: Path, name: str, *options: str) -> set[str]:
    out = tmp_path / name
    assert main(["export", "csv", "--out", str(out), *options]) == 0
    return {row["document_id"] for row in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}


def test_exports_and_changes_read_the_database(shared, tmp_path, capsys):
    url, (data_dir, _) = shared
    assert _documents_exported(tmp_path, "before.csv") == {"d000", "d001"}
    assert retract(data_dir, "d001", "The outlet withdrew it.", when="2024-02-01").ok
    assert _documents_exported(tmp_path, "after.csv") == {"d000"}
    assert _documents_exported(tmp_path, "marked.csv", "--include-retracted") == {"d000", "d001"}
    # A folder named on the command line is read as a folder: it never had the retraction.
    assert _documents_exported(tmp_path, "folder.csv", "--data", str(data_dir)) == {"d000", "d001"}
    capsys.readouterr()
    assert main(["changes", "--from", "2024-01-01", "--to", "2024-03-31"]) == 0
    assert "The outlet withdrew it." in capsys.readouterr().out
    assert main(["dependents", "d001"]) == 0
    assert "document d001" in capsys.readouterr().out


def test_each_version_is_written_once_and_older_ones_are_removed(shared):
    url, (data_dir, _) = shared
    first = materialise(url)
    assert first.version == 1 and first.data_dir.name == "geodata" and first.seeds_dir.name == "seeds"
    stamp = (first.data_dir / "claims.csv").stat().st_mtime_ns
    assert materialise(url) == first and (first.data_dir / "claims.csv").stat().st_mtime_ns == stamp
    assert retract(data_dir, "d001", "One.", when="2024-02-01").ok
    assert materialise(url).version == 2
    assert retract(data_dir, "minister", "Two.", when="2024-03-01", kind="discredited").ok
    third = materialise(url)
    assert third.version == 3 and "minister" in (third.data_dir / "retractions.csv").read_text()
    # The current version and the one before it (a page may still be reading it) stay; older ones go.
    assert sorted(p.name for p in cache_root(url).iterdir()) == ["v2", "v3"]
    assert database_dirs() == (third.data_dir, third.seeds_dir)
    assert database_dirs(data_dir) is None  # a folder named is read as a folder


def test_a_database_with_nothing_loaded_or_no_schema_is_a_clear_error(pg_cluster, tmp_path, monkeypatch):
    url = pg_cluster.new_database()
    dbstore.use_database(monkeypatch, url, tmp_path / "cache")
    with pytest.raises(DatabaseError, match="run `db upgrade`"):
        database_dirs()
    upgrade(url)
    with pytest.raises(DatabaseError, match="load a data folder with `db load`"):
        database_dirs()


def _totals(at: AppTest) -> int:
    caption = next(c.value for c in at.sidebar.caption if "reports match" in c.value)
    return int(re.search(r" of (\d+) reports", caption).group(1))


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_app_shows_a_change_made_elsewhere_at_its_next_rerun(shared, tmp_path):
    url, folders = shared
    at = _app()
    before = _totals(at)
    assert accept_draft(write_draft(tmp_path / "a", "one"), *folders, who="elsewhere").ok
    at.run()
    assert not at.exception, at.exception
    assert _totals(at) == before + 1


@pytest.fixture
def private_cluster():
    """A cluster of this test's own, to stop and start."""
    cluster = pgcluster.start_cluster()
    yield cluster
    pgcluster.remove_cluster(cluster)


def test_the_app_keeps_its_data_while_the_database_is_away_and_recovers(
    private_cluster, data_dirs, tmp_path, monkeypatch
):
    url = private_cluster.new_database()
    upgrade(url)
    dbstore.load(url, *data_dirs)
    dbstore.use_database(monkeypatch, url, tmp_path / "cache")
    at = _app()
    before = _totals(at)
    assert not [w for w in at.warning if "shared database" in w.value]
    assert private_cluster.pg_ctl("-w", "-m", "fast", "stop").returncode == 0
    at.run()
    assert not at.exception, at.exception
    warning = [w.value for w in at.warning if "shared database" in w.value]
    assert len(warning) == 1 and "cannot be reached since" in warning[0] and "version 1" in warning[0]
    assert _totals(at) == before  # the last data read, still shown
    at.run()  # still away: still the same data and the same warning
    assert not at.exception and _totals(at) == before
    assert [w.value for w in at.warning if "shared database" in w.value] == warning
    private_cluster.start()
    assert accept_draft(write_draft(tmp_path / "a", "one"), *data_dirs, who="meanwhile").ok
    at.run()
    assert not at.exception, at.exception
    assert not [w for w in at.warning if "shared database" in w.value]
    assert _totals(at) == before + 1


def test_an_app_that_never_reached_the_database_says_so(tmp_path, monkeypatch):
    dbstore.use_database(monkeypatch, "postgresql://nobody@127.0.0.1:9/none", tmp_path / "cache")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert any("cannot be read, and this server has no data from it yet" in e.value for e in at.error)


def test_drafting_an_article_reads_the_database(tmp_path, monkeypatch, capsys):
    dbstore.use_database(monkeypatch, "postgresql://nobody@127.0.0.1:9/none", tmp_path / "cache")
    article = tmp_path / "article.txt"
    article.write_text("About 300 fighters crossed into Badakhshan.\n", encoding="utf-8")
    out = tmp_path / "draft.csv"
    assert main(["ingest", "draft", str(article), "--published", "2024-01", "--out", str(out)]) == 1
    assert "ingest: cannot reach the database postgresql://nobody@127.0.0.1:9/none" in capsys.readouterr().err
    assert not out.exists()
