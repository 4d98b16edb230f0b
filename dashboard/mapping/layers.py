"""The filtered data layers: provinces by reported strength, borders, base sites, events, countries.

Each builder returns one ``folium.FeatureGroup`` (a layer in the layer control) drawn by the project's
``DashMap`` helpers. Every tooltip, popup and label is :class:`.text.Html` built with
:func:`.text.html`: the elements refuse anything else.
"""

from __future__ import annotations

from functools import lru_cache

import folium
import pandas as pd

from dashboard.mapping import shared, stacks, styles
from dashboard.mapping.elements import JsLayer
from dashboard.mapping.geo import collection, frame_features, geometry_ref, layer, point_feature
from dashboard.mapping.popups import POPUP_LIMIT, count_line, records_popup
from dashboard.mapping.strength import GroupFigure, ProvinceFigure, group_figures, province_figures
from dashboard.mapping.text import Html, esc, html
from dashboard.model import Dataset
from dashboard.values import blank, split_ids
from dashboard.wording import format_date, format_figure, format_number

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
    mask = _names_id(flat["places"], place_id)
    if province_name:
        mask |= _names_id(flat["provinces"], province_name)
    return flat[mask]


def _names_id(column: pd.Series, value: str) -> pd.Series:
    """Rows whose ';'-separated ``column`` holds ``value`` (as ``split_ids`` reads it)."""
    # Few distinct place lists recur across thousands of rows: split each once.
    hits = [isinstance(v, str) and value in _id_set(v) for v in column.tolist()]
    return pd.Series(hits, index=column.index, dtype=bool)


@lru_cache(maxsize=4096)
def _id_set(value: str) -> frozenset[str]:
    return frozenset(split_ids(value))


def provinces_layer(
    ds: Dataset,
    flat: pd.DataFrame,
    mode: str,
    claimant: str | None,
    label: str,
    highlight: tuple[str, ...] = (),
    groups: list[GroupFigure] | None = None,
) -> tuple[folium.FeatureGroup, dict[str, ProvinceFigure]]:
    """Province polygons shaded by the chosen strength figure given for each alone, with its range and
    sources on hover/click; a figure given for several together is drawn once over the group
    (``groups``: those figures, when the caller has them already)."""
    group = folium.FeatureGroup(name=LAYER_NAMES["provinces"], show=True)
    provinces = ds.places[ds.places["kind"] == "province"][["id", "name"]]
    figures = province_figures(flat, provinces, mode, claimant, alone=True)
    groups = group_figures(flat, provinces, mode, claimant) if groups is None else groups
    group_of = {pid: g for g in reversed(groups) for pid in g.province_ids}
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
                **({"color": styles.HIGHLIGHT_STYLE["color"], "weight": 3} if pid in highlight else {}),
            },
            "tooltip": _province_tooltip(names[pid], fig, label, reports, group_of.get(pid)),
            "popup": records_popup(
                names[pid], reports, _province_intro(fig, label, reports, group_of.get(pid))
            ),
        }

    features = frame_features(layer(ds.geometry, "provinces"), props)
    JsLayer("areas", collection(features), name="provinces").add_to(group)
    outlines, labels = shared.group_features(ds, groups)
    if outlines:
        JsLayer("areas", collection(outlines), {"interactive": False}, name="group_figures").add_to(group)
        JsLayer("labels", collection(labels), {"pane": "dmBoxes"}, name="group_labels").add_to(group)
    return group, figures


def _province_intro(
    fig: ProvinceFigure | None, label: str, reports: pd.DataFrame, together: GroupFigure | None = None
) -> str:
    shared_line = f" Not shaded by {shared.group_words(together)}." if together else ""
    if fig is None:
        if not len(reports):
            return ""
        return (
            f"No strength figure for this province alone in the window.{shared_line} {count_line(reports)}."
        )
    return f"Shaded by the {label}: {_figure_words(fig)}.{shared_line} {count_line(reports)}."


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


def _province_tooltip(
    name: str,
    fig: ProvinceFigure | None,
    label: str,
    reports: pd.DataFrame,
    together: GroupFigure | None = None,
) -> Html:
    if fig is None:
        if together is not None:
            return html(
                "<b>{}</b><br>No strength figure for {} alone in the window<br>"
                "Given for a group of provinces: {}<br>{}<br><i>Click for the quotes</i>",
                name,
                name,
                shared.group_words(together),
                count_line(reports),
            )
        return html("<b>{}</b><br>No strength figure in the window<br>{}", name, count_line(reports))
    outlets = sorted({f"{r['outlet']}" for r in fig.rows.to_dict("records")})
    spread = (
        f"{format_number(fig.low)}–{format_number(fig.high)}"
        if fig.low != fig.high
        else format_number(fig.low)
    )
    return html(
        "<b>{name}</b><br>{label}: <b>{value}</b><br>{words}<br>Range of figures in the window: {spread} "
        "({count})<br>Sources: {outlets}<br><i>Click for the quotes</i>",
        name=name,
        label=label.capitalize(),
        value=format_number(fig.value),
        words=_figure_words(fig),
        spread=spread,
        count=f"{len(fig.rows)} report{'s' if len(fig.rows) != 1 else ''}",
        outlets=", ".join(outlets),
    )


def countries_layer(ds: Dataset, flat: pd.DataFrame, highlight: tuple[str, ...] = ()) -> folium.FeatureGroup:
    """Countries named by reports: invisible until hovered, clickable for their country-level reports;
    a country in ``highlight`` (a selected record about it) is outlined."""
    group = folium.FeatureGroup(name=LAYER_NAMES["countries"], show=True)
    refs = {fid: pid for pid, (file, fid) in geometry_ref(ds.places).items() if file == "countries"}
    names = dict(zip(ds.places["id"], ds.places["name"], strict=True))

    def props(row: dict) -> dict | None:
        pid = refs.get(row["id"])
        reports = rows_naming(flat, pid) if pid else flat.iloc[0:0]
        if pid is None or reports.empty:
            return None
        style = {"color": "#555555", "weight": 0.5, "opacity": 0.4, "fillOpacity": 0.0, "fill": True}
        if pid in highlight:
            style = {**style, **styles.HIGHLIGHT_STYLE}
        return {
            "kind": "country",
            "id": pid,
            "style": style,
            "tooltip": html(
                "<b>{}</b><br>Reported at country level: {}<br><i>Click for the quotes</i>",
                names[pid],
                count_line(reports),
            ),
            "popup": records_popup(names[pid], reports, f"Reports naming {names[pid]} as a whole."),
        }

    features = frame_features(layer(ds.geometry, "countries"), props)
    JsLayer("areas", collection(features), name="countries").add_to(group)
    return group


#: The cells a border's length is worded from (``_length_words``).
_LENGTH_CELLS = [
    "id", "figure_low", "figure_best", "figure_high", "figure_qualifier", "date", "date_precision",
    "claimant_name", "outlet",
]  # fmt: skip


def reported_lengths(flat: pd.DataFrame, border_id: str) -> list[dict]:
    """Border-length claims (unit km) naming ``border_id``, one per claim, as reported (the cells
    ``_length_words`` reads: turning every column of the rows into dicts cost a busy server ~5% of its
    time, on each build of the borders layer)."""
    rows = rows_naming(flat, border_id)
    rows = rows[(rows["kind"] == "claim") & (rows["type"] == "border_length") & (rows["unit"] == "km")]
    return list({r["id"]: r for r in rows[_LENGTH_CELLS].to_dict("records")}.values())


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


def _border_label(
    geometry: object, pid: str, places: pd.DataFrame, text: Html
) -> tuple[float, float, Html, str]:
    """(lat, lon, html, CSS class) of a border's label: a box offset from a point of the line, with a
    leader back to it (``styles.BORDER_LABEL_LEADER``), else beside the line as ``_label_point`` puts it."""
    leader = styles.BORDER_LABEL_LEADER.get(pid)
    if leader is None or geometry is None or geometry.is_empty:
        lat, lon, side = _label_point(geometry, pid, places)
        return lat, lon, html("<span>{}</span>", text), f"dm-label-border {side}"
    fraction, dx, dy = leader
    point = geometry.interpolate(fraction, normalized=True)
    dx, dy = int(dx), int(dy)
    label = html(
        "<svg class='dm-leader' width='1' height='1'><line x1='0' y1='0' x2='{dx}' y2='{dy}'/>"
        "<circle cx='0' cy='0' r='2.5'/></svg>"
        "<span style='transform: translate(calc(-50% + {dx}px), calc(-50% + {dy}px))'>{text}</span>",
        dx=dx,
        dy=dy,
        text=text,
    )
    return point.y, point.x, label, "dm-label-border dm-has-leader"


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
        tooltip = html(
            "<b>{}</b><br>Reported: {}<br>Measured on the drawn line: {}<br><i>Click for the quotes</i>",
            name,
            full,
            measured,
        )
        popup = _border_popup(name, flat, pid, full, measured)
        text = html("<b>{}</b><br>Reported: {}<br>Measured on the drawn line: {}", name, short, measured)
        common = {"kind": "border", "id": pid, "tooltip": tooltip, "popup": popup}
        lat, lon, label, cls = _border_label(row.get("geometry"), pid, places, text)
        # The label only names the line (it takes no click): the line itself opens the popup.
        labels.append(point_feature(lat, lon, {"html": label, "className": cls}))
        colour = styles.BORDER_COLOURS.get(pid, styles.BORDER_DEFAULT)
        return {"style": {"color": colour, "weight": styles.BORDER_WEIGHT, "opacity": 0.9}, **common}

    features = frame_features(layer(ds.geometry, "borders"), props)
    JsLayer("areas", collection(features), name="borders").add_to(group)
    JsLayer("labels", collection(labels), {"pane": "dmBoxes"}, name="border_labels").add_to(group)
    return group


def _border_popup(name: str, flat: pd.DataFrame, pid: str, reported: str, measured: str) -> Html:
    return records_popup(
        name,
        rows_naming(flat, pid),
        f"Reported length: {reported}. Measured: {measured} "
        "(Natural Earth geometry, which simplifies the river's meanders).",
    )


def base_label(row: dict) -> str:
    """A base site's name on the map: "201st base — Dushanbe" (the site in the name's parenthesis)."""
    name = str(row["name"])
    site = name[name.rfind("(") + 1 : -1] if name.endswith(")") and "(" in name else ""
    return styles.BASE_LABEL.format(site=site) if site else name


def base_points(ds: Dataset) -> set[tuple[float, float]]:
    """Where the base sites stand, as the events layer keys its points (events there ring round them)."""
    bases = ds.places[ds.places["kind"] == "military_base"]
    return {_point_key(lat, lon) for lat, lon in zip(bases["lat"], bases["lon"], strict=True)}


def _point_key(lat: object, lon: object) -> tuple[float, float]:
    return round(float(lat), 3), round(float(lon), 3)


def bases_layer(ds: Dataset, flat: pd.DataFrame) -> folium.FeatureGroup:
    """Fixed installations (places of kind military_base), with the reports that name them.

    Drawn above the events (which ring round a base at the same point) and labelled on the map.
    """
    group = folium.FeatureGroup(name=LAYER_NAMES["bases"], show=True)
    features, labels = [], []
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
                    "tooltip": html(
                        "<b>{}</b><br>Location: {}<br>{}",
                        row["name"],
                        styles.PRECISION_LABELS.get(precision, ""),
                        count_line(reports),
                    ),
                    "popup": records_popup(row["name"], reports, row.get("notes") or ""),
                    # its line in the list of a stack (base sites close together at a low zoom)
                    "entry": stacks.entry_html(
                        styles.BASE_SHAPE,
                        styles.BASE_COLOUR,
                        base_label(row),
                        f"Base site · location: {styles.PRECISION_LABELS.get(precision, '')}",
                        count_line(reports),
                    ),
                },
            )
        )
        cls = "dm-label-base" + (" dm-left" if row["id"] in styles.BASE_LABEL_LEFT else "")
        labels.append(
            point_feature(
                row["lat"], row["lon"], {"html": html("<span>{}</span>", base_label(row)), "className": cls}
            )
        )
    options = {"size": styles.BASE_SIZE, "zIndexOffset": styles.BASE_Z_OFFSET}
    JsLayer("points", collection(features), options, name="bases").add_to(group)
    JsLayer("labels", collection(labels), {"pane": "dmBoxes"}, name="base_labels").add_to(group)
    return group


def event_features(
    flat: pd.DataFrame, text: EventText | None = None, occupied: set[tuple[float, float]] | None = None
) -> tuple[list[dict], int]:
    """One point feature per event with a place, and the number of events that have none.

    Events at one point get their place round it (``slot`` of ``slots``, which a still picture drawn
    without a browser spreads them by); at a point in ``occupied`` (a base site, drawn there) every
    event takes a place on the ring and the centre stays the base's (``beside``). In the browser, symbols
    on (nearly) one spot at the current zoom form a stack: spread round a numbered disc that lists them.

    Properties hold the symbol and the position only (shape, colour, radius_m, vague, slot, beside).
    With ``text``, each feature also gets its tooltip, popup and line in a stack's list as indices into
    ``text``'s tables (``s`` subject, ``w`` type and date, ``pl`` place, ``r`` reports, ``e`` its line
    in ``entries``), which the browser assembles.
    """
    events = flat[flat["kind"] == "event"]
    columns = [c for c in _EVENT_COLUMNS if c in events.columns]
    # Column lists, not to_dict("records") or groupby: 10,000 events stay fast.
    values = [events[c].tolist() for c in columns]
    by_event: dict[str, list[dict]] = {}
    for row in (dict(zip(columns, items, strict=True)) for items in zip(*values, strict=True)):
        by_event.setdefault(row["id"], []).append(row)
    features, unplaced, slots = [], 0, {}
    for event_id, reports in by_event.items():
        first = reports[0]
        if blank(first["lat"]) or blank(first["lon"]):
            unplaced += 1
            continue
        key = _point_key(first["lat"], first["lon"])
        slots.setdefault(key, [None] if occupied and key in occupied else []).append(event_id)
        props = _event_properties(event_id, first, key)
        if text is not None:
            props.update(text.event(first, reports, props.pop("precision")))
        else:
            props.pop("precision")
        features.append(point_feature(first["lat"], first["lon"], props))
    for feature in features:  # spread records that share a point around it
        ids = slots[tuple(feature["properties"].pop("key"))]
        feature["properties"]["slot"] = ids.index(feature["properties"]["id"]) if len(ids) > 1 else 0
        feature["properties"]["slots"] = len(ids)
        feature["properties"]["beside"] = ids[0] is None  # a base site holds the centre
    return features, unplaced


_EVENT_COLUMNS = (
    "id", "kind", "type", "lat", "lon", "location_precision", "location_name", "place_names", "subject",
    "quote",
    "date", "date_precision", "date_qualifier", "date_end", "figure_low", "figure_best", "figure_high",
    "figure_qualifier", "unit", "claimant_name", "claimant_role", "relayed_by_names", "title", "outlet",
    "published", "published_precision", "document",
)  # fmt: skip


def _event_properties(event_id: str, first: dict, key: tuple) -> dict:
    shape, colour, _ = styles.event_symbol(first["type"])
    precision = int(first["location_precision"]) if not blank(first["location_precision"]) else 7
    return {
        "kind": "event",
        "id": event_id,
        "shape": shape,
        "colour": colour,
        "key": list(key),
        "radius_m": styles.PRECISION_RADIUS_KM.get(precision, 0) * 1000,
        "vague": precision >= styles.VAGUE_PRECISION,
        "precision": precision,
    }


class EventText:
    """The events' tooltip and popup text as tables the browser assembles on hover or click.

    ``strings`` holds every distinct piece of text once, as :class:`.text.Html` escaped with :func:`esc`
    (the browser adds only fixed markup around them, see ``dashboard-map.js``); ``entries`` each
    event's line in the list of a stack, built with :func:`.text.html` (:mod:`.stacks`); ``records``
    holds one report each as indices into ``strings``, in the order :func:`.popups.record_html` prints
    them: kind ("Claim"/"Event"), id, subject, figure, quote, claimant, relayed by, date, document.
    One ``folium`` popup string per event would repeat the same quotes and documents thousands of times.
    """

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.records: list[list[int]] = []
        self._index: dict[str, int] = {}
        self.entries: list[Html] = []
        self._dates: dict[tuple, str] = {}

    def string(self, value: object) -> int:
        """The index of ``value`` (escaped) in ``strings``; blank values are the empty string."""
        raw = "" if blank(value) else str(value)
        index = self._index.get(raw)
        if index is None:
            index = self._index[raw] = len(self.strings)
            self.strings.append(esc(raw))
        return index

    def date(self, *args: object) -> str:
        """:func:`format_date`, remembered (the same few dates recur across thousands of events)."""
        words = self._dates.get(args)  # a NaN never equals itself: a missed hit, never a wrong one
        if words is None:
            words = self._dates[args] = format_date(*args)
        return words

    def record(self, row: dict) -> int:
        """Add one report; return its index in ``records``."""
        figure = format_figure(
            row.get("figure_low"), row.get("figure_best"), row.get("figure_high"),
            row.get("figure_qualifier"), row.get("unit"),
        )  # fmt: skip
        who = "" if blank(row.get("claimant_name")) else str(row["claimant_name"])
        if who and not blank(row.get("claimant_role")):
            who += f" ({row['claimant_role']})"
        relayed = list(dict.fromkeys(split_ids(row.get("relayed_by_names"))))
        when = self.date(
            row.get("date"), row.get("date_precision"), row.get("date_qualifier"), row.get("date_end")
        )
        published = self.date(row.get("published"), row.get("published_precision"))
        document = f"{row.get('title')} — {row.get('outlet')}, {published} ({row.get('document')})"
        kind = "Claim" if row.get("kind") == "claim" else "Event"
        fields = (kind, row.get("id"), row.get("subject"), figure, row.get("quote"), who, ", ".join(relayed))
        self.records.append([self.string(v) for v in (*fields, when, document)])
        return len(self.records) - 1

    def event(self, first: dict, reports: list[dict], precision: int) -> dict:
        """An event's text properties: subject, "type · date", place, its reports, its line in a stack."""
        shape, colour, label = styles.event_symbol(first["type"])
        when = self.date(first["date"], first["date_precision"], first["date_qualifier"], first["date_end"])
        # where it happened (its location), not the first of the places it concerns
        place = str(first.get("location_name") or first["place_names"]).split(";")[0]
        where = f"{place} ({styles.PRECISION_LABELS.get(precision, '')})"
        return {
            "s": self.string(first["subject"]),
            "w": self.string(f"{label} · {when}"),
            "pl": self.string(where),
            "r": [self.record(r) for r in reports],
            "e": self.entry(
                stacks.entry_html(
                    shape, colour, first["subject"], f"{label} · {when}", stacks.who_line(reports)
                )
            ),
        }

    def entry(self, line: Html) -> int:
        """Add an event's line in the list of a stack (markup built by :mod:`.stacks`); its index."""
        self.entries.append(line)
        return len(self.entries) - 1

    def tables(self) -> dict:
        """What the browser needs besides the features."""
        return {
            "strings": self.strings,
            "records": self.records,
            "entries": self.entries,
            "limit": POPUP_LIMIT,
        }


def events_layer(
    flat: pd.DataFrame, occupied: set[tuple[float, float]] | None = None
) -> tuple[folium.FeatureGroup, list[str], int]:
    """Events as typed symbols with a dashed circle for their location precision.

    ``occupied``: points where another symbol stands (base sites); events there ring round it.
    """
    group = folium.FeatureGroup(name=LAYER_NAMES["events"], show=True)
    text = EventText()
    features, unplaced = event_features(flat, text, occupied)
    options = {
        "text": text.tables(),
        "size": styles.EVENT_SIZE,
        "cluster": len(features) > styles.CLUSTER_THRESHOLD,
        "dash": styles.UNCERTAINTY_DASH,
        "uncertaintyOpacity": styles.UNCERTAINTY_OPACITY,
    }
    JsLayer("points", collection(features), options, name="events").add_to(group)
    types = list(dict.fromkeys(flat.loc[flat["kind"] == "event", "type"]))
    return group, types, unplaced
