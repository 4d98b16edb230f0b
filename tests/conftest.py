"""Shared fixtures: a factory for tiny data folders (``make_data``) and the common variants."""

from __future__ import annotations

import factory
import pytest


@pytest.fixture
def make_data(tmp_path):
    """Call with the variation a test needs (see ``factory.make_data``); returns (data_dir, seeds_dir)."""

    def make(**overrides):
        return factory.make_data(tmp_path / "root", **overrides)

    return make


@pytest.fixture
def data_dirs(make_data):
    """A valid data folder and documents folder."""
    return make_data()


@pytest.fixture
def dataset(data_dirs):
    """The valid tiny dataset, loaded."""
    from dashboard.loader import load_dataset

    return load_dataset(*data_dirs)


@pytest.fixture
def flat(dataset):
    """The flat report table of the valid tiny dataset."""
    from dashboard.flat import flat_reports

    return flat_reports(dataset)


@pytest.fixture(scope="session")
def pg_cluster():
    """A throw-away PostgreSQL + PostGIS server for the whole run (see tests/pgcluster.py)."""
    import pgcluster

    try:
        cluster = pgcluster.start_cluster()
    except pgcluster.ClusterUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield cluster
    pgcluster.remove_cluster(cluster)


@pytest.fixture
def database_url(pg_cluster):
    """The URL of a new, empty database with the schema upgraded to the current migration."""
    from dashboard.db.migrate import upgrade

    url = pg_cluster.new_database()
    upgrade(url)
    return url
