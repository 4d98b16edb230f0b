"""The map's own text: title block (title, subtitle, filter window, "as of", information cutoff), legend,
sources, north arrow.

A snapshot of the map must carry these, so they are drawn on the map rather than around it. Every panel
is built from fixed templates with :func:`.text.html` and added to a layer group that the app redraws
with the filters.
"""

from __future__ import annotations

import pandas as pd

from dashboard.mapping import styles
from dashboard.mapping.layers import LAYER_NAMES
from dashboard.mapping.strength import STRENGTH_UNITS
from dashboard.mapping.text import Html, html, join
from dashboard.wording import BASEMAP_CREDIT, source_items


def title_html(
    title: str, subtitle: str, window: str, as_of: str, summary: list[str], cutoff: str = ""
) -> Html:
    """The title block: title, subtitle, the report dates shown, the information cutoff (the latest
    publication shown) and, apart from it, when the map was made ("as of"), and the filters."""
    parts = [html("<h1>{}</h1>", title)]
    if subtitle:
        parts.append(html("<h2>{}</h2>", subtitle))
    if cutoff:
        parts.append(
            html(
                "<p><b>Reports dated:</b> {} · <b>Information cutoff:</b> {} (latest publication shown)</p>",
                window,
                cutoff,
            )
        )
        parts.append(html("<p class='dm-made'><b>As of:</b> {} (when this map was made)</p>", as_of))
    else:
        parts.append(html("<p><b>Reports dated:</b> {} · <b>As of:</b> {}</p>", window, as_of))
    if summary:
        parts.append(html("<p><b>Filters:</b> {}</p>", "; ".join(summary)))
    return join("", parts)


def _row(key: Html, label: object) -> Html:
    """One legend item: its key (a swatch, a line, a symbol) and its escaped label."""
    return html("<div class='dm-row'>{}{}</div>", key, label)


def _swatch(colour: str, opacity: float = styles.STRENGTH_OPACITY) -> Html:
    """A fill as the map draws it: the colour at the map's opacity over the land beneath."""
    return html(
        "<span class='dm-swatch' style='background:{}; border-color:{}'><i style='background:{}; opacity:{}'>"
        "</i></span>",
        styles.LAND_FOCUS,
        styles.STRENGTH_LINE,
        colour,
        opacity,
    )


def _hatch_swatch(colour: str) -> Html:
    """The hatching of a figure given for several provinces together, as the map draws it."""
    return html(
        "<span class='dm-swatch' style='background:{}; border: 1.5px dashed {}'>"
        "<i class='dm-hatch' style='--dm-hatch:{}; opacity:{}'></i></span>",
        styles.LAND_FOCUS,
        styles.STRENGTH_LINE,
        colour,
        styles.STRENGTH_OPACITY,
    )


def legend_html(
    figure_label: str,
    event_types: list[str],
    unplaced: int,
    shown_layers: set[str],
    expanded: bool = True,
    shared_figures: tuple[float, ...] = (),
) -> Html:
    """The legend: what the shading shows, the border lines, base and event symbols, location precision.

    A ``<details>`` block, open when ``expanded`` (presentation, pictures) and one click away otherwise.
    Items sit in grids so that the open legend stays short enough for a corner of the map.
    ``shared_figures``: the values of figures drawn over groups of provinces (their hatching is keyed).
    """
    from dashboard.mapping.js_symbols import symbol_svg

    parts = []
    if "provinces" in shown_layers:
        units = " or ".join(STRENGTH_UNITS)
        parts.append(html("<h3>Province shading: {} ({})</h3>", figure_label, units))
        rows = [_row(_swatch(colour), label) for label, colour in styles.strength_classes()]
        rows.append(_row(_swatch(styles.NO_FIGURE_FILL, 0.05), "no figure"))
        parts.append(html("<div class='dm-grid dm-grid-4'>{}</div>", join("", rows)))
        if shared_figures:
            parts.append(
                _row(
                    _hatch_swatch(styles.strength_colour(max(shared_figures))),
                    "hatched, dashed outline: one figure for several provinces together (labelled)",
                )
            )
    lines = []
    if "borders" in shown_layers:
        for pid, colour in styles.BORDER_COLOURS.items():
            name = {"afg-tjk-border": "Tajik–Afghan", "afg-uzb-border": "Uzbek–Afghan"}.get(pid, pid)
            line = html("<span class='dm-line' style='border-top-color:{}'></span>", colour)
            lines.append(_row(line, f"{name} border"))
    if "bases" in shown_layers:
        lines.append(_row(symbol_svg(styles.BASE_SHAPE, styles.BASE_COLOUR, 14), "201st Russian base site"))
    if lines:
        heading = {2: "Borders", 1: "Installations"}.get(len(lines), "Borders and installations")
        parts.append(html("<h3>{}</h3><div class='dm-grid'>{}</div>", heading, join("", lines)))
    if "events" in shown_layers and event_types:
        symbols = []
        for event_type in sorted(set(event_types), key=lambda t: styles.event_symbol(t)[2]):
            shape, colour, label = styles.event_symbol(event_type)
            symbols.append(_row(symbol_svg(shape, colour, 14), label))
        parts.append(html("<h3>Events</h3><div class='dm-grid'>{}</div>", join("", symbols)))
        rings = [
            _row(html("<span class='dm-dash'></span>"), "dashed circle: the area the report names"),
            _row(
                html("<span class='dm-vague-key'></span>"),
                "dashed ring: placed only by a border, country or region",
            ),
        ]
        parts.append(html("<div class='dm-rings'>{}</div>", join("", rings)))
        if unplaced:
            parts.append(
                html(
                    "<div class='dm-note'>{} event(s) name no place and are listed in the table only.</div>",
                    unplaced,
                )
            )
    template = "<details open>{}</details>" if expanded else "<details>{}</details>"
    return html(template, join("", [html("<summary><b>Legend</b></summary>"), *parts]))


def sources_html(flat: pd.DataFrame) -> Html:
    """The source line: the documents behind what is shown, then the basemap credits."""
    items = source_items(flat)
    reports = "; ".join(items) if items else "no report matches the filters"
    return html("<b>Sources:</b> {}. {}", reports, BASEMAP_CREDIT)


NORTH_ARROW_HTML = Html(
    "<svg xmlns='http://www.w3.org/2000/svg' width='22' height='30' viewBox='0 0 22 30'>"
    "<polygon points='11,2 18,26 11,21 4,26' fill='#222'/><polygon points='11,2 11,21 4,26' fill='#888'/>"
    "</svg><div>N</div>"
)

__all__ = ["LAYER_NAMES", "title_html", "legend_html", "sources_html"]
