"""Folium elements that call the project's map helpers (``dashboard/static/dashboard-map.js``).

Each element renders one line of JavaScript: ``DashMap.<factory>(<JSON>, <JSON>).addTo(<parent>)``.
The data goes through Jinja's ``tojson`` filter, which escapes ``<``, ``>``, ``&`` and ``'`` so that no
string can close the script. The browser puts some strings into ``innerHTML`` (features' ``tooltip``,
``popup``, ``html`` and ``entry``, the events' text tables, a panel's content): those must be
:class:`.text.Html`, and an element given a plain string for them raises ``TypeError``.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, Figure, MacroElement
from folium.template import Template

from dashboard.mapping.text import Html, require_html

#: Feature properties that ``dashboard-map.js`` hands to Leaflet as HTML.
HTML_PROPERTIES = ("tooltip", "popup", "html", "entry")


def check_html(data: Any, options: dict[str, Any], name: str) -> None:
    """Raise ``TypeError`` when a string the browser treats as HTML is not :class:`.text.Html`."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        for number, feature in enumerate(data.get("features", [])):
            properties = feature.get("properties") or {}
            for key in HTML_PROPERTIES:
                if key in properties:
                    require_html(properties[key], f"{name}: feature {number} {key!r}")
    text = options.get("text")
    if isinstance(text, dict):
        for table, item in (("strings", "string"), ("entries", "entry")):
            for number, string in enumerate(text.get(table, [])):
                require_html(string, f"{name}: text {item} {number}")


class RenderedScript(Element):
    """Script text already rendered, given to the page as it is.

    branca adds each element's rendered script to the page as a new template, so that the text is
    parsed by Jinja a second time: for a layer of outlines and popups that second parse cost more than
    making the layer, and it would read any template syntax left in the text.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


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
        check_html(data, options or {}, name)
        self.factory = factory
        self.data = data
        self.options = options or {}

    def render(self, **kwargs: Any) -> None:
        """As ``MacroElement.render`` for a template with only a ``script`` macro, without parsing the
        rendered script again (:class:`RenderedScript`)."""
        figure = self.get_root()
        assert isinstance(figure, Figure), "the layer must be added to a map before it is rendered"
        script = self._template.module.__dict__["script"](self, kwargs)
        figure.script.add_child(RenderedScript(script), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class Panel(JsLayer):
    """A block of :class:`.text.Html` pinned to a corner of the map."""

    def __init__(self, html: Html, position: str = "topright", class_name: str = "", **options: Any):
        require_html(html, f"panel {class_name!r}")
        super().__init__(
            "panel", html, {"position": position, "className": class_name, **options}, name="panel"
        )


class MapSetup(MacroElement):
    """Map-wide settings that must run as script (a header ``<script>`` never runs inside st_folium).

    ``setup`` goes to ``DashMap.setup`` (``dashboard-map.js``): the basemap's extent, type scaling and
    the points to frame (see :mod:`.presentation`); it holds numbers and booleans only.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {% if this.image_path %}L.Icon.Default.imagePath = {{ this.image_path|tojson }};{% endif %}
        {{ this._parent.get_name() }}.getContainer().style.background = {{ this.background|tojson }};
        {# With no tile layer Leaflet has no zoom limits, and MarkerCluster refuses a map without maxZoom. #}
        {{ this._parent.get_name() }}.setMinZoom({{ this.min_zoom }});
        {{ this._parent.get_name() }}.setMaxZoom({{ this.max_zoom }});
        {# Panes for place names (above symbols) and boxed labels, hooks, extent, type scale, framing. #}
        window.__dmMap = {{ this._parent.get_name() }};
        if (window.DashMap && DashMap.setup) {
            DashMap.setup({{ this._parent.get_name() }}, {{ this.setup|tojson }});
        }
        {% endmacro %}
        """
    )

    def __init__(
        self,
        background: str,
        image_path: str | None = None,
        min_zoom: int = 1,
        max_zoom: int = 18,
        setup: dict[str, Any] | None = None,
    ):
        super().__init__()
        self.min_zoom = int(min_zoom)
        self.max_zoom = int(max_zoom)
        self._name = "map_setup"
        self.background = background
        self.image_path = image_path
        self.setup = setup or {}
