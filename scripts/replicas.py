"""Run N dashboard replicas behind nginx on one machine: sticky sessions, one cookie secret, one store.

    python scripts/replicas.py --replicas 3 --port 8080 \\
        --database-url postgresql://dashboard@db.example.org/dashboard --secrets /etc/dashboard/secrets.toml

Each replica is the installed dashboard (``dashboard.server``: the project's Streamlit settings) on a
loopback port of its own; nginx (Debian's package is enough) listens on ``--address:--port`` and sends
every request of one browser to the same replica. A Streamlit session lives in one replica's memory
over one websocket, so stickiness is what keeps a session whole; it is keyed on a cookie nginx sets on
the first answer (``dashboard_route``), not on the client address, so many people behind one office
proxy still spread over the replicas. The replicas share:

- the store: ``DASHBOARD_DATABASE_URL`` (PostgreSQL/PostGIS) for a team, so a change accepted through
  one replica is what every other replica shows at its next rerun (without it, ``--data`` is one data
  folder on this machine, locked per change: enough to try replicas, not to spread them over machines);
- the cookie secret (``server.cookieSecret``, ``STREAMLIT_SERVER_COOKIE_SECRET``), so a signed-in
  session cookie made by one replica is valid on the others;
- the secrets file with the sign-in settings (``--secrets``), when sign-in is configured.

The run folder (``--run-dir``) holds nginx's configuration, its pid, error log and temporary files,
and one log per replica. Ctrl-C (or SIGTERM) stops nginx and every replica. ``nginx -t`` checks the
configuration before anything starts.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import server

#: Header each answer carries naming the replica that served it (for operators and the tests).
REPLICA_HEADER = "X-Dashboard-Replica"
ROUTE_COOKIE = "dashboard_route"
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"

NGINX_CONF = """\
# Written by scripts/replicas.py: {replicas} dashboard replicas behind one address, sticky sessions.
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
{user}
events {{
    worker_connections 1024;
}}

http {{
    access_log off;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;

    map $http_upgrade $dashboard_connection {{
        default upgrade;
        ''      close;
    }}
    # A browser's first request has no route cookie: its request id becomes the route, and the answer
    # sets it as the cookie, so every later request (static files, the websocket) hashes the same way.
    map $cookie_{cookie} $dashboard_route {{
        ""      $request_id;
        default $cookie_{cookie};
    }}

    upstream dashboard_replicas {{
        hash $dashboard_route consistent;
{servers}
    }}

    server {{
        listen {listen};
        server_name _;

        add_header Set-Cookie "{cookie}=$dashboard_route; Path=/; HttpOnly; SameSite=Lax" always;
        add_header {header} $upstream_addr always;
        add_header X-Content-Type-Options nosniff always;
        add_header Referrer-Policy no-referrer always;

        location = /_stcore/metrics {{
            return 404;
        }}

        location / {{
            proxy_pass http://dashboard_replicas;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $dashboard_connection;
            proxy_read_timeout 1h;
            proxy_max_temp_file_size 0;
        }}
    }}
}}
"""


class ReplicasError(RuntimeError):
    """The deployment cannot start as asked; the message says why."""


@dataclass
class Deployment:
    """Running replicas and their proxy; :meth:`stop` ends them all."""

    run_dir: Path
    url: str
    replica_ports: list[int]
    processes: list[subprocess.Popen] = field(default_factory=list)
    nginx: Path | None = None

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[index]}"

    def stop(self) -> None:
        if self.nginx is not None:
            conf = self.run_dir / "nginx.conf"
            subprocess.run(
                [str(self.nginx), "-p", str(self.run_dir), "-c", str(conf), "-s", "quit"],
                capture_output=True,
                timeout=30,
            )
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def find_nginx() -> Path:
    """nginx from PATH or Debian's /usr/sbin; ``ReplicasError`` naming the package when it is absent."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise ReplicasError("nginx not found: install it (Debian: apt-get install nginx-light)")
    return Path(found)


def free_port() -> int:
    """A loopback port free now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(run_dir: Path, listen: str, replica_ports: list[int]) -> str:
    """The nginx configuration for these replicas (workers as ``nobody`` when started as root)."""
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in replica_ports)
    return NGINX_CONF.format(
        replicas=len(replica_ports),
        run=run_dir,
        user="user nobody nogroup;" if os.geteuid() == 0 else "",
        cookie=ROUTE_COOKIE,
        servers=servers,
        listen=listen,
        header=REPLICA_HEADER,
    )


def _wait_healthy(url: str, process: subprocess.Popen | None, log: Path, timeout: float = 120) -> None:
    try:
        server.wait_until_answering(f"{url}/_stcore/health", process, log, timeout)
    except server.ServerError as exc:
        raise ReplicasError(str(exc)) from None


def start(
    replicas: int,
    *,
    port: int,
    address: str = "127.0.0.1",
    run_dir: Path | None = None,
    database_url: str | None = None,
    data: Path | None = None,
    seeds: Path | None = None,
    secrets_file: Path | None = None,
    cookie_secret: str | None = None,
    allowed_hosts: tuple[str, ...] = (),
) -> Deployment:
    """Start ``replicas`` dashboards and nginx in front of them; return once all answer through nginx."""
    if replicas < 1:
        raise ReplicasError(f"replicas: {replicas} is not a positive number")
    if not server.is_loopback(address) and secrets_file is None:
        raise ReplicasError(
            f"address: refusing to listen on {address} without sign-in: "
            "give --secrets with the [auth] settings"
        )
    nginx = find_nginx()
    run_dir = Path(run_dir or tempfile.mkdtemp(prefix="dashboard-replicas-")).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / temp).mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(run_dir / temp, "nobody", "nogroup")
    env = dict(os.environ)
    env[COOKIE_SECRET_ENV] = cookie_secret or secrets.token_urlsafe(32)
    if database_url:
        env["DASHBOARD_DATABASE_URL"] = database_url
    ports = [free_port() for _ in range(replicas)]
    deployment = Deployment(run_dir, f"http://{address}:{port}", ports, nginx=None)
    try:
        for index, replica_port in enumerate(ports):
            options = server.ServeOptions(
                port=replica_port,
                data=data,
                seeds=seeds,
                secrets=secrets_file,  # checked (sign-in settings) and the only secrets file read
                allowed_hosts=(*allowed_hosts, address),
            )
            server.check_options(options)
            log = run_dir / f"replica-{index}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    server.build_command(options),
                    env=server.build_environment(options, env),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    cwd=run_dir,
                )
            deployment.processes.append(process)
        for index, process in enumerate(deployment.processes):
            _wait_healthy(deployment.replica_url(index), process, run_dir / f"replica-{index}.log")
        conf = run_dir / "nginx.conf"
        conf.write_text(nginx_config(run_dir, f"{address}:{port}", ports), encoding="utf-8")
        base = [str(nginx), "-p", str(run_dir), "-c", str(conf)]
        check = subprocess.run([*base, "-t"], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise ReplicasError(f"nginx refused the configuration: {check.stderr.strip()}")
        started = subprocess.run(base, capture_output=True, text=True, timeout=30)
        if started.returncode != 0:
            raise ReplicasError(f"nginx did not start: {started.stderr.strip()}")
        deployment.nginx = nginx
        _wait_healthy(deployment.url, None, run_dir / "nginx-error.log")
    except BaseException:
        deployment.stop()
        raise
    return deployment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="how many app servers (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="the port nginx listens on (default 8080)")
    parser.add_argument("--address", default="127.0.0.1", help="the address nginx listens on")
    parser.add_argument(
        "--database-url", help="the shared PostgreSQL store (default: $DASHBOARD_DATABASE_URL)"
    )
    parser.add_argument("--data", type=Path, help="without a database: the one data folder they all show")
    parser.add_argument("--seeds", type=Path, help="without a database: its documents folder")
    parser.add_argument("--secrets", type=Path, help="Streamlit secrets file with the sign-in settings")
    parser.add_argument("--run-dir", type=Path, help="folder for nginx's files and the logs (default: new)")
    parser.add_argument("--allowed-host", action="append", default=[], help="a name browsers use to reach it")
    args = parser.parse_args(argv)
    try:
        deployment = start(
            args.replicas,
            port=args.port,
            address=args.address,
            run_dir=args.run_dir,
            database_url=args.database_url or os.environ.get("DASHBOARD_DATABASE_URL"),
            data=args.data,
            seeds=args.seeds,
            secrets_file=args.secrets,
            cookie_secret=os.environ.get(COOKIE_SECRET_ENV),
            allowed_hosts=tuple(args.allowed_host),
        )
    except (ReplicasError, server.ServerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.replicas} replicas behind {deployment.url} (logs in {deployment.run_dir}); Ctrl-C stops")
    stop = False

    def ask_stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, ask_stop)
    try:
        while not stop and all(p.poll() is None for p in deployment.processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        deployment.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
