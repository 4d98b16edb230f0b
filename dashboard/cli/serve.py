"""``serve``: start the dashboard in a browser-ready server, from any folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard import server
from dashboard.cli.options import HelpFormatter, error

DESCRIPTION = f"""\
Start the dashboard (a Streamlit server) with the project's settings, whatever folder you are in:
static files served, usage statistics off, error details hidden, the built-in table download off.
It listens on {server.DEFAULT_ADDRESS} (this machine only). With --secrets FILE (a Streamlit
secrets.toml with an [auth] section) people sign in and get a role, viewer or curator, and it may
listen on any address. Without sign-in any other address is refused unless {server.NETWORK_FLAG}
is given. Stop it with Ctrl-C.
"""

EPILOG = f"""\
examples:
  afghan-border-dashboard serve
  afghan-border-dashboard serve --port 8600 --data ~/work/geodata --seeds ~/work/seeds
  afghan-border-dashboard serve --address 0.0.0.0 --secrets /etc/dashboard/secrets.toml
  afghan-border-dashboard serve --address 0.0.0.0 {server.NETWORK_FLAG} --allowed-host maps.example.org
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` command."""
    parser = subparsers.add_parser(
        "serve",
        help="start the dashboard on http://127.0.0.1:8501 (this machine only, by default)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--port",
        type=int,
        default=server.DEFAULT_PORT,
        help=f"port to listen on (default: {server.DEFAULT_PORT})",
    )
    parser.add_argument(
        "--address",
        default=server.DEFAULT_ADDRESS,
        help=f"address to listen on (default: {server.DEFAULT_ADDRESS}, this machine only)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="data folder the dashboard shows (default: the bundled geodata/)",
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        metavar="DIR",
        help="folder with the source documents (default: seeds/ beside --data)",
    )
    parser.add_argument(
        "--secrets",
        type=Path,
        metavar="FILE",
        help="Streamlit secrets file with [auth] (sign-in) and [dashboard.roles]; the only one read",
    )
    parser.add_argument(
        server.NETWORK_FLAG,
        action="store_true",
        help="listen on an address other than loopback although nobody has to sign in",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another host name browsers use to reach the server; repeat for several",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check the options, then run the server until it stops."""
    from dashboard.assets import AssetError, ensure_assets

    options = server.ServeOptions(
        port=args.port,
        address=args.address,
        data=args.data,
        seeds=args.seeds,
        allow_unauthenticated_network=args.allow_unauthenticated_network,
        allowed_hosts=tuple(args.allowed_host),
        secrets=args.secrets,
    )
    try:
        server.check_options(options)
    except server.ServerError as exc:
        error(str(exc))
        return 2
    try:
        ensure_assets()  # served from the first request on, not only once the page has run
    except AssetError as exc:
        error(f"the map's offline files could not be provided: {exc}")
        return 1
    signing_in = "sign-in required" if server.access_settings(options).sign_in else "no sign-in"
    print(f"serving the dashboard on {server.url(options)}, {signing_in} (Ctrl-C stops it)", flush=True)
    return server.serve(options)
