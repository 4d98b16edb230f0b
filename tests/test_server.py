"""``serve``: the Streamlit command line it builds, the refusal to leave loopback, and one real start."""

from __future__ import annotations

import base64
import http.client
import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from dashboard import server
from dashboard.cli import main
from dashboard.server import NETWORK_FLAG, ServeOptions, ServerError

REPO = Path(__file__).resolve().parents[1]


def _flags(command: list[str]) -> list[tuple[str, str]]:
    return [tuple(arg[2:].split("=", 1)) for arg in command if arg.startswith("--")]


def test_command_runs_the_installed_app_with_this_python():
    command = server.build_command(ServeOptions(port=8600))
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(command[4]) == REPO / "dashboard" / "app.py"
    flags = dict(_flags(command))
    assert flags["server.address"] == "127.0.0.1" and flags["server.port"] == "8600"


def test_flags_mirror_the_project_streamlit_config():
    """Every setting of .streamlit/config.toml reaches a server started from another folder."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    flags = _flags(server.build_command(ServeOptions()))
    for section, options in config.items():
        for name, value in options.items():
            key = f"{section}.{name}"
            expected = value if isinstance(value, list) else [value]
            passed = [v for k, v in flags if k == key]
            wanted = [str(v).lower() if isinstance(v, bool) else str(v) for v in expected]
            assert passed == wanted, f"{key}: config.toml has {value!r}, serve passes {passed}"


def test_a_shared_server_neither_collects_all_garbage_nor_watches_sources_after_each_run():
    """Under 30 sessions a full collection after every run took about half the server's time and the
    source watcher another ~13% (docs/performance.md)."""
    flags = dict(_flags(server.build_command(ServeOptions())))
    assert flags["runner.postScriptGC"] == "false"
    assert flags["server.fileWatcherType"] == "none"


def test_data_folders_go_through_the_environment(tmp_path):
    (tmp_path / "geodata").mkdir()
    options = ServeOptions(data=tmp_path / "geodata", seeds=tmp_path)
    env = server.build_environment(options, base={"PATH": "/bin"})
    assert env == {
        "PATH": "/bin",
        "DASHBOARD_DATA_DIR": str((tmp_path / "geodata").resolve()),
        "DASHBOARD_SEEDS_DIR": str(tmp_path.resolve()),
    }
    assert server.build_environment(ServeOptions(), base={}) == {}


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "192.168.1.10", "maps.example.org"])
def test_a_network_address_is_refused_without_the_flag(address):
    assert not server.is_loopback(address)
    with pytest.raises(ServerError, match=f"refusing to listen on {address}.*no sign-in.*{NETWORK_FLAG}"):
        server.check_options(ServeOptions(address=address))
    server.check_options(ServeOptions(address=address, allow_unauthenticated_network=True))


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_addresses_need_no_flag(address):
    server.check_options(ServeOptions(address=address))


def test_a_specific_address_is_an_allowed_host_a_wildcard_is_not():
    hosts = [
        v for k, v in _flags(server.build_command(ServeOptions(address="::1"))) if k == "server.allowedHosts"
    ]
    assert hosts == ["localhost", "127.0.0.1", "::1"]
    wide = ServeOptions(
        address="0.0.0.0", allow_unauthenticated_network=True, allowed_hosts=("maps.example.org",)
    )
    hosts = [v for k, v in _flags(server.build_command(wide)) if k == "server.allowedHosts"]
    assert hosts == ["localhost", "127.0.0.1", "maps.example.org"]


def test_cli_refuses_a_network_address_and_starts_nothing(capsys, monkeypatch):
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: started.append(a))
    assert main(["serve", "--address", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: address: refusing to listen on 0.0.0.0") and NETWORK_FLAG in err
    assert started == []


def test_cli_refuses_a_missing_data_folder(tmp_path, capsys):
    assert main(["serve", "--data", str(tmp_path / "nope")]) == 2
    assert f"data: folder {tmp_path / 'nope'} does not exist" in capsys.readouterr().err


def test_cli_passes_its_options_to_the_server(tmp_path, monkeypatch, capsys):
    seen = {}

    def fake_execve(path, command, env):
        seen.update(path=path, command=command, env=env)
        return 0  # the real one never returns: the process becomes the server

    monkeypatch.setattr(os, "execve", fake_execve)
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("serve must not start a child"))
    assert main(["serve", "--port", "8700", "--data", str(tmp_path)]) == 1
    assert seen["path"] == seen["command"][0]
    assert ("server.port", "8700") in _flags(seen["command"])
    assert seen["env"]["DASHBOARD_DATA_DIR"] == str(tmp_path.resolve())
    assert "http://127.0.0.1:8700" in capsys.readouterr().out


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _websocket_status(port: int, host: str) -> int:
    """The status of a websocket upgrade to the app's stream sent with ``Host: host``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("GET", "/_stcore/stream", skip_host=True, skip_accept_encoding=True)
    for name, value in (
        ("Host", f"{host}:{port}"),
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", base64.b64encode(os.urandom(16)).decode()),
        ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Protocol", "streamlit"),
    ):
        conn.putheader(name, value)
    conn.endheaders()
    status = conn.getresponse().status
    conn.close()
    return status


def test_a_real_start_from_another_folder_answers_health(tmp_path):
    port = _free_port()
    child = server.start(
        ServeOptions(port=port),
        cwd=tmp_path,  # no .streamlit/ here: the settings must come from the flags
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body, deadline = None, time.monotonic() + 120  # a wait for start-up, not a timing assertion
        while body is None and child.poll() is None and time.monotonic() < deadline:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5).read()
            except OSError:
                time.sleep(0.5)
        assert body == b"ok", f"no health answer (server exit status {child.poll()})"
        assert _websocket_status(port, "localhost") == 101
        assert _websocket_status(port, "rebound.example") == 403  # allowedHosts came through the flags
    finally:
        child.terminate()
        child.wait(timeout=60)


SIGN_IN_TOML = """
[auth]
redirect_uri = "https://maps.example.org/oauth2callback"
cookie_secret = "0123456789abcdef0123456789abcdef"
client_id = "dashboard"
client_secret = "placeholder"
server_metadata_url = "https://idp.example.org/.well-known/openid-configuration"

[dashboard.roles]
curators = ["a.curator@example.org"]
"""


def _secrets(tmp_path: Path, text: str = SIGN_IN_TOML, name: str = "secrets.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_with_sign_in_a_network_address_is_allowed(tmp_path):
    options = ServeOptions(address="0.0.0.0", secrets=_secrets(tmp_path))
    server.check_options(options)
    assert server.access_settings(options).sign_in


def test_a_secrets_file_without_auth_does_not_open_the_network(tmp_path):
    path = _secrets(tmp_path, '[dashboard.roles]\ncurators = ["a@example.org"]\n')
    with pytest.raises(ServerError, match=f"refusing to listen on 0.0.0.0: {path} has no \\[auth\\] section"):
        server.check_options(ServeOptions(address="0.0.0.0", secrets=path))
    server.check_options(ServeOptions(secrets=path))  # on loopback it is the single-user tool


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        (SIGN_IN_TOML.replace("client_id =", "client =", 1), "s.toml", r"s\.toml: auth\.client_id: missing"),
        (SIGN_IN_TOML.replace("curators =", "curator ="), "s.toml", r"roles\.curator: not a setting"),
        ("[auth\n", "s.toml", r"s\.toml: not valid TOML"),
        (SIGN_IN_TOML, "secrets.txt", r"secrets\.txt: Streamlit reads secrets from a \.toml file"),
    ],
)
def test_a_bad_secrets_file_is_refused_naming_file_and_key(tmp_path, text, name, message):
    with pytest.raises(ServerError, match=rf"^secrets: .*{message}"):
        server.check_options(ServeOptions(secrets=_secrets(tmp_path, text, name)))


def test_a_missing_secrets_file_is_refused(tmp_path):
    with pytest.raises(ServerError, match=r"secrets: .*nope\.toml: cannot be read"):
        server.check_options(ServeOptions(secrets=tmp_path / "nope.toml"))


def test_the_secrets_file_is_the_one_streamlit_reads(tmp_path):
    path = _secrets(tmp_path)
    flags = _flags(server.build_command(ServeOptions(secrets=path)))
    assert [v for k, v in flags if k == "secrets.files"] == [str(path.resolve())]
    hosts = [v for k, v in flags if k == "server.allowedHosts"]
    assert hosts == ["localhost", "127.0.0.1", "maps.example.org"]  # where the sign-in comes back to
    assert not any(k == "secrets.files" for k, _ in _flags(server.build_command(ServeOptions())))


def test_the_network_consent_reaches_the_app_only_through_the_flag():
    base = {"PATH": "/bin", server.NETWORK_ENV: "1"}
    assert server.NETWORK_ENV not in server.build_environment(ServeOptions(), base=base)
    opened = server.build_environment(ServeOptions(allow_unauthenticated_network=True), base={})
    assert opened == {server.NETWORK_ENV: "1"}


def test_cli_serves_the_network_with_sign_in(tmp_path, monkeypatch, capsys):
    seen = {}
    monkeypatch.setattr(os, "execve", lambda path, command, env: seen.update(command=command, env=env))
    path = _secrets(tmp_path)
    assert main(["serve", "--address", "0.0.0.0", "--secrets", str(path)]) == 1  # execve faked
    assert ("secrets.files", str(path.resolve())) in _flags(seen["command"])
    assert server.NETWORK_ENV not in seen["env"]
    assert "sign-in required" in capsys.readouterr().out


def test_cli_names_the_bad_key_of_a_secrets_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(os, "execve", lambda *a: pytest.fail("nothing may start"))
    path = _secrets(tmp_path, SIGN_IN_TOML.replace("cookie_secret", "cookie_secrets"))
    assert main(["serve", "--secrets", str(path)]) == 2
    assert f"error: secrets: {path}: auth.cookie_secret: missing" in capsys.readouterr().err


def test_waiting_for_a_server_names_why_it_never_answered(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/_stcore/health"
    log = tmp_path / "server.log"
    log.write_text("Traceback: the port is taken\n", encoding="utf-8")
    died = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    died.wait()
    with pytest.raises(ServerError, match=r"exited with status 3(.|\n)*the port is taken"):
        server.wait_until_answering(url, died, log)
    with pytest.raises(ServerError, match="did not answer within 1 s"):
        server.wait_until_answering(url, timeout=1)
