"""The event and base symbols as inline SVG, the same shapes ``dashboard-map.js`` draws on the map."""

from __future__ import annotations

import re

from dashboard.mapping.text import Html, html

SHAPES = {
    "circle": '<circle cx="12" cy="12" r="8"/>',
    "square": '<rect x="4.5" y="4.5" width="15" height="15"/>',
    "triangle": '<polygon points="12,3 21,20 3,20"/>',
    "triangle-down": '<polygon points="3,4 21,4 12,21"/>',
    "diamond": '<polygon points="12,2 22,12 12,22 2,12"/>',
    "star": '<polygon points="12,2 14.9,8.6 22,9.3 16.6,14 18.2,21 12,17.3 5.8,21 7.4,14 2,9.3 9.1,8.6"/>',
    "hexagon": '<polygon points="12,2.5 20.5,7.3 20.5,16.7 12,21.5 3.5,16.7 3.5,7.3"/>',
    "pentagon": '<polygon points="12,2.5 21.5,9.4 17.9,20.5 6.1,20.5 2.5,9.4"/>',
    "cross": '<polygon points="9,3 15,3 15,9 21,9 21,15 15,15 15,21 9,21 9,15 3,15 3,9 9,9"/>',
}
_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}")


def symbol_svg(shape: str, colour: str, size: int) -> Html:
    """An inline SVG of ``shape`` filled with ``colour`` (only a hex colour is accepted)."""
    fill = colour if _COLOUR.fullmatch(colour) else "#444444"
    body = Html(SHAPES.get(shape, SHAPES["circle"]))  # fixed markup above
    return html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="{}" '
        'height="{}"><g fill="{}" stroke="#ffffff" stroke-width="1.6">{}</g></svg>',
        int(size),
        int(size),
        fill,
        body,
    )
