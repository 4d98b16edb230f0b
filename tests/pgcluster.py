"""A throw-away PostgreSQL 15 + PostGIS server for the tests, started once per test run.

The cluster lives in a temporary folder, listens on 127.0.0.1 at a free port (and a socket in that
folder), trusts local connections and is stopped at the end. PostgreSQL refuses to run as root, so as
root it is run as the ``postgres`` user (which the Debian packages create). The binaries come from
Debian's ``postgresql-15-postgis-3`` (``make db-deps`` installs it); without them the tests that need a
database fail and say how to install it, rather than being skipped where nobody looks.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BIN_DIR = Path(os.environ.get("DASHBOARD_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")
INSTALL_HINT = "install PostgreSQL 15 and PostGIS with `make db-deps` (Debian: postgresql-15-postgis-3)"


class ClusterUnavailable(RuntimeError):
    """PostgreSQL or PostGIS is not installed, or the cluster did not start."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    """A running cluster; :meth:`new_database` gives each test its own database."""

    folder: Path
    port: int
    as_user: list[str] = field(default_factory=list)

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``pg_ctl`` on this cluster (``stop``, ``start``...) as the cluster's owner."""
        return _run(self.as_user, str(BIN_DIR / "pg_ctl"), "-D", str(self.folder / "data"), *args)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        result = self.pg_ctl("-w", "-l", str(self.folder / "log"), "-o", options, "start")
        if result.returncode != 0:
            raise ClusterUnavailable(f"pg_ctl start failed: {result.stderr or result.stdout}")

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")


def _run(as_user: list[str], *command: str) -> subprocess.CompletedProcess:
    return subprocess.run([*as_user, *command], capture_output=True, text=True, timeout=120)


def start_cluster() -> Cluster:
    """Initialise and start a cluster in a new temporary folder; raise ``ClusterUnavailable``."""
    if not (BIN_DIR / "initdb").exists() or not POSTGIS_CONTROL.exists():
        raise ClusterUnavailable(f"PostgreSQL 15 with PostGIS not found: {INSTALL_HINT}")
    folder = Path(tempfile.mkdtemp(prefix="dashboard-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    init = _run(as_user, str(BIN_DIR / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres")
    if init.returncode != 0:
        raise ClusterUnavailable(f"initdb failed: {init.stderr or init.stdout}")
    cluster = Cluster(folder, _free_port(), as_user)
    cluster.start()
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    """Stop the cluster and delete its folder."""
    cluster.stop()
    shutil.rmtree(cluster.folder, ignore_errors=True)
