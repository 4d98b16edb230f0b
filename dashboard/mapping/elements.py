"""Folium elements that call the project's map helpers (``dashboard/static/dashboard-map.js``).

Each element renders one line of JavaScript: ``DashMap.<factory>(<JSON>, <JSON>).addTo(<parent>)``.
The data goes through Jinja's ``tojson`` filter, which escapes ``<``, ``>``, ``&`` and ``'`` so that no
string can close the script; the strings inside are already HTML-escaped by :mod:`.text`.
"""

from __future__ import annotations

from typing import Any

from branca.element import MacroElement
from folium.template import Template


class JsLayer(MacroElement):
    """A Leaflet layer made by ``DashMap.<factory>(data, options)`` and added to its parent."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = DashMap.{{ this.factory }}(
            {{ this.data|tojson }}, {{ this.options|tojson }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self, factory: str, data: Any, options: dict[str, Any] | None = None, name: str = "js_layer"
    ):
        super().__init__()
        if not factory.isidentifier():
            raise ValueError(f"not a DashMap factory name: {factory!r}")
        self._name = name
        self.factory = factory
        self.data = data
        self.options = options or {}


class Panel(JsLayer):
    """A block of HTML (built from escaped text only) pinned to a corner of the map."""

    def __init__(self, html: str, position: str = "topright", class_name: str = "", **options: Any):
        super().__init__(
            "panel", html, {"position": position, "className": class_name, **options}, name="panel"
        )


class MapSetup(MacroElement):
    """Map-wide settings that must run as script (a header ``<script>`` never runs inside st_folium)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {% if this.image_path %}L.Icon.Default.imagePath = {{ this.image_path|tojson }};{% endif %}
        {{ this._parent.get_name() }}.getContainer().style.background = {{ this.background|tojson }};
        {# With no tile layer Leaflet has no zoom limits, and MarkerCluster refuses a map without maxZoom. #}
        {{ this._parent.get_name() }}.setMinZoom({{ this.min_zoom }});
        {{ this._parent.get_name() }}.setMaxZoom({{ this.max_zoom }});
        {# Place names above the symbols (which would hide a town's name), below tooltips and popups. #}
        (function (map) {
            var pane = map.createPane("dmLabels");
            pane.style.zIndex = 620;
            pane.style.pointerEvents = "none";
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, background: str, image_path: str | None = None, min_zoom: int = 1, max_zoom: int = 18):
        super().__init__()
        self.min_zoom = int(min_zoom)
        self.max_zoom = int(max_zoom)
        self._name = "map_setup"
        self.background = background
        self.image_path = image_path
