"""The map's own text: title block (title, subtitle, filter window, "as of"), legend, sources, north arrow.

A snapshot of the map must carry these, so they are drawn on the map rather than around it. Every panel
is built from escaped text and added to a layer group that the app redraws with the filters.
"""

from __future__ import annotations

from dataclasses import fields

import pandas as pd

from dashboard.dates import parse_partial
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


def data_span(flat_all: pd.DataFrame) -> tuple[str | None, str | None]:
    """The earliest start and the latest end of the reports' dates, ``date_end`` included.

    Partial dates compare by the days they cover: "2029" ends after "2029-06", "1992-05-15" starts after
    "1992-05". Values that do not parse are left out here (the validator reports them).
    """
    firsts, lasts = [], []
    columns = [c for c in ("date", "date_end") if c in flat_all.columns]
    for column in columns:
        for text in pd.unique(flat_all[column]):  # a few distinct dates among thousands of rows
            if not isinstance(text, str) or not text.strip():
                continue
            try:
                parsed = parse_partial(text.strip())
            except ValueError:
                continue
            firsts.append((parsed.first, parsed.text))
            lasts.append((parsed.last, parsed.text))
    return (min(firsts)[1] if firsts else None, max(lasts)[1] if lasts else None)


def filter_window(filters: Filters, flat_all: pd.DataFrame) -> str:
    """The dates the map shows: "May 2023 – June 2024", or "all (15 May 1992 – 2029)" with no date filter.

    An end the filter leaves open is the data's own (the latest ``date`` or ``date_end``).
    """
    first, last = data_span(flat_all)
    if not filters.start and not filters.end:
        if not first:
            return "all"
        return f"all ({format_date(first)} – {format_date(last)})"
    start = filters.start or first
    end = filters.end or last
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
