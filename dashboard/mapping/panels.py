"""The map's own text: title block (title, subtitle, filter window, "as of"), legend, sources, north arrow.

A snapshot of the map must carry these, so they are drawn on the map rather than around it. Every panel
is built from escaped text and added to a layer group that the app redraws with the filters.
"""

from __future__ import annotations

import pandas as pd

from dashboard.mapping import styles
from dashboard.mapping.layers import LAYER_NAMES
from dashboard.mapping.strength import STRENGTH_UNITS
from dashboard.mapping.text import esc
from dashboard.wording import BASEMAP_CREDIT, source_items


def title_html(title: str, subtitle: str, window: str, as_of: str, summary: list[str]) -> str:
    """The title block."""
    html = f"<h1>{esc(title)}</h1>"
    if subtitle:
        html += f"<h2>{esc(subtitle)}</h2>"
    html += f"<p><b>Reports dated:</b> {esc(window)} · <b>As of:</b> {esc(as_of)}</p>"
    if summary:
        html += f"<p><b>Filters:</b> {esc('; '.join(summary))}</p>"
    return html


def legend_html(
    figure_label: str, event_types: list[str], unplaced: int, shown_layers: set[str], expanded: bool = True
) -> str:
    """The legend: what the shading shows, the border lines, base and event symbols, location precision.

    A ``<details>`` block, open when ``expanded`` (presentation, pictures) and one click away otherwise.
    Items sit in grids so that the open legend stays short enough for a corner of the map.
    """
    from dashboard.mapping.js_symbols import symbol_svg

    parts = []
    if "provinces" in shown_layers:
        units = " or ".join(STRENGTH_UNITS)
        parts.append(f"<h3>Province shading: {esc(figure_label)} ({esc(units)})</h3>")
        parts.append("<div class='dm-grid dm-grid-4'>")
        for label, colour in styles.strength_classes():
            parts.append(
                f"<div class='dm-row'><span class='dm-swatch' style='background:{colour}'></span>"
                f"{esc(label)}</div>"
            )
        parts.append(
            f"<div class='dm-row'><span class='dm-swatch' style='background:{styles.NO_FIGURE_FILL}'>"
            "</span>no figure</div></div>"
        )
    lines = []
    if "borders" in shown_layers:
        for pid, colour in styles.BORDER_COLOURS.items():
            name = {"afg-tjk-border": "Tajik–Afghan", "afg-uzb-border": "Uzbek–Afghan"}.get(pid, pid)
            lines.append(
                f"<div class='dm-row'><span class='dm-line' style='border-top-color:{colour}'></span>"
                f"{esc(name)} border</div>"
            )
    if "bases" in shown_layers:
        lines.append(
            f"<div class='dm-row'>{symbol_svg(styles.BASE_SHAPE, styles.BASE_COLOUR, 14)}"
            "201st Russian base site</div>"
        )
    if lines:
        heading = {2: "Borders", 1: "Installations"}.get(len(lines), "Borders and installations")
        parts.append(f"<h3>{heading}</h3><div class='dm-grid'>" + "".join(lines) + "</div>")
    if "events" in shown_layers and event_types:
        parts.append("<h3>Events</h3><div class='dm-grid'>")
        for event_type in sorted(set(event_types), key=lambda t: styles.event_symbol(t)[2]):
            shape, colour, label = styles.event_symbol(event_type)
            parts.append(f"<div class='dm-row'>{symbol_svg(shape, colour, 14)}{esc(label)}</div>")
        parts.append("</div>")
        parts.append(
            "<div class='dm-row'><span class='dm-dash'></span>dashed circle: the area the report names"
            "</div><div class='dm-row'><span class='dm-vague-key'></span>dashed ring: placed only by a "
            "border, country or region</div>"
        )
        if unplaced:
            parts.append(
                f"<div class='dm-note'>{unplaced} event(s) name no place and are listed in the "
                "table only.</div>"
            )
    state = " open" if expanded else ""
    return f"<details{state}><summary><b>Legend</b></summary>" + "".join(parts) + "</details>"


def sources_html(flat: pd.DataFrame) -> str:
    """The source line: the documents behind what is shown, then the basemap credits."""
    items = source_items(flat)
    reports = esc("; ".join(items)) if items else "no report matches the filters"
    return f"<b>Sources:</b> {reports}. {esc(BASEMAP_CREDIT)}"


NORTH_ARROW_HTML = (
    "<svg xmlns='http://www.w3.org/2000/svg' width='22' height='30' viewBox='0 0 22 30'>"
    "<polygon points='11,2 18,26 11,21 4,26' fill='#222'/><polygon points='11,2 11,21 4,26' fill='#888'/>"
    "</svg><div>N</div>"
)

__all__ = ["LAYER_NAMES", "title_html", "legend_html", "sources_html"]
