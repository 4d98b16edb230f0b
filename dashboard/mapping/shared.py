"""Figures given for several provinces together, drawn as one figure over the group.

"4,000 members in Badakhshan, Kunduz and Takhar" is one number for the three: shading each province
with it would say each holds 2,500–4,999. The group is drawn once instead: its outline (the union of
the provinces, dashed), hatched in the figure's class colour, and one label "4,000 members across
Badakhshan, Kunduz and Takhar". Neither takes a click: the provinces under them keep their own tooltip
and popup, which name the group's figure.
"""

from __future__ import annotations

import shapely

from dashboard.mapping import styles
from dashboard.mapping.geo import frame_features, geometry_ref, layer, point_feature
from dashboard.mapping.strength import GroupFigure, names_together
from dashboard.mapping.text import Html, html
from dashboard.model import Dataset
from dashboard.wording import format_date, format_figure


def figure_text(row: dict) -> str:
    """The figure as worded: "4,000 members"."""
    return format_figure(
        row["figure_low"], row["figure_best"], row["figure_high"], row["figure_qualifier"], row["unit"]
    )


def group_words(group: GroupFigure) -> str:
    """ "4,000 members across Badakhshan, Kunduz and Takhar together (Anatoly Sidorov, February 2023)"."""
    row = group.chosen
    when = format_date(row["date"], row["date_precision"], row["date_qualifier"], row["date_end"])
    who = row["claimant_name"] or "unnamed"
    return f"{figure_text(row)} across {names_together(group.province_names)} together ({who}, {when})"


def group_label(group: GroupFigure) -> Html:
    """The group's label on the map: the figure across the provinces, then who said it and when."""
    row = group.chosen
    when = format_date(row["date"], row["date_precision"], row["date_qualifier"], row["date_end"])
    return html(
        "<span><b>{}</b> across {}<br><small>one figure for the {} together · {}, {}</small></span>",
        figure_text(row),
        names_together(group.province_names),
        len(group.province_ids),
        row["claimant_name"] or "unnamed",
        when,
    )


def group_shapes(ds: Dataset, groups: list[GroupFigure]) -> list[tuple[GroupFigure, object]]:
    """Each group with the union of its provinces' outlines (groups with no outline are left out)."""
    refs = {pid: fid for pid, (file, fid) in geometry_ref(ds.places).items() if file == "provinces"}
    frame = layer(ds.geometry, "provinces")
    shapes = dict(zip(frame["id"], frame.geometry, strict=True)) if not frame.empty else {}
    out = []
    for group in groups:
        parts = [shapes.get(refs.get(pid, pid)) for pid in group.province_ids]
        parts = [p for p in parts if p is not None and not p.is_empty]
        if parts:
            out.append((group, shapely.union_all(parts)))
    return out


def group_features(ds: Dataset, groups: list[GroupFigure]) -> tuple[list[dict], list[dict]]:
    """(outlines, labels): one hatched, dashed outline and one label per group."""
    outlines, labels = [], []
    for group, shape in group_shapes(ds, groups):
        colour = styles.strength_colour(group.value)
        style = {
            "color": styles.STRENGTH_LINE,
            "weight": styles.GROUP_LINE_WEIGHT,
            "dashArray": styles.GROUP_DASH,
            "fillOpacity": styles.STRENGTH_OPACITY,
            "fillColor": colour,
        }
        outlines += frame_features(_frame(shape), lambda row, s=style, c=colour: {"style": s, "hatch": c})
        at = shape.representative_point()
        lat, lon = styles.GROUP_LABEL_AT.get(group.province_ids, (at.y, at.x))
        labels.append(point_feature(lat, lon, {"html": group_label(group), "className": "dm-label-group"}))
    return outlines, labels


def _frame(shape: object):
    import geopandas as gpd

    return gpd.GeoDataFrame({"id": ["group"]}, geometry=[shape], crs="EPSG:4326")
