"""The filtered data layers: provinces by reported strength, borders, base sites, events, countries.

Each builder returns one ``folium.FeatureGroup`` (a layer in the layer control) drawn by the project's
``DashMap`` helpers. Everything reaching HTML is escaped in :mod:`.popups`/:mod:`.text`.
"""

from __future__ import annotations

import folium
import pandas as pd

from dashboard.mapping import styles
from dashboard.mapping.elements import JsLayer
from dashboard.mapping.geo import collection, frame_features, geometry_ref, layer, point_feature
from dashboard.mapping.popups import count_line, records_popup
from dashboard.mapping.strength import ProvinceFigure, province_figures
from dashboard.mapping.text import blank, esc, format_date, format_figure, format_number, split_ids
from dashboard.model import Dataset

LAYER_NAMES = {
    "provinces": "Provinces: reported strength",
    "countries": "Countries: reports at country level",
    "borders": "Borders: reported and measured length",
    "bases": "201st base sites",
    "events": "Events by type",
}


def rows_naming(flat: pd.DataFrame, place_id: str, province_name: str | None = None) -> pd.DataFrame:
    """Reports whose places include ``place_id`` (or, for a province, that lie in it)."""
    if flat.empty:
        return flat
    mask = flat["places"].map(lambda v: place_id in split_ids(v))
    if province_name:
        mask |= flat["provinces"].map(lambda v: province_name in split_ids(v))
    return flat[mask]


def provinces_layer(
    ds: Dataset, flat: pd.DataFrame, mode: str, claimant: str | None, label: str
) -> tuple[folium.FeatureGroup, dict[str, ProvinceFigure]]:
    """Province polygons shaded by the chosen strength figure, with its range and sources on hover/click."""
    group = folium.FeatureGroup(name=LAYER_NAMES["provinces"], show=True)
    provinces = ds.places[ds.places["kind"] == "province"][["id", "name"]]
    figures = province_figures(flat, provinces, mode, claimant)
    refs = geometry_ref(ds.places)
    by_feature = {fid: pid for pid, (file, fid) in refs.items() if file == "provinces"}
    names = dict(zip(provinces["id"], provinces["name"], strict=True))

    def props(row: dict) -> dict | None:
        pid = by_feature.get(row["id"], row["id"] if row["id"] in names else None)
        if pid is None:
            return None
        fig = figures.get(pid)
        reports = rows_naming(flat, pid, names[pid])
        return {
            "kind": "province",
            "id": pid,
            "style": {
                "color": styles.STRENGTH_LINE,
                "weight": 1.2,
                "fillOpacity": styles.STRENGTH_OPACITY if fig else 0.05,
                "fillColor": styles.strength_colour(fig.value if fig else None),
            },
            "tooltip": _province_tooltip(names[pid], fig, label, reports),
            "popup": records_popup(names[pid], reports, _province_intro(fig, label, reports)),
        }

    features = frame_features(layer(ds.geometry, "provinces"), props)
    JsLayer("areas", collection(features), name="provinces").add_to(group)
    return group, figures


def _province_intro(fig: ProvinceFigure | None, label: str, reports: pd.DataFrame) -> str:
    if fig is None:
        return f"No strength figure in the window. {count_line(reports)}." if len(reports) else ""
    return f"Shaded by the {label}: {_figure_words(fig)}. {count_line(reports)}."


def _figure_words(fig: ProvinceFigure) -> str:
    row = fig.chosen
    figure = format_figure(
        row["figure_low"], row["figure_best"], row["figure_high"], row["figure_qualifier"], row["unit"]
    )
    text = (
        f"{figure} ({row['subject']}), claimed by {row['claimant_name'] or 'unnamed'}, "
        f"{format_date(row['date'], row['date_precision'], row['date_qualifier'], row['date_end'])}"
    )
    if fig.shared_with:
        text += f"; one figure for {', '.join((fig.province_name, *fig.shared_with))} together"
    return text


def _province_tooltip(name: str, fig: ProvinceFigure | None, label: str, reports: pd.DataFrame) -> str:
    if fig is None:
        return f"<b>{esc(name)}</b><br>No strength figure in the window<br>{esc(count_line(reports))}"
    outlets = sorted({f"{r['outlet']}" for r in fig.rows.to_dict("records")})
    spread = (
        f"{format_number(fig.low)}–{format_number(fig.high)}"
        if fig.low != fig.high
        else format_number(fig.low)
    )
    return (
        f"<b>{esc(name)}</b><br>{esc(label.capitalize())}: <b>{esc(format_number(fig.value))}</b>"
        f"<br>{esc(_figure_words(fig))}<br>Range of figures in the window: {esc(spread)} "
        f"({len(fig.rows)} report{'s' if len(fig.rows) != 1 else ''})"
        f"<br>Sources: {esc(', '.join(outlets))}<br><i>Click for the quotes</i>"
    )


def countries_layer(ds: Dataset, flat: pd.DataFrame) -> folium.FeatureGroup:
    """Countries named by reports: invisible until hovered, clickable for their country-level reports."""
    group = folium.FeatureGroup(name=LAYER_NAMES["countries"], show=True)
    refs = {fid: pid for pid, (file, fid) in geometry_ref(ds.places).items() if file == "countries"}
    names = dict(zip(ds.places["id"], ds.places["name"], strict=True))

    def props(row: dict) -> dict | None:
        pid = refs.get(row["id"])
        reports = rows_naming(flat, pid) if pid else flat.iloc[0:0]
        if pid is None or reports.empty:
            return None
        return {
            "kind": "country",
            "id": pid,
            "style": {"color": "#555555", "weight": 0.5, "opacity": 0.4, "fillOpacity": 0.0, "fill": True},
            "tooltip": f"<b>{esc(names[pid])}</b><br>Reported at country level: {esc(count_line(reports))}"
            "<br><i>Click for the quotes</i>",
            "popup": records_popup(names[pid], reports, f"Reports naming {names[pid]} as a whole."),
        }

    features = frame_features(layer(ds.geometry, "countries"), props)
    JsLayer("areas", collection(features), name="countries").add_to(group)
    return group


def reported_lengths(flat: pd.DataFrame, border_id: str) -> list[dict]:
    """Border-length claims (unit km) naming ``border_id``, one per claim, as reported."""
    rows = rows_naming(flat, border_id)
    rows = rows[(rows["kind"] == "claim") & (rows["type"] == "border_length") & (rows["unit"] == "km")]
    return list({r["id"]: r for r in rows.to_dict("records")}.values())


def _length_words(row: dict, with_source: bool) -> str:
    figure = format_figure(
        row["figure_low"], row["figure_best"], row["figure_high"], row["figure_qualifier"], "km"
    )
    if with_source:
        when = format_date(row["date"], row["date_precision"])
        return f"{figure} ({row['claimant_name']}, {row['outlet']}, {when})"
    return f"{figure} ({row['outlet']})"


def border_texts(flat: pd.DataFrame, border_id: str, measured: object) -> tuple[str, str, str]:
    """(reported in full, reported in short, measured) lengths of a border, in words."""
    reported = reported_lengths(flat, border_id)
    full = "; ".join(_length_words(r, True) for r in reported) or "no length reported in the window"
    short = "; ".join(_length_words(r, False) for r in reported) or "none in the window"
    measured_txt = f"{format_number(round(float(measured)))} km" if not blank(measured) else "not measured"
    return full, short, measured_txt


def _label_point(geometry: object, pid: str, places: pd.DataFrame) -> tuple[float, float, str]:
    """Where a border's label goes: along its drawn line as styled, else at the place's point."""
    fraction, side = styles.BORDER_LABEL_AT.get(pid, (None, "dm-pos-below"))
    if fraction is not None and geometry is not None and not geometry.is_empty:
        point = geometry.interpolate(fraction, normalized=True)
        return point.y, point.x, side
    return float(places.at[pid, "lat"]), float(places.at[pid, "lon"]), side


def borders_layer(ds: Dataset, flat: pd.DataFrame) -> folium.FeatureGroup:
    """The borders of interest, labelled with the reported length and the length measured on the line."""
    group = folium.FeatureGroup(name=LAYER_NAMES["borders"], show=True)
    places = ds.places.set_index("id")
    refs = {fid: pid for pid, (file, fid) in geometry_ref(ds.places).items() if file == "borders"}
    labels = []

    def props(row: dict) -> dict | None:
        pid = refs.get(row["id"], row["id"] if row["id"] in places.index else None)
        if pid is None:
            return None
        name = places.at[pid, "name"]
        full, short, measured = border_texts(flat, pid, row.get("length_km_measured"))
        tooltip = (
            f"<b>{esc(name)}</b><br>Reported: {esc(full)}"
            f"<br>Measured on the drawn line: {esc(measured)}<br><i>Click for the quotes</i>"
        )
        popup = _border_popup(name, flat, pid, full, measured)
        label = (
            f"<span><b>{esc(name)}</b><br>Reported: {esc(short)}"
            f"<br>Measured on the drawn line: {esc(measured)}</span>"
        )
        common = {"kind": "border", "id": pid, "tooltip": tooltip, "popup": popup}
        lat, lon, side = _label_point(row.get("geometry"), pid, places)
        labels.append(
            point_feature(
                lat, lon, {"html": label, "className": f"dm-label-border dm-clickable {side}", **common}
            )
        )
        colour = styles.BORDER_COLOURS.get(pid, styles.BORDER_DEFAULT)
        return {"style": {"color": colour, "weight": styles.BORDER_WEIGHT, "opacity": 0.9}, **common}

    features = frame_features(layer(ds.geometry, "borders"), props)
    JsLayer("areas", collection(features), name="borders").add_to(group)
    JsLayer("labels", collection(labels), name="border_labels").add_to(group)
    return group


def _border_popup(name: str, flat: pd.DataFrame, pid: str, reported: str, measured: str) -> str:
    return records_popup(
        name,
        rows_naming(flat, pid),
        f"Reported length: {reported}. Measured: {measured} "
        "(Natural Earth geometry, which simplifies the river's meanders).",
    )


def bases_layer(ds: Dataset, flat: pd.DataFrame) -> folium.FeatureGroup:
    """Fixed installations (places of kind military_base), with the reports that name them."""
    group = folium.FeatureGroup(name=LAYER_NAMES["bases"], show=True)
    features = []
    for row in ds.places[ds.places["kind"] == "military_base"].to_dict("records"):
        reports = rows_naming(flat, row["id"])
        precision = int(row["location_precision"])
        features.append(
            point_feature(
                row["lat"],
                row["lon"],
                {
                    "kind": "base",
                    "id": row["id"],
                    "shape": styles.BASE_SHAPE,
                    "colour": styles.BASE_COLOUR,
                    "radius_m": styles.PRECISION_RADIUS_KM.get(precision, 0) * 1000,
                    "tooltip": f"<b>{esc(row['name'])}</b><br>Location: "
                    f"{esc(styles.PRECISION_LABELS.get(precision, ''))}<br>{esc(count_line(reports))}",
                    "popup": records_popup(row["name"], reports, row.get("notes") or ""),
                },
            )
        )
    JsLayer("points", collection(features), {"size": styles.BASE_SIZE}, name="bases").add_to(group)
    return group


def event_features(flat: pd.DataFrame) -> tuple[list[dict], int]:
    """One point feature per event with a place, and the number of events that have none."""
    by_event: dict[str, list[dict]] = {}
    for row in flat[flat["kind"] == "event"].to_dict("records"):  # records, not groupby: 10k events stay fast
        by_event.setdefault(row["id"], []).append(row)
    features, unplaced, slots = [], 0, {}
    for event_id, reports in by_event.items():
        first = reports[0]
        if blank(first["lat"]) or blank(first["lon"]):
            unplaced += 1
            continue
        key = (round(float(first["lat"]), 3), round(float(first["lon"]), 3))
        slots.setdefault(key, []).append(event_id)
        features.append(
            point_feature(first["lat"], first["lon"], _event_properties(event_id, first, reports, key))
        )
    for feature in features:  # spread records that share a point around it
        ids = slots[tuple(feature["properties"].pop("key"))]
        feature["properties"]["slot"] = ids.index(feature["properties"]["id"]) if len(ids) > 1 else 0
        feature["properties"]["slots"] = len(ids)
    return features, unplaced


def _event_properties(event_id: str, first: dict, reports: list[dict], key: tuple) -> dict:
    shape, colour, label = styles.event_symbol(first["type"])
    precision = int(first["location_precision"]) if not blank(first["location_precision"]) else 7
    when = format_date(first["date"], first["date_precision"], first["date_qualifier"], first["date_end"])
    place = first["place_names"].split(";")[0]
    return {
        "kind": "event",
        "id": event_id,
        "shape": shape,
        "colour": colour,
        "key": list(key),
        "radius_m": styles.PRECISION_RADIUS_KM.get(precision, 0) * 1000,
        "vague": precision >= styles.VAGUE_PRECISION,
        "tooltip": f"<b>{esc(first['subject'])}</b><br>{esc(label)} · {esc(when)}<br>"
        f"Place: {esc(place)} ({esc(styles.PRECISION_LABELS.get(precision, ''))})",
        "popup": records_popup(first["subject"], reports, f"{label} · {when}"),
    }


def events_layer(flat: pd.DataFrame) -> tuple[folium.FeatureGroup, list[str], int]:
    """Events as typed symbols with a dashed circle for their location precision."""
    group = folium.FeatureGroup(name=LAYER_NAMES["events"], show=True)
    features, unplaced = event_features(flat)
    options = {
        "size": styles.EVENT_SIZE,
        "cluster": len(features) > styles.CLUSTER_THRESHOLD,
        "dash": styles.UNCERTAINTY_DASH,
        "uncertaintyOpacity": styles.UNCERTAINTY_OPACITY,
    }
    JsLayer("points", collection(features), options, name="events").add_to(group)
    types = list(dict.fromkeys(flat.loc[flat["kind"] == "event", "type"]))
    return group, types, unplaced
