"""The offline Folium map: base map, filtered layers, legend, title and sources.

Use :func:`build_map_parts` in the app and :func:`build_standalone_map` for a page that stands alone.
"""

from dashboard.mapping.builder import (
    DEFAULT_SUBTITLE,
    DEFAULT_TITLE,
    MapOptions,
    MapParts,
    build_base,
    build_layers,
    build_map_parts,
    build_standalone_map,
    render_html,
)

__all__ = [
    "DEFAULT_SUBTITLE",
    "DEFAULT_TITLE",
    "MapOptions",
    "MapParts",
    "build_base",
    "build_layers",
    "build_map_parts",
    "build_standalone_map",
    "render_html",
]
