"""Leaflet and friends, served by the app itself or inlined into a standalone page.

A default folium map loads Leaflet, jQuery, Bootstrap and awesome-markers from CDNs, which renders nothing
without internet. The map here needs only Leaflet, jQuery (folium's popups call ``$``), MarkerCluster and
the project's own ``dashboard-map.js``/``.css``. The third-party files come from the xstatic PyPI
packages and are copied into ``dashboard/static/vendor/`` (kept out of git; the app does it at start
with :func:`ensure_assets`), which Streamlit serves at ``/app/static/`` beside the entry script. A
standalone HTML export gets the same files as ``data:`` URIs, read from the packages themselves.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR = "vendor"

#: URL under which Streamlit serves ``dashboard/static/`` (``[server] enableStaticServing``).
SERVED_PREFIX = "/app/static"


@dataclass(frozen=True)
class Asset:
    """One file the map needs: its role, and where it lives under ``static/``."""

    name: str  # folium's link name where folium has one, else ours
    kind: str  # "js" or "css"
    path: str  # relative to static/
    package: str | None = None  # xstatic module the vendor copy comes from
    source: str | None = None  # file inside that package's BASE_DIR


#: In load order. Leaflet first: jQuery and MarkerCluster do not need it, but our own script does.
ASSETS: tuple[Asset, ...] = (
    Asset("leaflet", "js", "vendor/leaflet/leaflet.js", "xstatic.pkg.leaflet", "leaflet.js"),
    Asset("jquery", "js", "vendor/jquery/jquery.min.js", "xstatic.pkg.jquery", "jquery.min.js"),
    Asset(
        "markerclusterjs",
        "js",
        "vendor/markercluster/leaflet.markercluster.js",
        "xstatic.pkg.leaflet_markercluster",
        "leaflet.markercluster.js",
    ),
    Asset("dashboard_map_js", "js", "dashboard-map.js"),
    Asset("leaflet_css", "css", "vendor/leaflet/leaflet.css", "xstatic.pkg.leaflet", "leaflet.css"),
    Asset(
        "markerclustercss",
        "css",
        "vendor/markercluster/MarkerCluster.css",
        "xstatic.pkg.leaflet_markercluster",
        "MarkerCluster.css",
    ),
    Asset(
        "markerclusterdefaultcss",
        "css",
        "vendor/markercluster/MarkerCluster.Default.css",
        "xstatic.pkg.leaflet_markercluster",
        "MarkerCluster.Default.css",
    ),
    Asset("dashboard_map_css", "css", "dashboard-map.css"),
)

#: Images leaflet.css refers to (layer-control toggle, default marker icons), copied beside it.
LEAFLET_IMAGES = ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")


class AssetError(RuntimeError):
    """A map asset is missing: a package is not installed or its files cannot be copied."""


def _package_dir(module: str) -> Path:
    try:
        mod = __import__(module, fromlist=["BASE_DIR"])
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise AssetError(f"Python package {module!r} is not installed (pip install -e .)") from exc
    return Path(mod.BASE_DIR)


def _vendor_files() -> list[tuple[Path, str]]:
    """(source file, destination relative to static/) for every third-party file."""
    files = [(_package_dir(a.package) / a.source, a.path) for a in ASSETS if a.package]
    leaflet = _package_dir("xstatic.pkg.leaflet")
    files += [(leaflet / "images" / name, f"vendor/leaflet/images/{name}") for name in LEAFLET_IMAGES]
    return files


def _copy(src: Path, dest: Path) -> None:
    """Copy through a temporary file, so a page loading meanwhile never gets half a file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    try:
        shutil.copyfile(src, partial)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)


def install_assets(static_dir: Path = STATIC_DIR, force: bool = False) -> list[Path]:
    """Copy the third-party files into ``static_dir/vendor``; return the files written.

    Files are copied, not linked: Streamlit refuses a symlink that points outside ``static/``.
    An existing copy with the same size and content is left alone unless ``force`` is set.
    """
    written: list[Path] = []
    for src, rel in _vendor_files():
        if not src.is_file():
            raise AssetError(f"{src} is missing from its package")
        dest = static_dir / rel
        if not force and dest.is_file() and dest.read_bytes() == src.read_bytes():
            continue
        _copy(src, dest)
        written.append(dest)
    return written


def ensure_assets(static_dir: Path = STATIC_DIR) -> list[Path]:
    """Copy the served map's files when any is missing; return the files written.

    Called at every app start, so a fresh checkout needs no separate step; when every file is there
    (always, in an installed wheel, which carries them) this only looks for them. Copies already there
    are left as they are: ``python -m dashboard assets`` refreshes them after an upgrade. Raises
    ``AssetError`` naming the folder when a copy cannot be written there.
    """
    if not missing_assets(static_dir):
        return []
    try:
        written = install_assets(static_dir)
    except OSError as exc:
        reason = exc.strerror or exc
        raise AssetError(
            f"The map's JavaScript files cannot be copied into {static_dir / VENDOR} ({reason}): run"
            " `python -m dashboard assets` once as a user who can write there."
        ) from exc
    missing = missing_assets(static_dir)
    if missing:
        raise AssetError(f"The map's files are missing from {static_dir}: {', '.join(missing)}")
    return written


def missing_assets(static_dir: Path = STATIC_DIR) -> list[str]:
    """Paths (relative to ``static_dir``) the served map needs but cannot find."""
    needed = [a.path for a in ASSETS] + [f"vendor/leaflet/images/{n}" for n in LEAFLET_IMAGES]
    return [rel for rel in needed if not (static_dir / rel).is_file()]


@dataclass(frozen=True)
class AssetLinks:
    """``(name, url)`` pairs in folium's ``default_js``/``default_css`` form."""

    js: tuple[tuple[str, str], ...]
    css: tuple[tuple[str, str], ...]

    def url(self, name: str) -> str:
        """The URL of the asset called ``name``."""
        for link_name, url in self.js + self.css:
            if link_name == name:
                return url
        raise KeyError(name)


def served_links(prefix: str = SERVED_PREFIX) -> AssetLinks:
    """Links to the copies Streamlit serves (same origin as the app)."""
    prefix = prefix.rstrip("/")
    return AssetLinks(
        js=tuple((a.name, f"{prefix}/{a.path}") for a in ASSETS if a.kind == "js"),
        css=tuple((a.name, f"{prefix}/{a.path}") for a in ASSETS if a.kind == "css"),
    )


def _source_path(asset: Asset) -> Path:
    """Read vendor files from their package (always present) and ours from static/."""
    if asset.package:
        return _package_dir(asset.package) / asset.source
    return STATIC_DIR / asset.path


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


#: ``url(...)`` references to files; ``data:`` URIs and ``#fragment`` (an old IE behaviour) stay as they are.
_CSS_URL = re.compile(r"url\(\s*['\"]?(?!data:|#)([^'\")]+)['\"]?\s*\)")


def _inline_css(asset: Asset) -> str:
    """The stylesheet as a data URI, with the images it refers to inlined too."""
    path = _source_path(asset)
    text = path.read_text(encoding="utf-8")

    def embed(match: re.Match[str]) -> str:
        image = (path.parent / match.group(1)).resolve()
        if not image.is_file():
            raise AssetError(f"{path.name} refers to {match.group(1)}, which is missing")
        mime = mimetypes.guess_type(image.name)[0] or "application/octet-stream"
        return f"url({_data_uri(image.read_bytes(), mime)})"

    return _data_uri(_CSS_URL.sub(embed, text).encode("utf-8"), "text/css")


@cache
def inline_links() -> AssetLinks:
    """The same files as ``data:`` URIs, for a page that must open from disk with no network (~1 MB)."""
    js = tuple(
        (a.name, _data_uri(_source_path(a).read_bytes(), "text/javascript")) for a in ASSETS if a.kind == "js"
    )
    css = tuple((a.name, _inline_css(a)) for a in ASSETS if a.kind == "css")
    return AssetLinks(js=js, css=css)
