"""Text that reaches the map's HTML: escaping.

Article text is untrusted. Leaflet sets tooltips, popups and DivIcon labels through ``innerHTML``, and
folium's own templates evaluate ``${...}`` in some paths, so every string from the data goes through
:func:`esc`, which escapes HTML and also ``$``, ``{``, ``}`` and backticks. Markup is only ever built
here, around escaped text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

from dashboard.values import blank

_EXTRA = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"})




def esc(value: object) -> str:
    """Escape any value for HTML text or attribute content, template syntax included."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).translate(_EXTRA)


def join_escaped(values: Iterable[object], sep: str = ", ") -> str:
    """Escape each value and join them, skipping blanks and repeats."""
    seen: list[str] = []
    for value in values:
        if not blank(value) and str(value) not in seen:
            seen.append(str(value))
    return sep.join(esc(v) for v in seen)
