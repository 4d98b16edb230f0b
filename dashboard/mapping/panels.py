"""The map's own text: title block (title, subtitle, filter window, "as of"), legend, sources, north arrow.

A snapshot of the map must carry these, so they are drawn on the map rather than around it. Every panel
is built from escaped text and added to a layer group that the app redraws with the filters.
"""

from __future__ import annotations

from dataclasses import fields

import pandas as pd

from dashboard.mapping import styles
from dashboard.mapping.layers import LAYER_NAMES
from dashboard.mapping.strength import STRENGTH_UNITS
from dashboard.mapping.text import esc, format_date
from dashboard.model import Dataset, Filters

FILTER_LABELS = {
    "province": "Province",
    "document": "Document",
    "outlet": "Outlet",
    "relayed_by": "Relayed by",
    "claimant": "Claimant",
    "affiliation": "Affiliation",
    "group": "Group",
    "type": "Type",
}

BASEMAP_CREDIT = "Basemap: Natural Earth (public domain). Places: GeoNames (CC BY 4.0)."


def filter_window(filters: Filters, flat_all: pd.DataFrame) -> str:
    """ "May 2023 – June 2024", the data's own span where the filter leaves an end open."""
    dates = sorted(d for d in flat_all["date"] if isinstance(d, str) and d)
    start = filters.start or (dates[0] if dates else None)
    end = filters.end or (dates[-1] if dates else None)
    if not start and not end:
        return "all dates"
    return f"{format_date(start) if start else '…'} – {format_date(end) if end else '…'}"


def filter_summary(filters: Filters, ds: Dataset) -> list[str]:
    """One plain-text line per restricting filter other than dates, with names instead of ids."""
    names = {}
    for frame in (ds.actors, ds.groups, ds.places):
        names.update(dict(zip(frame["id"], frame["name"], strict=True)))
    names.update(dict(zip(ds.documents["id"], ds.documents["title"], strict=True)))
    names.update(dict(zip(ds.documents["file"], ds.documents["title"], strict=True)))
    lines = []
    for f in fields(filters):
        values = getattr(filters, f.name)
        if f.name in ("start", "end") or not values:
            continue
        shown = [names.get(v, str(v).replace("_", " ")) for v in values]
        lines.append(f"{FILTER_LABELS.get(f.name, f.name)}: {', '.join(shown)}")
    return lines


def title_html(title: str, subtitle: str, window: str, as_of: str, summary: list[str]) -> str:
    """The title block."""
    html = f"<h1>{esc(title)}</h1>"
    if subtitle:
        html += f"<h2>{esc(subtitle)}</h2>"
    html += f"<p><b>Reports dated:</b> {esc(window)} · <b>As of:</b> {esc(as_of)}</p>"
    if summary:
        html += f"<p><b>Filters:</b> {esc('; '.join(summary))}</p>"
    return html


def legend_html(figure_label: str, event_types: list[str], unplaced: int, shown_layers: set[str]) -> str:
    """The legend: what the shading shows, the border lines, base and event symbols, location precision."""
    from dashboard.mapping.js_symbols import symbol_svg

    parts = []
    if "provinces" in shown_layers:
        units = " or ".join(STRENGTH_UNITS)
        parts.append(f"<h3>Province shading: {esc(figure_label)} ({esc(units)})</h3>")
        parts.append("<div class='dm-grid'>")
        for label, colour in styles.strength_classes():
            parts.append(
                f"<div class='dm-row'><span class='dm-swatch' style='background:{colour}'></span>"
                f"{esc(label)}</div>"
            )
        parts.append(
            f"<div class='dm-row'><span class='dm-swatch' style='background:{styles.NO_FIGURE_FILL}'>"
            "</span>no figure</div></div>"
        )
    if "borders" in shown_layers:
        parts.append("<h3>Borders</h3>")
        for pid, colour in styles.BORDER_COLOURS.items():
            name = {"afg-tjk-border": "Tajik–Afghan", "afg-uzb-border": "Uzbek–Afghan"}.get(pid, pid)
            parts.append(
                f"<div class='dm-row'><span class='dm-line' style='border-top-color:{colour}'></span>"
                f"{esc(name)} border</div>"
            )
    if "bases" in shown_layers:
        parts.append(
            "<h3>Installations</h3><div class='dm-row'>"
            f"{symbol_svg(styles.BASE_SHAPE, styles.BASE_COLOUR, 14)}201st Russian base site</div>"
        )
    if "events" in shown_layers and event_types:
        parts.append("<h3>Events</h3><div class='dm-grid'>")
        for event_type in sorted(set(event_types), key=lambda t: styles.event_symbol(t)[2]):
            shape, colour, label = styles.event_symbol(event_type)
            parts.append(f"<div class='dm-row'>{symbol_svg(shape, colour, 14)}{esc(label)}</div>")
        parts.append("</div>")
        parts.append(
            "<div class='dm-row'><span class='dm-dash'></span>dashed circle: the area within which the "
            "report places it</div><div class='dm-row'><span class='dm-vague-key'></span>dashed ring: placed "
            "only by a border, country or region</div>"
        )
        if unplaced:
            parts.append(
                f"<div class='dm-note'>{unplaced} event(s) name no place and are listed in the "
                "table only.</div>"
            )
    return "<details open><summary><b>Legend</b></summary>" + "".join(parts) + "</details>"


def sources_html(flat: pd.DataFrame) -> str:
    """The source line: basemap credits, then the documents behind what is shown."""
    docs = flat.drop_duplicates("document")[["outlet", "published", "published_precision"]]
    items = [
        f"{esc(r.outlet)} ({esc(format_date(r.published, r.published_precision))})"
        for r in docs.sort_values("published").itertuples()
    ]
    reports = "; ".join(items) if items else "no report matches the filters"
    return f"<b>Sources:</b> {reports}. {esc(BASEMAP_CREDIT)}"


NORTH_ARROW_HTML = (
    "<svg xmlns='http://www.w3.org/2000/svg' width='22' height='30' viewBox='0 0 22 30'>"
    "<polygon points='11,2 18,26 11,21 4,26' fill='#222'/><polygon points='11,2 11,21 4,26' fill='#888'/>"
    "</svg><div>N</div>"
)

__all__ = ["LAYER_NAMES", "filter_window", "filter_summary", "title_html", "legend_html", "sources_html"]
