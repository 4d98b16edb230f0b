"""Colours, symbols and sizes of the map, in one place.

Plain values (hex colours, numbers, shape names) so that the Leaflet map and a static matplotlib
rendering of the same layers draw alike. ``MPL_MARKERS`` maps each shape to a matplotlib marker code.
"""

from __future__ import annotations

# Basemap ---------------------------------------------------------------------------------------------
WATER = "#cfe0ea"  # map background: everything that is not land
LAND = "#f4f1ea"
LAND_FOCUS = "#fbfaf6"  # Afghanistan and its northern neighbours, slightly lighter
COUNTRY_LINE = "#8c8c8c"
COUNTRY_LINE_WEIGHT = 1.2
PROVINCE_LINE = "#a89f8f"
PROVINCE_LINE_WEIGHT = 0.8
PROVINCE_DASH = "4 3"
RIVER = "#6fa8cf"
RIVER_WEIGHT = 1.4
LABEL_COUNTRY = "#5b5b5b"
LABEL_PROVINCE = "#7a6f5d"
FOCUS_COUNTRIES = ("AFG", "TJK", "UZB", "KGZ", "TKM", "PAK")

# Provinces shaded by reported strength ---------------------------------------------------------------
#: Class breaks (lower bounds) of the figure shown, and one colour per class (light to dark).
STRENGTH_BREAKS: tuple[float, ...] = (0, 100, 500, 1_000, 2_500, 5_000)
STRENGTH_COLOURS: tuple[str, ...] = ("#fff3c4", "#fdd17e", "#fca55d", "#f1703f", "#d63c2f", "#9e1a1a")
STRENGTH_OPACITY = 0.6
NO_FIGURE_FILL = "#ffffff"  # a province named by no strength figure in the window stays unshaded
STRENGTH_LINE = "#6b4e2e"
#: A figure given for several provinces together: one dashed outline round the group, hatched in the
#: figure's class colour, and one label (dashboard/mapping/shared.py).
GROUP_LINE_WEIGHT = 3.0
GROUP_DASH = "8 5"
#: Where a group's label goes (province ids in name order -> lat, lon); else inside the group.
GROUP_LABEL_AT: dict[tuple[str, ...], tuple[float, float]] = {
    ("badakhshan", "kunduz", "takhar"): (35.95, 70.3),
}

#: A selected country or province (or the country a selected record names) is outlined so.
HIGHLIGHT_STYLE = {
    "color": "#1a73e8",
    "weight": 3.0,
    "opacity": 1.0,
    "fillColor": "#1a73e8",
    "fillOpacity": 0.08,
}

# Borders of interest -----------------------------------------------------------------------------------
BORDER_COLOURS: dict[str, str] = {"afg-tjk-border": "#7a1f7a", "afg-uzb-border": "#1f5f7a"}
BORDER_DEFAULT = "#555555"
BORDER_WEIGHT = 4.0
#: Where each border's label sits: a fraction of the way along the drawn line, and on which side
#: (CSS class), chosen to keep clear of the province and town names south of the border.
#: Kept for callers that place labels themselves; the map uses ``BORDER_LABEL_LEADER``.
BORDER_LABEL_AT: dict[str, tuple[float, str]] = {
    "afg-tjk-border": (0.3, "dm-pos-above"),
    "afg-uzb-border": (0.0, "dm-pos-above"),
}
#: Border labels on the map: anchored to a point of the line (a fraction of the way along it, from
#: its first vertex) away from towns, with the label box offset by (dx, dy) CSS pixels and a leader
#: line back to the anchor. The Tajik–Afghan label sits over Gorno-Badakhshan north of the Wakhan,
#: the Uzbek–Afghan one over the plain north-west of Termez: both places the map leaves empty.
BORDER_LABEL_LEADER: dict[str, tuple[float, int, int]] = {
    "afg-tjk-border": (0.12, 20, -62),
    "afg-uzb-border": (0.55, -55, -58),
}

# Place names ------------------------------------------------------------------------------------------
#: Province names go where no town's name is (the data's point for a province is near its capital).
PROVINCE_LABEL_AT: dict[str, tuple[float, float]] = {
    "kunduz": (36.45, 68.62),
    "takhar": (36.25, 69.78),
    "badakhshan": (36.5, 71.05),
    "khatlon": (38.12, 69.72),
    "gorno-badakhshan": (38.5, 73.6),
}
#: Towns whose name goes left of the dot, clear of a neighbour's name on its right.
CITY_LABEL_LEFT: tuple[str, ...] = ("kunduz-city",)

# Fixed installations (the 201st base's sites) --------------------------------------------------------------
BASE_COLOUR = "#1d3557"
BASE_SHAPE = "square"
BASE_SIZE = 16
#: Base sites are drawn above event symbols (Leaflet's marker z-index offset).
BASE_Z_OFFSET = 1000
#: A base site's map label; ``site`` is the place in its name's parenthesis ("Dushanbe").
BASE_LABEL = "201st base — {site}"
#: Base labels that go left of the symbol (else right, clear of the events that ring round it; a town
#: at the base's point is named by the base's label).
BASE_LABEL_LEFT: tuple[str, ...] = ()

# Events ---------------------------------------------------------------------------------------------
#: Event type -> (shape, colour, label). Shapes are drawn as inline SVG on the map.
EVENT_SYMBOLS: dict[str, tuple[str, str, str]] = {
    "meeting": ("circle", "#1f77b4", "Meeting"),
    "exercise": ("triangle", "#2ca02c", "Military exercise"),
    "border_incident": ("star", "#d62728", "Border incident"),
    "designation_change": ("diamond", "#9467bd", "Designation change"),
    "programme_milestone": ("hexagon", "#8c564b", "Programme milestone"),
    "statement": ("pentagon", "#e377c2", "Statement"),
    "report": ("square", "#7f7f7f", "Report"),
    "treaty": ("cross", "#bcbd22", "Treaty"),
    "withdrawal": ("triangle-down", "#17becf", "Withdrawal"),
    "security_incident": ("star", "#ff7f0e", "Security incident"),
    "founding": ("diamond", "#bcbd22", "Founding"),
}
EVENT_DEFAULT = ("circle", "#444444", "Other event")
EVENT_SIZE = 18
#: Above this many event markers the layer clusters them (a browser cannot keep 10,000 DOM icons smooth).
CLUSTER_THRESHOLD = 400

#: UCDP-style location precision -> radius (km) of the dashed circle drawn around the marker.
#: 1 = exact place, no circle; 2-4 a circle as wide as the area the report names. From 5 (a border, a
#: part of a country, a whole country) a circle would cover the map, so the symbol gets a dashed ring.
PRECISION_RADIUS_KM: dict[int, float] = {1: 0, 2: 25, 3: 50, 4: 110, 5: 0, 6: 0, 7: 0}
VAGUE_PRECISION = 5
PRECISION_LABELS: dict[int, str] = {
    1: "exact place",
    2: "within ~25 km",
    3: "district level",
    4: "province level",
    5: "part of a country, or along a border or river",
    6: "country level (or several countries)",
    7: "international waters or air space",
}
UNCERTAINTY_DASH = "5 5"
UNCERTAINTY_OPACITY = 0.0

#: Matplotlib marker codes for the same shapes.
MPL_MARKERS: dict[str, str] = {
    "circle": "o",
    "square": "s",
    "triangle": "^",
    "triangle-down": "v",
    "diamond": "D",
    "star": "*",
    "hexagon": "h",
    "pentagon": "p",
    "cross": "P",
}

# Map frame -----------------------------------------------------------------------------------------
#: What every framed view shows clear of the map's panels (dashboard/mapping/presentation.py): the
#: three provinces and the Tajik–Afghan border; the Uzbek–Afghan border when there is room.
FOCUS_PROVINCES: tuple[str, ...] = ("badakhshan", "kunduz", "takhar")
FOCUS_BORDERS: tuple[str, ...] = ("afg-tjk-border",)
NEAR_BORDERS: tuple[str, ...] = ("afg-uzb-border",)
#: Zoom steps: presentation mode and pictures fit the frame to any screen in quarter steps; the
#: explore view keeps whole zoom levels (its links carry a whole number).
PRESENT_ZOOM_SNAP = 0.25
#: The focus area: Badakhshan, Kunduz and Takhar, the Tajik–Afghan and Uzbek–Afghan borders, Dushanbe
#: and Bokhtar, as (west, south, east, north).
FOCUS_BOUNDS = (66.5, 35.4, 74.9, 38.7)
#: The explore view (a map ~1,100 × 700 px beside the side panel at 1920 × 1080): the focus area,
#: centred, at zoom 7 (~760 × 370 px), clear of the title block above and the legend button below.
DEFAULT_CENTER = (37.1, 70.7)
DEFAULT_ZOOM = 7
#: Presentation mode and full-screen pictures (~1,900 × 820 px or more): the focus area at zoom 8
#: (~1,520 × 740 px), as far north as keeps Badakhshan's southern tip in view, so that the legend
#: fits over Balkh below the Uzbek–Afghan border and the title block west of Dushanbe.
PRESENT_CENTER = (37.17, 70.25)
PRESENT_ZOOM = 8
MIN_ZOOM = 3
MAX_ZOOM = 12
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def strength_colour(value: float | None) -> str:
    """The class colour of a figure (``NO_FIGURE_FILL`` when there is none)."""
    if value is None:
        return NO_FIGURE_FILL
    colour = STRENGTH_COLOURS[0]
    for lower, candidate in zip(STRENGTH_BREAKS, STRENGTH_COLOURS, strict=True):
        if value >= lower:
            colour = candidate
    return colour


def strength_classes() -> list[tuple[str, str]]:
    """(label, colour) per class for the legend: "0–99", "100–499", ..., "5,000 or more"."""
    out = []
    for i, (lower, colour) in enumerate(zip(STRENGTH_BREAKS, STRENGTH_COLOURS, strict=True)):
        if i + 1 < len(STRENGTH_BREAKS):
            out.append((f"{lower:,.0f}–{STRENGTH_BREAKS[i + 1] - 1:,.0f}", colour))
        else:
            out.append((f"{lower:,.0f} or more", colour))
    return out


def event_symbol(event_type: str) -> tuple[str, str, str]:
    """(shape, colour, label) of an event type."""
    return EVENT_SYMBOLS.get(event_type, EVENT_DEFAULT)
