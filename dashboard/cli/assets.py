"""``assets``: copy the map's JavaScript and CSS from their Python packages into dashboard/static."""

from __future__ import annotations

import argparse

from dashboard import assets
from dashboard.cli.options import HelpFormatter

DESCRIPTION = """\
Copy Leaflet, jQuery and MarkerCluster from their Python packages into dashboard/static/vendor/,
where the dashboard serves them, so that the map draws with no internet. Run it once after
installing (make run does it); files already up to date are left alone.
"""

EPILOG = """\
examples:
  afghan-border-dashboard assets
  afghan-border-dashboard assets --check    # exit 1 if a file is missing
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``assets`` command."""
    parser = subparsers.add_parser(
        "assets",
        help="copy the map's JavaScript/CSS into dashboard/static/vendor (served by the app, offline)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--force", action="store_true", help="copy even files that are already up to date")
    parser.add_argument("--check", action="store_true", help="only report missing files; exit 1 if any")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Copy (or check) the assets; print what changed."""
    if args.check:
        missing = assets.missing_assets()
        for rel in missing:
            print(f"missing: {assets.STATIC_DIR / rel}")
        return 1 if missing else 0
    written = assets.install_assets(force=args.force)
    missing = assets.missing_assets()
    print(f"{len(written)} file(s) copied into {assets.STATIC_DIR / assets.VENDOR}")
    for rel in missing:
        print(f"still missing: {assets.STATIC_DIR / rel}")
    return 1 if missing else 0
