"""Start the dashboard from any folder: the ``streamlit run`` command line with the project's settings.

Streamlit reads ``.streamlit/config.toml`` only from the folder it is started in, so an installed
dashboard started elsewhere would run with Streamlit's defaults (usage statistics on, error details
shown, any ``Host`` header accepted, the table download that does not neutralise formulas).
``SETTINGS`` mirrors that file and every setting is passed as a command-line flag; a test keeps the two
in step. The data folders reach the app through the environment (``DASHBOARD_DATA_DIR``,
``DASHBOARD_SEEDS_DIR``). Sign-in is configured in a secrets file (``--secrets``, passed to Streamlit as
``secrets.files``, checked here before anything starts: see ``dashboard.access``). Without sign-in, an
address other than loopback is refused unless the caller says, by name, that an unauthenticated server
on the network is what they want.

Nothing here imports Streamlit: it builds a command line and runs it.
"""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dashboard.access import NETWORK_ENV, AccessError, AccessSettings, read_settings

#: The Streamlit entry point inside the installed package.
APP_PATH = Path(__file__).resolve().parent / "app.py"
DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"
SEEDS_DIR_ENV = "DASHBOARD_SEEDS_DIR"
#: The command-line flag that lets the server listen beyond this machine.
NETWORK_FLAG = "--allow-unauthenticated-network"

#: The settings of ``.streamlit/config.toml`` (section.option -> value), except ``server.address``,
#: which comes from the options; list values become one flag per item.
SETTINGS: dict[str, object] = {
    "server.enableStaticServing": True,  # the offline Leaflet files under dashboard/static/
    "server.allowedHosts": ["localhost", "127.0.0.1"],  # guards against DNS rebinding
    "server.headless": True,
    "server.fileWatcherType": "none",  # a server runs the code it started with (performance.md)
    "server.maxCacheDataSize": "256mb",  # st.cache_data's ceiling over all sessions (LRU beyond it)
    "global.disableWidgetStateDuplicationWarning": True,  # closed tabs' widgets restored (ui.page)
    "browser.gatherUsageStats": False,
    "client.showErrorDetails": "none",
    "client.disableDataExport": True,  # the built-in download does not neutralise formula cells
    "client.toolbarMode": "minimal",
    "runner.magicEnabled": False,
    "runner.postScriptGC": False,  # a full collection after every run held the server (performance.md)
    "theme.base": "light",
}


class ServerError(ValueError):
    """The server cannot start as asked; the message says why and what to do."""


def wait_until_answering(
    url: str, process: subprocess.Popen | None = None, log: Path | None = None, timeout: float = 120.0
) -> None:
    """Wait until ``url`` answers 200 (a server's ``/_stcore/health``, say): a wait for start-up, not a
    measurement. ``ServerError`` when ``process`` exits first or ``timeout`` seconds pass, with the end
    of ``log`` when one is given."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServerError(f"{url}: the server exited with status {process.returncode}{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise ServerError(f"{url} did not answer within {timeout:.0f} s{_tail(log)}")


def _tail(log: Path | None) -> str:
    if log is None or not log.is_file():
        return ""
    return f"; the end of {log}:\n{log.read_text(errors='replace')[-2000:]}"


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: address and port, data folders, the secrets file that configures sign-in, and the
    explicit consent to leave loopback without it."""

    port: int = DEFAULT_PORT
    address: str = DEFAULT_ADDRESS
    data: Path | None = None
    seeds: Path | None = None
    allow_unauthenticated_network: bool = False
    allowed_hosts: tuple[str, ...] = ()  # more Host names browsers use to reach the server
    secrets: Path | None = None  # Streamlit's secrets.toml with [auth] (sign-in) and [dashboard.roles]


def is_loopback(address: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (127.0.0.0/8, ::1); host names count as not."""
    if address.strip().casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name may resolve to any interface


def access_settings(options: ServeOptions) -> AccessSettings:
    """The sign-in settings of ``options.secrets`` (none given: no sign-in); ``ServerError`` when the
    file is missing, not TOML, or configures sign-in or roles badly (the message names file and key)."""
    if options.secrets is None:
        return AccessSettings()
    path = Path(options.secrets)
    if path.suffix != ".toml":
        raise ServerError(f"secrets: {path}: Streamlit reads secrets from a .toml file")
    try:
        parsed = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ServerError(f"secrets: {path}: cannot be read ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ServerError(f"secrets: {path}: not valid TOML: {exc}") from exc
    try:
        return read_settings(parsed, source=str(path))
    except AccessError as exc:
        raise ServerError(f"secrets: {exc}") from exc


def check_options(options: ServeOptions) -> None:
    """Raise ``ServerError`` when the options cannot be served (a bad port, a bad secrets file,
    network without sign-in or consent)."""
    if not 1 <= options.port <= 65535:
        raise ServerError(f"port: {options.port} is not between 1 and 65535")
    if not options.address.strip():
        raise ServerError("address: give an IP address or host name")
    signing_in = access_settings(options).sign_in
    if not is_loopback(options.address) and not signing_in and not options.allow_unauthenticated_network:
        where = (
            f"{options.secrets} has no [auth] section"
            if options.secrets is not None
            else "no sign-in is configured (--secrets FILE with an [auth] section)"
        )
        raise ServerError(
            f"address: refusing to listen on {options.address}: {where}, so anyone who can reach this "
            f"address could read and change the data. Configure sign-in, use the default {DEFAULT_ADDRESS} "
            f"behind a reverse proxy that authenticates, or pass {NETWORK_FLAG} if an open server is really "
            "what you want."
        )
    for folder, name in ((options.data, "data"), (options.seeds, "seeds")):
        if folder is not None and not Path(folder).is_dir():
            raise ServerError(f"{name}: folder {folder} does not exist")


def _allowed_hosts(options: ServeOptions) -> list[str]:
    hosts = [*SETTINGS["server.allowedHosts"], *options.allowed_hosts]  # type: ignore[misc]
    redirect = access_settings(options).redirect_uri
    if redirect and urlsplit(redirect).hostname:  # the sign-in returns the browser to this name
        hosts.append(urlsplit(redirect).hostname)
    address = options.address.strip().strip("[]")
    try:
        wildcard = ipaddress.ip_address(address).is_unspecified
    except ValueError:
        wildcard = False
    if not wildcard:  # a browser reaching a specific address sends it as the Host
        hosts.append(address)
    return list(dict.fromkeys(hosts))


def _flag_value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def streamlit_flags(options: ServeOptions) -> list[str]:
    """The ``--section.option=value`` flags: the project's settings, the address, the port, and the
    secrets file when one is given (then the only one Streamlit reads)."""
    flags = [f"--server.address={options.address}", f"--server.port={options.port}"]
    if options.secrets is not None:
        flags.append(f"--secrets.files={Path(options.secrets).resolve()}")
    for key, value in SETTINGS.items():
        values = _allowed_hosts(options) if key == "server.allowedHosts" else value
        for item in values if isinstance(values, list) else [values]:
            flags.append(f"--{key}={_flag_value(item)}")
    return flags


def build_command(options: ServeOptions, python: str | None = None) -> list[str]:
    """``python -m streamlit run <installed dashboard/app.py> <flags>`` (``python``: this interpreter)."""
    return [python or sys.executable, "-m", "streamlit", "run", str(APP_PATH), *streamlit_flags(options)]


def build_environment(options: ServeOptions, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with the data folders set, as absolute paths, and
    ``NETWORK_ENV`` set exactly when the network flag is given (the app checks it too)."""
    env = dict(os.environ if base is None else base)
    env.pop(NETWORK_ENV, None)  # consent is given by the flag, not inherited
    if options.allow_unauthenticated_network:
        env[NETWORK_ENV] = "1"
    if options.data is not None:
        env[DATA_DIR_ENV] = str(Path(options.data).resolve())
    if options.seeds is not None:
        env[SEEDS_DIR_ENV] = str(Path(options.seeds).resolve())
    return env


def url(options: ServeOptions) -> str:
    """The address to open in a browser."""
    host = options.address
    try:
        if ipaddress.ip_address(host.strip("[]")).version == 6:
            host = f"[{host.strip('[]')}]"
    except ValueError:
        pass
    return f"http://{host}:{options.port}"


def start(options: ServeOptions, **popen: object) -> subprocess.Popen:
    """Check the options and start the server as a child process; ``popen`` goes to ``Popen``."""
    check_options(options)
    return subprocess.Popen(build_command(options), env=build_environment(options), **popen)


def serve(options: ServeOptions) -> int:
    """Become the server: this process is replaced by Streamlit's (it never returns on success).

    Replacing rather than starting a child means that whoever started ``serve`` (a terminal, a service
    manager, a test) holds the server itself: a signal stops it, and no orphan is left behind.
    """
    check_options(options)
    command = build_command(options)
    os.execve(command[0], command, build_environment(options))
    return 1  # not reached: execve only returns by raising
