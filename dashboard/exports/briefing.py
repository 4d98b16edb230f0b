"""What a briefing export shows, and the map page it is drawn from.

A :class:`Briefing` holds what the user chose: filters, title, subtitle, "as of", caveat, picture size
and density, and the framing (centre and zoom, or a bounding box). :func:`map_page` draws the map with
the app's own builder (:func:`dashboard.mapping.build_standalone_map`, same layers, styles, title
block, legend, scale bar, north arrow and sources) and adds what only exports need, by composing
elements onto the returned ``folium.Map``:

* the caveat or classification banner, top and bottom, the map's controls moved clear of it;
* a Content-Security-Policy that lets the page load nothing from any network;
* the briefing's title as the page's ``<title>``;
* for a picture, no zoom buttons or layer switcher (they do nothing on a slide);
* a script that sets ``window.__dmReady`` once the map and its layers are drawn.

Every piece of text is escaped with :func:`dashboard.mapping.text.esc`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import folium
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from dashboard.mapping import (
    DEFAULT_SUBTITLE,
    DEFAULT_TITLE,
    MapOptions,
    build_standalone_map,
    render_html,
    styles,
)
from dashboard.mapping.text import esc
from dashboard.model import Dataset, Filters
from dashboard.wording import CUTOFF_LABEL, filter_summary, filter_window, information_cutoff

#: Named picture sizes in CSS pixels (multiplied by the scale): a 16:9 slide and A4 landscape at 150 dpi.
SIZES: dict[str, tuple[int, int]] = {"slide": (1920, 1080), "a4": (1754, 1240)}
SCALES = (1, 2)
#: Smallest and largest picture side accepted, in CSS pixels.
MIN_SIDE, MAX_SIDE = 200, 4000
#: Longest caveat, title or subtitle kept (a banner is one line; a title a line or two).
MAX_TEXT = 300

#: Only what is inlined in the page may load: no request leaves it, whatever the data holds.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' data:; style-src 'unsafe-inline' data:; "
    "img-src data:; font-src data:; connect-src 'none'; frame-src 'none'; form-action 'none'; "
    "base-uri 'none'"
)

BANNER_HEIGHT = 26  # CSS pixels, top and bottom


@dataclass(frozen=True)
class Briefing:
    """One export's choices. ``center``/``zoom`` frame the map unless ``bbox`` is given.

    ``bbox`` is (west, south, east, north) in degrees; ``size`` is (width, height) in CSS pixels and
    ``scale`` the device pixel ratio (1 or 2), so a PNG has ``size * scale`` pixels.
    """

    filters: Filters = field(default_factory=Filters)
    title: str = DEFAULT_TITLE
    subtitle: str = DEFAULT_SUBTITLE
    caveat: str = ""
    as_of: datetime | None = None
    size: tuple[int, int] = SIZES["slide"]
    scale: int = 1
    center: tuple[float, float] = styles.DEFAULT_CENTER
    zoom: int = styles.DEFAULT_ZOOM
    bbox: tuple[float, float, float, float] | None = None
    figure: str = "latest"
    figure_claimant: str | None = None
    present: bool = False  # the builder's large type, for slides
    title_block: bool = True  # False where the page around the picture carries the title (the slide)
    #: Frame the map on what the records name, clear of the panels (``center``/``zoom`` then only
    #: place the map before it frames itself), with a locator inset. False: exactly centre and zoom.
    fit: bool = False
    #: Type scale of the picture: None grows with its size (1 up to 1280 x 720); a number fixes it.
    type_scale: float | None = None

    def __post_init__(self) -> None:
        width, height = self.size
        if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
            raise ValueError(f"size: {width}x{height} is outside {MIN_SIDE}..{MAX_SIDE} pixels a side")
        if self.scale not in SCALES:
            raise ValueError(f"scale: {self.scale} is not one of {', '.join(map(str, SCALES))}")
        lat, lon = self.center
        if not (-85 <= lat <= 85 and -180 <= lon <= 180):
            raise ValueError(f"center: ({lat}, {lon}) is not a latitude, longitude pair")
        if not styles.MIN_ZOOM <= self.zoom <= styles.MAX_ZOOM:
            raise ValueError(f"zoom: {self.zoom} is outside {styles.MIN_ZOOM}..{styles.MAX_ZOOM}")
        if self.bbox is not None:
            check_bbox(self.bbox)
        for name in ("title", "subtitle", "caveat"):
            if len(getattr(self, name)) > MAX_TEXT:
                raise ValueError(f"{name}: longer than {MAX_TEXT} characters")

    def stamped(self) -> Briefing:
        """This briefing with ``as_of`` set to now (UTC) when it was not given."""
        return self if self.as_of is not None else replace(self, as_of=datetime.now(UTC))

    @property
    def pixels(self) -> tuple[int, int]:
        """Width and height of the picture in device pixels."""
        return self.size[0] * self.scale, self.size[1] * self.scale


def check_bbox(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """``bbox`` if it is (west, south, east, north) in degrees with west < east and south < north."""
    west, south, east, north = (float(v) for v in bbox)
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError("bbox: give four finite numbers")
    if not (-180 <= west < east <= 180 and -85 <= south < north <= 85):
        raise ValueError(
            f"bbox: {west},{south},{east},{north} is not west,south,east,north in degrees "
            "(west < east, south < north)"
        )
    return west, south, east, north


_SIZE = re.compile(r"\s*(\d+)\s*[x×]\s*(\d+)\s*")


def parse_size(text: str) -> tuple[int, int]:
    """ "slide", "a4" or "WIDTHxHEIGHT" (the screen's size) -> (width, height) in CSS pixels."""
    key = text.strip().casefold()
    if key in SIZES:
        return SIZES[key]
    match = _SIZE.fullmatch(text)
    if not match:
        raise ValueError(f"size: {text!r} is not 'slide', 'a4' or WIDTHxHEIGHT (such as 1280x800)")
    return int(match.group(1)), int(match.group(2))


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """ "west,south,east,north" in degrees -> a checked tuple."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4:
        raise ValueError(f"bbox: {text!r} is not west,south,east,north")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError as exc:
        raise ValueError(f"bbox: {text!r} holds something that is not a number") from exc
    return check_bbox(values)  # type: ignore[arg-type]


def as_of_text(when: datetime) -> str:
    """ "25 May 2024, 14:03 UTC" (the time the export was made, to the minute)."""
    when = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    return f"{when.day} {when.strftime('%B %Y, %H:%M')} UTC"


def map_options(briefing: Briefing, picture: bool = False) -> MapOptions:
    """The builder's options for this briefing (title, "as of", framing, large type).

    A fitted briefing frames the data clear of the panels with type that grows with the picture; a
    picture has no fold toggle on its legend. A picture at a given centre and zoom shows exactly that
    view; a page a reader opens (``picture=False``, the HTML export) keeps the view inside the basemap
    in a window of any size, as the app does: never zoomed out or panned past the basemap's edge.
    """
    briefing = briefing.stamped()
    fitted = briefing.fit and briefing.bbox is None
    return MapOptions(
        frame="data" if fitted else "fixed",
        bounded=fitted or not picture,
        picture=picture,
        scale=(briefing.type_scale or True) if fitted else False,
        figure=briefing.figure,
        figure_claimant=briefing.figure_claimant,
        title=briefing.title,
        subtitle=briefing.subtitle,
        as_of=as_of_text(briefing.as_of),
        present=briefing.present,
        center=briefing.center,
        zoom=briefing.zoom,
        title_block=briefing.title_block,
    )


def about(
    briefing: Briefing, ds: Dataset, flat_all: pd.DataFrame, flat: pd.DataFrame | None = None
) -> dict[str, str]:
    """Label -> plain text describing an export: title, as of, information cutoff (the newest source
    among ``flat``, the rows exported), window, filters, caveat (for tables)."""
    briefing = briefing.stamped()
    summary = filter_summary(briefing.filters, ds)
    return {
        "Title": briefing.title,
        "Subtitle": briefing.subtitle,
        "As of": as_of_text(briefing.as_of),
        CUTOFF_LABEL: information_cutoff(flat) if flat is not None else "",
        "Reports dated": filter_window(briefing.filters, flat_all),
        "Filters": "; ".join(summary) if summary else "none",
        "Caveat": briefing.caveat,
    }


class ReadyFlag(MacroElement):
    """Sets ``window.__dmReady`` once the map is ready, its tile layers (if any) loaded, and painted."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var pending = 0;
            function painted() {
                requestAnimationFrame(function () { requestAnimationFrame(function () {
                    window.__dmReady = true;
                }); });
            }
            function settle() { if (pending === 0) { painted(); } }
            map.eachLayer(function (layer) {
                if (layer instanceof L.GridLayer && layer.isLoading && layer.isLoading()) {
                    pending += 1;
                    layer.once("load", function () { pending -= 1; settle(); });
                }
            });
            map.whenReady(settle);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ready_flag"


def _banner_css(picture: bool) -> str:
    hide = ".leaflet-control-zoom, .leaflet-control-layers { display: none !important; }" if picture else ""
    return (
        "<style>"
        f".dm-caveat {{ position: fixed; left: 0; right: 0; height: {BANNER_HEIGHT}px; z-index: 2000; "
        f"line-height: {BANNER_HEIGHT}px; text-align: center; font: 700 14px {styles.FONT_FAMILY}; "
        "letter-spacing: 0.08em; text-transform: uppercase; color: #ffffff; background: #8b1a1a; "
        "overflow: hidden; white-space: nowrap; text-overflow: ellipsis; padding: 0 12px; }"
        ".dm-caveat-top { top: 0; } .dm-caveat-bottom { bottom: 0; }"
        f"body.dm-has-caveat .folium-map {{ top: {BANNER_HEIGHT}px !important; "
        f"height: calc(100% - {2 * BANNER_HEIGHT}px) !important; }}"
        f"{hide}</style>"
    )


def decorate(m: folium.Map, briefing: Briefing, picture: bool) -> folium.Map:
    """Add the export-only elements to a map made by the builder (see the module docstring)."""
    root = m.get_root()
    root.header.add_child(
        Element(f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'), name="dm_csp", index=0
    )
    root.header.add_child(Element(_banner_css(picture)), name="dm_export_css")
    # The page's <title> (browser tab, bookmarks, the file's name when saved), after the charset
    # declaration, which a browser looks for in the first 1,024 bytes.
    names = list(root.header._children)
    after = names.index("meta_http") + 1 if "meta_http" in names else len(names)
    title = esc(briefing.title.strip() or DEFAULT_TITLE)
    root.header.add_child(Element(f"<title>{title}</title>"), name="dm_title", index=after)
    if briefing.caveat.strip():
        text = esc(briefing.caveat.strip())
        root.html.add_child(
            Element(f'<div class="dm-caveat dm-caveat-top" role="note">{text}</div>'), name="dm_caveat_top"
        )
        root.html.add_child(
            Element(f'<div class="dm-caveat dm-caveat-bottom" role="note">{text}</div>'),
            name="dm_caveat_bottom",
        )
        root.html.add_child(
            Element("<script>document.body.classList.add('dm-has-caveat');</script>"), name="dm_caveat_flag"
        )
    if briefing.bbox is not None:
        west, south, east, north = briefing.bbox
        m.fit_bounds([[south, west], [north, east]])
    ReadyFlag().add_to(m)
    return m


def add_locator(m: folium.Map, ds: Dataset, corner: str = "topright") -> None:
    """The locator inset in a corner of the map, its frame kept on the map's bounds."""
    from dashboard.exports.locator import locator
    from dashboard.mapping.elements import Panel
    from dashboard.mapping.text import html

    made = locator(ds)
    if made is None:
        return
    svg, projection = made
    body = html("{}<div class='dm-locator-caption'>Where the map lies</div>", svg)
    Panel(body, corner, "dm-locator", locator=projection).add_to(m)


def map_page(
    ds: Dataset, flat_all: pd.DataFrame, flat: pd.DataFrame, briefing: Briefing, picture: bool = False
) -> str:
    """The complete, self-contained HTML page of the briefing's map (assets inlined, no network).

    ``flat`` must already be filtered by ``briefing.filters`` (the builder shows what it is given and
    uses the filters for the title block). ``picture=True`` hides the interactive controls.
    """
    options = map_options(briefing, picture=picture)
    m = build_standalone_map(ds, flat_all, flat, briefing.filters, options, inline=True)
    if options.frame == "data" and picture:
        # Top right under the north arrow; top left when the picture has no title block (the slide).
        add_locator(m, ds, "topright" if briefing.title_block else "topleft")
    return render_html(decorate(m, briefing, picture))


def html_bytes(ds: Dataset, flat_all: pd.DataFrame, flat: pd.DataFrame, briefing: Briefing) -> bytes:
    """The standalone HTML export: popups, layer control and legend kept; opens from a file offline."""
    return map_page(ds, flat_all, flat, briefing, picture=False).encode("utf-8")
