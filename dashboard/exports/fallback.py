"""A static rendering of the map with GeoPandas and matplotlib, for when no browser can run.

It draws the same layers from the same data with the same constants (:mod:`dashboard.mapping.styles`):
basemap, provinces shaded by the same figure (:func:`~dashboard.mapping.strength.province_figures`),
borders, base sites, events at the same positions (:func:`~dashboard.mapping.layers.event_features`),
with the title block, legend, scale bar, north arrow, sources and caveat. The framing follows Leaflet's
Web Mercator arithmetic, so centre, zoom and size show the same area. It is not the interactive map's
exact look, and it says so on the picture.
"""

from __future__ import annotations

import math
import textwrap

import geopandas as gpd
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, Rectangle

from dashboard.exports.briefing import BANNER_HEIGHT, Briefing, as_of_text
from dashboard.exports.picture import Snapshot, figure_bytes
from dashboard.mapping import styles
from dashboard.mapping.layers import border_texts, event_features
from dashboard.mapping.shared import group_shapes
from dashboard.mapping.strength import STRENGTH_UNITS, figure_label, group_figures, province_figures
from dashboard.model import Dataset
from dashboard.wording import (
    CUTOFF_LABEL,
    filter_summary,
    filter_window,
    format_number,
    information_cutoff,
    sources_line,
)

FALLBACK_LABEL = (
    "Static fallback rendering: no browser was available, so this picture is not the "
    "interactive map's exact look."
)
EARTH_RADIUS = 6378137.0  # Web Mercator sphere (EPSG:3857), metres
PT = 0.72  # points per CSS pixel when the figure has 100 dots per inch per device-pixel ratio


def project(lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) in degrees -> Web Mercator (x, y) in metres."""
    lat = max(min(lat, 85.0511), -85.0511)
    return (
        EARTH_RADIUS * math.radians(lon),
        EARTH_RADIUS * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)),
    )


def metres_per_pixel(zoom: float) -> float:
    """Web Mercator metres per CSS pixel at ``zoom`` (Leaflet's 256-pixel tiles)."""
    return 2 * math.pi * EARTH_RADIUS / (256 * 2**zoom)


def fit_zoom(bbox: tuple[float, float, float, float], width: int, height: int) -> int:
    """The zoom Leaflet's ``fitBounds`` picks (whole zoom levels, no padding), within the map's limits."""
    west, south, east, north = bbox
    (x0, y0), (x1, y1) = project(south, west), project(north, east)
    scale = min(width * metres_per_pixel(0) / (x1 - x0), height * metres_per_pixel(0) / (y1 - y0))
    return max(styles.MIN_ZOOM, min(styles.MAX_ZOOM, math.floor(math.log2(scale))))


def view_extent(briefing: Briefing, width: int, height: int) -> tuple[float, float, float, float]:
    """(xmin, xmax, ymin, ymax) in Web Mercator metres of the map area, as Leaflet would frame it."""
    if briefing.bbox is not None:
        west, south, east, north = briefing.bbox
        zoom = fit_zoom(briefing.bbox, width, height)
        (x0, y0), (x1, y1) = project(south, west), project(north, east)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    else:
        zoom = briefing.zoom
        cx, cy = project(*briefing.center)
    half_w, half_h = width / 2 * metres_per_pixel(zoom), height / 2 * metres_per_pixel(zoom)
    return cx - half_w, cx + half_w, cy - half_h, cy + half_h


def _mercator(frame: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    if frame is None or frame.empty:
        return None
    return frame.to_crs(3857)


def render_fallback(
    ds: Dataset, flat_all: pd.DataFrame, flat: pd.DataFrame, briefing: Briefing, note: str = ""
) -> Snapshot:
    """The PNG of the static fallback map; ``note`` says why the browser was not used."""
    briefing = briefing.stamped()
    width, height = briefing.size
    fig = fallback_figure(ds, flat_all, flat, briefing)
    return Snapshot(
        png=figure_bytes(fig, "png", dpi=100 * briefing.scale),
        width=width * briefing.scale,
        height=height * briefing.scale,
        renderer="fallback",
        note=note,
    )


def fallback_figure(ds: Dataset, flat_all: pd.DataFrame, flat: pd.DataFrame, briefing: Briefing) -> Figure:
    """The static fallback map as a matplotlib figure (save it with ``picture.figure_bytes``)."""
    briefing = briefing.stamped()
    width, height = briefing.size
    banner = BANNER_HEIGHT if briefing.caveat.strip() else 0
    fig = Figure(figsize=(width / 100, height / 100), dpi=100 * briefing.scale)
    ax = fig.add_axes((0, banner / height, 1, 1 - 2 * banner / height))
    xmin, xmax, ymin, ymax = view_extent(briefing, width, height - 2 * banner)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_axis_off()
    ax.add_patch(Rectangle((xmin, ymin), xmax - xmin, ymax - ymin, color=styles.WATER, zorder=0))
    _basemap(ax, ds)
    label, figures = _provinces(ax, ds, flat, briefing)
    _borders(ax, ds, flat)
    _bases(ax, ds)
    event_types = _events(ax, flat)
    _place_labels(ax, ds, (xmin, xmax, ymin, ymax))
    _title_block(ax, ds, flat_all, briefing, flat)
    _legend(ax, label, event_types)
    _sources(ax, flat)
    _scale_bar(ax, (xmin, xmax, ymin, ymax), width)
    _north_arrow(ax)
    _banners(fig, briefing.caveat.strip(), banner / height)
    return fig


def _basemap(ax, ds: Dataset) -> None:
    countries = _mercator(ds.geometry.get("countries"))
    if countries is not None:
        fills = [styles.LAND_FOCUS if i in styles.FOCUS_COUNTRIES else styles.LAND for i in countries["id"]]
        countries.plot(
            ax=ax,
            color=fills,
            edgecolor=styles.COUNTRY_LINE,
            linewidth=styles.COUNTRY_LINE_WEIGHT * PT,
            zorder=1,
        )
    rivers = _mercator(ds.geometry.get("rivers"))
    if rivers is not None:
        rivers.plot(ax=ax, color=styles.RIVER, linewidth=styles.RIVER_WEIGHT * PT, alpha=0.9, zorder=3)


def _provinces(ax, ds: Dataset, flat: pd.DataFrame, briefing: Briefing):
    names = dict(zip(ds.actors["id"], ds.actors["name"], strict=True))
    label = figure_label(briefing.figure, names.get(briefing.figure_claimant or ""))
    provinces = ds.places[ds.places["kind"] == "province"][["id", "name"]]
    figures = province_figures(flat, provinces, briefing.figure, briefing.figure_claimant, alone=True)
    shapes = _mercator(ds.geometry.get("provinces"))
    if shapes is None:
        return label, figures
    by_name = dict(zip(provinces["name"], provinces["id"], strict=True))
    for row in shapes.itertuples():
        pid = (
            row.id
            if row.id in figures or row.id in set(provinces["id"])
            else by_name.get(getattr(row, "name", ""))
        )
        fig = figures.get(pid)
        colour = styles.strength_colour(fig.value if fig else None)
        gpd.GeoSeries([row.geometry]).plot(
            ax=ax, color=colour, alpha=styles.STRENGTH_OPACITY if fig else 0.05, edgecolor="none", zorder=2
        )
    shapes.boundary.plot(
        ax=ax,
        color=styles.PROVINCE_LINE,
        linewidth=styles.PROVINCE_LINE_WEIGHT * PT,
        linestyle=(0, (4, 3)),
        zorder=2.5,
    )
    # A figure given for several provinces together: one hatched, dashed outline over the group.
    together = group_figures(flat, provinces, briefing.figure, briefing.figure_claimant)
    for group, shape in group_shapes(ds, together):
        gpd.GeoSeries([shape], crs="EPSG:4326").to_crs(3857).plot(
            ax=ax,
            facecolor="none",
            hatch="///",
            edgecolor=styles.strength_colour(group.value),
            linewidth=styles.GROUP_LINE_WEIGHT * PT,
            linestyle=(0, (5, 3)),
            alpha=styles.STRENGTH_OPACITY,
            zorder=2.6,
        )
    return label, figures


def _borders(ax, ds: Dataset, flat: pd.DataFrame) -> None:
    borders = _mercator(ds.geometry.get("borders"))
    if borders is None:
        return
    places = ds.places.set_index("id")
    for row in borders.to_dict("records"):
        colour = styles.BORDER_COLOURS.get(row["id"], styles.BORDER_DEFAULT)
        gpd.GeoSeries([row["geometry"]]).plot(
            ax=ax, color=colour, linewidth=styles.BORDER_WEIGHT * PT, zorder=4
        )
        if row["id"] not in places.index:
            continue
        # The same words as the interactive map's border label.
        _, words, measured_txt = border_texts(flat, row["id"], row.get("length_km_measured"))
        x, y = project(places.at[row["id"], "lat"], places.at[row["id"], "lon"])
        ax.annotate(
            f"{places.at[row['id'], 'name']}\nReported: {words}\nMeasured on the drawn line: {measured_txt}",
            (x, y),
            xytext=(0, -14),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=11 * PT,
            color="#4a154a",
            zorder=8,
            annotation_clip=True,
            bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": colour, "alpha": 0.85},
        )


def _bases(ax, ds: Dataset) -> None:
    for row in ds.places[ds.places["kind"] == "military_base"].to_dict("records"):
        x, y = project(row["lat"], row["lon"])
        ax.plot(
            x,
            y,
            marker=styles.MPL_MARKERS[styles.BASE_SHAPE],
            color=styles.BASE_COLOUR,
            markersize=styles.BASE_SIZE * PT * 0.8,
            markeredgecolor="white",
            zorder=6,
        )


def _events(ax, flat: pd.DataFrame) -> list[str]:
    features, _ = event_features(flat)
    size = styles.EVENT_SIZE
    for feature in features:
        p = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        x, y = project(lat, lon)
        if p["radius_m"] > 0:  # metres on the ground are 1/cos(lat) times longer in Web Mercator
            r = p["radius_m"] / math.cos(math.radians(lat))
            ax.add_patch(Circle((x, y), r, facecolor=p["colour"], alpha=styles.UNCERTAINTY_OPACITY, zorder=5))
            ax.add_patch(
                Circle(
                    (x, y),
                    r,
                    fill=False,
                    edgecolor=p["colour"],
                    linewidth=1.2 * PT,
                    linestyle=(0, (5, 5)),
                    zorder=5,
                )
            )
        if p.get("vague"):  # placed only by a border, country or region: a dashed ring around the symbol
            ax.plot(
                x,
                y,
                marker="o",
                markersize=size * PT * 1.5,
                markerfacecolor="none",
                markeredgecolor="#555555",
                markeredgewidth=1.0,
                zorder=6.8,
            )
        offset = (0.0, 0.0)
        if p.get("slot", 0) > 0:  # the same spread as dashboard-map.js, in CSS pixels
            angle = (p["slot"] - 1) * 2 * math.pi / max(6, p.get("slots", 6))
            ring = size * (1 + ((p["slot"] - 1) // 6) * 0.9)
            offset = (round(math.cos(angle) * ring), -round(math.sin(angle) * ring))
        ax.plot(
            x,
            y,
            marker=styles.MPL_MARKERS.get(p["shape"], "o"),
            color=p["colour"],
            markersize=size * PT * 0.8,
            markeredgecolor="white",
            markeredgewidth=1.0,
            zorder=7,
            transform=ax.transData + _offset(ax, offset),
        )
    return list(dict.fromkeys(flat.loc[flat["kind"] == "event", "type"]))


def _offset(ax, offset: tuple[float, float]):
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(offset[0] * PT / 72, offset[1] * PT / 72, ax.figure.dpi_scale_trans)


def _place_labels(ax, ds: Dataset, extent) -> None:
    xmin, xmax, ymin, ymax = extent
    looks = {
        "country": (13, "#5b5b5b", "normal"),
        "province": (11.5, "#6a5f4d", "italic"),
        "city": (11, "#333333", "normal"),
        "capital": (11, "#333333", "normal"),
        "town": (11, "#333333", "normal"),
    }
    for row in ds.places.to_dict("records"):
        look = looks.get(row["kind"])
        if look is None:
            continue
        x, y = project(row["lat"], row["lon"])
        if not (xmin <= x <= xmax and ymin <= y <= ymax):
            continue
        size, colour, style = look
        if row["kind"] == "country":
            text, ha = row["name"].upper(), "center"
        elif row["kind"] == "province":
            text, ha = row["name"], "center"
        else:
            text, ha = f"● {row['name']}", "left"
        ax.text(
            x,
            y,
            text,
            fontsize=size * PT,
            color=colour,
            style=style,
            ha=ha,
            va="center",
            zorder=6.5,
            path_effects=_halo(),
        )


def _halo():
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2.5, foreground="white")]


def _wrap(text: str, width_px: float, font_px: float) -> str:
    chars = max(20, int(width_px / (font_px * 0.55)))
    return "\n".join(textwrap.fill(line, chars) for line in text.split("\n"))


def _panel(ax, loc: str, lines: list[tuple[str, dict]]) -> None:
    """A white box of text lines, each with its own font properties, pinned to a corner of the map."""
    from matplotlib.offsetbox import AnchoredOffsetbox, TextArea, VPacker

    areas = [TextArea(text, textprops={"color": "#222222", **props}) for text, props in lines]
    box = AnchoredOffsetbox(
        loc=loc,
        child=VPacker(children=areas, align="left", pad=0, sep=3),
        pad=0.4,
        borderpad=0.6,
        frameon=True,
    )
    box.patch.set(facecolor="white", edgecolor="#bbbbbb", alpha=0.93, boxstyle="round,pad=0.2")
    box.set_zorder(10)
    ax.add_artist(box)


def _title_block(ax, ds: Dataset, flat_all: pd.DataFrame, briefing: Briefing, flat: pd.DataFrame) -> None:
    lines = [(_wrap(briefing.title, 500, 17), {"fontsize": 17 * PT, "fontweight": "bold"})]
    if briefing.subtitle:
        lines.append((_wrap(briefing.subtitle, 500, 13), {"fontsize": 13 * PT, "color": "#444444"}))
    window = (
        f"Reports dated: {filter_window(briefing.filters, flat_all)} · As of: {as_of_text(briefing.as_of)}"
    )
    lines.append((_wrap(window, 500, 12), {"fontsize": 12 * PT}))
    cutoff = information_cutoff(flat)
    if cutoff:
        lines.append((_wrap(f"{CUTOFF_LABEL}: {cutoff}", 500, 12), {"fontsize": 12 * PT}))
    summary = filter_summary(briefing.filters, ds)
    if summary:
        lines.append((_wrap("Filters: " + "; ".join(summary), 500, 12), {"fontsize": 12 * PT}))
    lines.append(
        (_wrap(FALLBACK_LABEL, 500, 12), {"fontsize": 12 * PT, "color": "#8b1a1a", "style": "italic"})
    )
    _panel(ax, "upper left", lines)


def _legend(ax, label: str, event_types: list[str]) -> None:
    handles = [
        Patch(
            facecolor="none",
            edgecolor="none",
            label=f"Province shading: {label} ({' or '.join(STRENGTH_UNITS)})",
        )
    ]
    handles += [
        Patch(facecolor=c, edgecolor="#888888", alpha=styles.STRENGTH_OPACITY + 0.2, label=t)
        for t, c in styles.strength_classes()
    ]
    handles.append(
        Patch(facecolor=styles.NO_FIGURE_FILL, edgecolor="#888888", label="no figure in the window")
    )
    handles += [
        Line2D(
            [],
            [],
            color=c,
            linewidth=styles.BORDER_WEIGHT * PT,
            label={"afg-tjk-border": "Tajik–Afghan border", "afg-uzb-border": "Uzbek–Afghan border"}.get(
                k, k
            ),
        )
        for k, c in styles.BORDER_COLOURS.items()
    ]
    handles.append(
        Line2D(
            [],
            [],
            linestyle="none",
            marker=styles.MPL_MARKERS[styles.BASE_SHAPE],
            color=styles.BASE_COLOUR,
            label="201st Russian base site",
        )
    )
    for event_type in event_types:
        shape, colour, name = styles.event_symbol(event_type)
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=styles.MPL_MARKERS.get(shape, "o"),
                color=colour,
                markeredgecolor="white",
                markersize=9,
                label=name,
            )
        )
    if event_types:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markerfacecolor="none",
                markeredgecolor="#555555",
                markersize=10,
                label="dashed circle: the report only names an area",
            )
        )
    legend = ax.legend(
        handles=handles,
        loc="lower right",
        fontsize=11 * PT,
        frameon=True,
        framealpha=0.93,
        title="Legend",
        title_fontproperties={"weight": "bold", "size": 12 * PT},
    )
    legend.set_zorder(10)


def _sources(ax, flat: pd.DataFrame) -> None:
    _panel(ax, "lower left", [(_wrap(sources_line(flat), 520, 10.5), {"fontsize": 10.5 * PT})])


def scale_length(metres_per_px: float, target_px: float = 100) -> float:
    """A round ground length (1, 2, 3 or 5 times a power of ten metres) about ``target_px`` long."""
    target = metres_per_px * target_px
    step = 10 ** math.floor(math.log10(target))
    return max(s * step for s in (1, 2, 3, 5) if s * step <= target)


def _scale_bar(ax, extent, width_px: int) -> None:
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    xmin, xmax, ymin, ymax = extent
    lat = math.degrees(2 * math.atan(math.exp((ymin + ymax) / 2 / EARTH_RADIUS)) - math.pi / 2)
    ground_per_px = (xmax - xmin) / width_px * math.cos(math.radians(lat))  # metres on the ground
    length = scale_length(ground_per_px)
    bar = AnchoredSizeBar(
        ax.transData,
        length / math.cos(math.radians(lat)),
        f"{format_number(length / 1000)} km",
        "lower center",
        pad=0.3,
        borderpad=0.5,
        sep=3,
        frameon=True,
        size_vertical=0,
        fontproperties={"size": 11 * PT},
    )
    bar.patch.set(facecolor="white", alpha=0.8, edgecolor="#333333")
    bar.set_zorder(10)
    ax.add_artist(bar)


def _north_arrow(ax) -> None:
    ax.annotate(
        "N",
        xy=(0.985, 0.975),
        xytext=(0.985, 0.90),
        xycoords="axes fraction",
        ha="center",
        va="top",
        fontsize=13 * PT,
        fontweight="bold",
        zorder=10,
        arrowprops={"arrowstyle": "-|>,head_width=0.5,head_length=1.0", "color": "#222222", "lw": 2},
    )


def _banners(fig, caveat: str, fraction: float) -> None:
    if not caveat:
        return
    for y in (0.0, 1.0 - fraction):
        fig.patches.append(
            Rectangle((0, y), 1, fraction, transform=fig.transFigure, color="#8b1a1a", zorder=20)
        )
        fig.text(
            0.5,
            y + fraction / 2,
            caveat.upper(),
            ha="center",
            va="center",
            color="white",
            fontsize=14 * PT,
            fontweight="bold",
            zorder=21,
        )
