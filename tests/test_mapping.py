"""Map builders, tested by rendering the map's HTML: offline assets, layers, legend, escaping."""

from __future__ import annotations

import re

import factory
import pandas as pd
import pytest

from dashboard import assets, wording
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.mapping import MapOptions, build_map_parts, build_standalone_map, render_html
from dashboard.mapping.basemap import map_name, place_labels
from dashboard.mapping.layers import EventText, event_features
from dashboard.mapping.strength import province_figures
from dashboard.mapping.text import Html, esc, html, join, visible
from dashboard.model import Filters
from dashboard.wording import format_date, format_figure

PAYLOAD = "<img src=x onerror=alert(1)>${alert(2)}"


def xss_tables() -> tuple[dict, dict]:
    """Factory tables whose quote, subject and event title carry script; the document contains the quote."""
    tables = factory.base_tables()
    texts = dict(factory.TEXTS)
    texts["d001"] = texts["d001"] + f"Someone wrote {PAYLOAD} here.\n"
    tables["reports"][1]["quote"] = PAYLOAD
    tables["claims"][1]["subject"] = PAYLOAD
    tables["events"][0]["title"] = PAYLOAD
    tables["actors"][0]["name"] = PAYLOAD
    return tables, texts


def with_measured_border() -> dict:
    """The factory's GeoJSON with a measured length on the border and a Badakhshan polygon."""
    geo = factory.base_geojson()
    geo["borders.geojson"]["features"][0]["properties"]["length_km_measured"] = 1171.6
    geo["provinces.geojson"] = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "badakhshan",
                "properties": {"name": "Badakhshan"},
                "geometry": {"type": "Polygon", "coordinates": [factory.box_ring(70.0, 36.0, 74.9, 37.4)]},
            }
        ],
    }
    return geo


def border_claim() -> dict:
    return {
        "id": "c004",
        "topic": "border_length",
        "subject": "Length of the border",
        "figure_best": "1300",
        "figure_qualifier": "exact",
        "unit": "km",
        "figure_text": "1,300 km",
        "places": "afg-tjk-border",
        "date": "2023-11",
        "date_precision": "month",
        "date_qualifier": "as_of",
        "date_basis": "Article of November 2023.",
        "claimant": "minister",
        "stance": "assertion",
    }


@pytest.fixture
def rich(make_data):
    """The tiny dataset plus a border-length claim, a measured border and a province polygon."""
    tables = factory.base_tables()
    tables["claims"].append(border_claim())
    tables["reports"].append(
        {
            "id": "r007",
            "document": "d001",
            "record_kind": "claim",
            "record_id": "c004",
            "quote": "about 4,000 fighters are in Badakhshan",
        }
    )
    ds = load_dataset(*make_data(tables=tables, geojson=with_measured_border()))
    return ds, flat_reports(ds)


def decoded(html: str) -> str:
    """The page with JSON's \\uXXXX escapes undone: what Leaflet hands to innerHTML."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)


def page(ds, flat, filters: Filters | None = None, **options) -> str:
    """The standalone map's page, JSON escapes undone."""
    return decoded(
        render_html(
            build_standalone_map(ds, flat, flat, filters or Filters(), MapOptions(**options), inline=False)
        )
    )


def external_links(html: str) -> list[str]:
    return [
        u
        for u in re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html)
        if not u.startswith("/app/static/")
    ]


def test_served_map_links_only_the_apps_own_files(rich):
    html = page(*rich)
    assert external_links(html) == []
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "/app/static/dashboard-map.js" in html
    assert "cdn" not in html.lower() and "tile.openstreetmap" not in html


def test_online_tiles_only_on_request_and_switched_off(rich):
    assert "tile.openstreetmap.org" not in page(*rich)
    html = page(*rich, online_tiles=True)
    assert "tile.openstreetmap.org" in html
    assert re.search(r"tile_layer_\w+\s*=\s*L\.tileLayer", html)
    assert not re.search(r"tile_layer_\w+\.addTo\(", html)  # added to the control, not to the map


def test_inline_map_has_no_link_at_all(rich):
    ds, flat = rich
    html = render_html(build_standalone_map(ds, flat, flat, Filters(), MapOptions(), inline=True))
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html)
    assert links and all(link.startswith("data:") for link in links)
    assert "url(images/" not in html  # leaflet.css images inlined too


def test_layers_are_drawn_with_the_data(rich):
    html = page(*rich)
    for name in (
        "Provinces: reported strength",
        "Borders: reported and measured length",
        "201st base sites",
        "Events by type",
        "Basemap: countries, provinces, rivers (Natural Earth)",
    ):
        assert name in html
    assert html.count("DashMap.points(") == 2  # bases and events
    assert '\\"kind\\": \\"event\\"' in html or '"kind": "event"' in html
    assert "L.control.scale" in html
    assert ".setMaxZoom(12)" in html  # MarkerCluster needs it when there are no tiles


def test_border_label_gives_reported_and_measured_lengths(rich):
    html = page(*rich)
    assert "Reported: 1,300 km (Outlet B)" in html
    assert "Measured on the drawn line: 1,172 km" in html


def test_border_label_says_when_no_length_is_reported_in_the_window(rich):
    ds, flat = rich
    html = decoded(
        render_html(
            build_standalone_map(ds, flat, flat[flat["id"] != "c004"], Filters(), MapOptions(), inline=False)
        )
    )
    assert "Reported: none in the window" in html
    assert "Measured on the drawn line: 1,172 km" in html


def test_title_block_has_window_as_of_and_filters(rich):
    ds, flat = rich
    filters = Filters(start="2023-05", claimant=("minister",))
    html = page(ds, flat, filters, title="Briefing map", subtitle="Northern provinces", as_of="1 June 2024")
    assert "Briefing map" in html and "Northern provinces" in html
    assert "May 2023 – " in html and "As of:</b> 1 June 2024" in html
    assert "Claimant: A. Minister" in html


def test_filter_window_spans_date_and_date_end():
    flat = pd.DataFrame(
        {
            "date": ["1992-05-15", "2023-05", "2027", None, "not a date"],
            "date_end": [None, "", "2029", "2029-06", None],
        }
    )
    assert wording.data_span(flat) == ("1992-05-15", "2029")  # "2029" ends after June 2029
    assert wording.filter_window(Filters(), flat) == "all (15 May 1992 – 2029)"
    assert wording.filter_window(Filters(start="2023-05"), flat) == "May 2023 – 2029"
    assert wording.filter_window(Filters(end="2024"), flat) == "15 May 1992 – 2024"
    empty = pd.DataFrame({"date": pd.Series(dtype=object), "date_end": pd.Series(dtype=object)})
    assert wording.filter_window(Filters(), empty) == "all"


def test_title_block_says_all_dates_when_no_date_filter(rich):
    ds, flat = rich
    html = page(ds, flat)
    assert "Reports dated:</b> all (" in html


def test_sources_line_names_the_documents_and_the_basemap(rich):
    html = page(*rich)
    assert "Outlet A (May 2023)" in html and "Outlet B (November 2023)" in html
    assert "Natural Earth" in html and "GeoNames (CC BY 4.0)" in html


def test_legend_says_which_figure_shades_the_provinces(rich):
    ds, flat = rich
    assert "latest figure reported in the window" in page(ds, flat)
    assert "highest figure reported in the window" in page(ds, flat, figure="highest")
    assert "latest figure claimed by A. Minister" in page(
        ds, flat, figure="claimant", figure_claimant="minister"
    )


def test_province_figures_by_mode(rich):
    ds, flat = rich
    extra = flat[flat["id"] == "c002"].copy()
    extra["id"], extra["figure_best"], extra["date"], extra["claimant"] = "c099", 900.0, "2024-01", "taliban"
    both = pd.concat([flat, extra], ignore_index=True)
    provinces = pd.DataFrame({"id": ["badakhshan"], "name": ["Badakhshan"]})
    latest = province_figures(both, provinces, "latest")["badakhshan"]
    assert (latest.value, latest.chosen["id"]) == (900.0, "c099")
    assert (latest.low, latest.high) == (900.0, 4000.0)
    assert province_figures(both, provinces, "highest")["badakhshan"].value == 4000.0
    assert province_figures(both, provinces, "claimant", "minister")["badakhshan"].chosen["id"] == "c002"
    assert province_figures(both, provinces, "claimant", "nobody") == {}


def test_country_wide_figure_shades_no_province(rich):
    ds, flat = rich
    only_region = flat[flat["id"] == "c001"]  # "northern areas": no province named
    provinces = pd.DataFrame({"id": ["badakhshan"], "name": ["Badakhshan"]})
    assert province_figures(only_region, provinces) == {}


def test_events_show_their_location_precision(rich):
    _, flat = rich
    features, unplaced = event_features(flat)
    assert unplaced == 0
    props = {f["properties"]["id"]: f["properties"] for f in features}
    assert props["e001"]["radius_m"] == 0 and props["e001"]["vague"] is False  # an exact place
    assert props["e002"]["vague"] is True  # placed only by a border
    assert props["e001"]["shape"] != props["e002"]["shape"]


def test_events_sharing_a_point_are_spread(rich):
    _, flat = rich
    twin = flat[flat["id"] == "e001"].copy()
    twin["id"] = "e099"
    features, _ = event_features(pd.concat([flat, twin], ignore_index=True))
    slots = sorted(f["properties"]["slot"] for f in features if f["properties"]["id"] in ("e001", "e099"))
    assert slots == [0, 1]


def test_article_text_reaches_the_map_escaped(make_data):
    tables, texts = xss_tables()
    ds = load_dataset(*make_data(tables=tables, texts=texts, geojson=with_measured_border()))
    flat = flat_reports(ds)
    parts = build_map_parts(ds, flat, flat, Filters(), MapOptions())
    html = page(ds, flat)
    assert "<img" not in html and "${alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;&#36;&#123;alert(2)&#125;" in html
    for group in parts.layers:  # what the app sends through feature_group_to_add
        parts.base.add_child(group)
    app_page = decoded(render_html(parts.base))
    assert "<img" not in app_page and "${alert" not in app_page


def test_esc_escapes_html_and_template_syntax():
    assert esc(PAYLOAD) == "&lt;img src=x onerror=alert(1)&gt;&#36;&#123;alert(2)&#125;"
    assert esc("`a`") == "&#96;a&#96;" and esc(None) == "" and esc(float("nan")) == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("2023-05", "month"), "May 2023"),
        (("2023", "year", "before"), "before 2023"),
        (("2023-05-25", "day", "as_of"), "as of 25 May 2023"),
        (("2026", "year", "about", "2027"), "about 2026 – 2027"),
        (("",), "date unknown"),
    ],
)
def test_dates_are_never_more_precise_than_their_source(args, expected):
    assert format_date(*args) == expected


def test_figures_keep_their_wording():
    assert format_figure(None, 4000, None, "approximately", "fighters") == "about 4,000 fighters"
    assert format_figure(6000, None, 6500, "range", "fighters") == "6,000–6,500 fighters"
    assert format_figure(20, None, None, "more_than", "organisations") == "more than 20 organisations"
    assert format_figure(None, None, 6500, "up_to", "members") == "up to 6,500 members"
    assert format_figure(None, None, None) == ""


def test_install_assets_copies_every_file(tmp_path):
    assert set(assets.missing_assets(tmp_path)) >= {
        "vendor/leaflet/leaflet.js",
        "vendor/jquery/jquery.min.js",
    }
    written = assets.install_assets(tmp_path)
    assert (tmp_path / "vendor/leaflet/images/layers.png").is_file()
    assert [rel for rel in assets.missing_assets(tmp_path) if rel.startswith("vendor/")] == []
    assert assets.install_assets(tmp_path) == []  # up to date: nothing copied again
    assert len(written) >= 10


def test_served_links_follow_the_prefix():
    links = assets.served_links("/tools/app/static/")
    assert links.url("leaflet") == "/tools/app/static/vendor/leaflet/leaflet.js"
    assert all(not url.startswith("http") for _, url in links.js + links.css)


def test_event_text_reaches_the_browser_as_escaped_tables(make_data):
    tables, texts = xss_tables()
    ds = load_dataset(*make_data(tables=tables, texts=texts, geojson=with_measured_border()))
    text = EventText()
    features, _ = event_features(flat_reports(ds), text)
    assert features and all("popup" not in f["properties"] for f in features)
    assert not any("<" in s or "${" in s for s in text.strings)
    first = features[0]["properties"]
    record = text.records[first["r"][0]]
    assert text.strings[record[0]] == "Event" and text.strings[record[1]] == first["id"]
    assert text.strings[record[4]]  # the quote
    assert text.strings[record[8]].startswith(esc(ds.documents["title"].iloc[0])[:10])
    assert len(text.strings) == len(set(text.strings))  # each piece of text once


def test_legend_is_folded_or_open_as_asked(rich):
    ds, flat = rich
    assert "<details open><summary><b>Legend</b>" in page(ds, flat)
    assert "<details><summary><b>Legend</b>" in page(ds, flat, legend_open=False)


def test_place_labels_keep_clear_of_each_other(rich):
    assert map_name("Kunduz (city)", "Kunduz") == "Kunduz"
    assert map_name("Fayzabad (Badakhshan)", "Badakhshan") == "Fayzabad"
    assert map_name("Fayzabad (Faryab)", "Faryab") == "Fayzabad"
    assert map_name("Mazar (north)", "Balkh") == "Mazar (north)"
    ds, _ = rich
    labels = {f["properties"]["html"]: f for f in place_labels(ds)}
    province = next(f for f in labels.values() if f["properties"]["className"] == "dm-label-province")
    assert province["properties"]["html"].startswith("<span>")


def test_border_labels_sit_on_the_line_with_a_leader(rich):
    html = page(*rich)
    assert "dm-has-leader" in html and "dm-leader" in html


def test_money_reads_as_a_reader_would_say_it():
    from dashboard.wording import format_figure

    assert format_figure(None, 9.4e9, None, "approximately", "USD") == "about US$9.4 billion"
    assert format_figure(None, 250_000, None, "exact", "USD") == "US$250,000"
    assert format_figure(1e6, None, 2.5e6, "range", "USD") == "US$1 million–US$2.5 million"
    assert format_figure(None, 4000, None, "exact", "fighters") == "4,000 fighters"


# Escaping by construction --------------------------------------------------------------------------

#: Script, template syntax, backticks and a right-to-left override ("gnp.exe" that reads "exe.png").
HOSTILE = PAYLOAD + "`x`\u202egnp.exe"
#: What :func:`esc` makes of it.
HOSTILE_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;&#36;&#123;alert(2)&#125;&#96;x&#96;\ufffdgnp.exe"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def assert_no_raw_text(text: str) -> None:
    """None of HOSTILE's dangerous pieces survives in ``text`` (HTML as the browser receives it)."""
    assert "<img" not in text and "${" not in text and "`x`" not in text
    assert not any(c in text for c in BIDI), "a bidirectional control reached the page"


def hostile_tables() -> tuple[dict, dict]:
    """Factory tables with HOSTILE in every free-text field the map shows, and a base site."""
    tables = factory.base_tables()
    texts = dict(factory.TEXTS)
    texts["d001"] = texts["d001"] + f"Someone wrote {HOSTILE} here.\n"
    tables["reports"][1]["quote"] = HOSTILE
    for claim in tables["claims"]:
        claim["subject"] = HOSTILE
    for event in tables["events"]:
        event["title"] = HOSTILE
    for actor in tables["actors"]:
        actor["name"], actor["role"] = HOSTILE + actor["id"], HOSTILE
    for group in tables["groups"]:
        group["name"] = HOSTILE + group["id"]
    for document in tables["documents"]:
        document["title"], document["outlet"] = HOSTILE, HOSTILE + document["id"]
    for place in tables["places"]:
        if place["kind"] in ("city", "capital", "border", "country"):
            place["name"] = HOSTILE + place["id"]
    tables["places"].append(
        {
            "id": "base-201",
            "name": HOSTILE,
            "kind": "military_base",
            "country": "TJK",
            "admin1": "Dushanbe",
            "lat": "38.5",
            "lon": "68.8",
            "location_precision": "1",
            "notes": HOSTILE,
        }
    )
    return tables, texts


def let_hostile_text_through(monkeypatch) -> None:
    """Switch off the validator's rule against control and bidirectional characters.

    The validator refuses such data; the display escapes it anyway (defence in depth), and these tests
    check that second line as if a defect had let the first one fail.
    """
    for module in ("dashboard.validate.tables", "dashboard.validate.geojson"):
        monkeypatch.setattr(f"{module}.character_problems", lambda value, multiline=False: [])


@pytest.fixture
def hostile(make_data, monkeypatch):
    """The dataset of :func:`hostile_tables`, loaded, with a measured border and a province polygon."""
    let_hostile_text_through(monkeypatch)
    tables, texts = hostile_tables()
    ds = load_dataset(*make_data(tables=tables, texts=texts, geojson=with_measured_border()))
    return ds, flat_reports(ds)


def html_strings(groups) -> list:
    """Every string the browser will put into innerHTML, from the map's JavaScript layers and panels."""
    from dashboard.mapping.elements import HTML_PROPERTIES, JsLayer, Panel

    found = []
    stack = list(groups)
    while stack:
        element = stack.pop()
        stack.extend(element._children.values())
        if isinstance(element, Panel):
            found.append(element.data)
        elif isinstance(element, JsLayer) and isinstance(element.data, dict):
            for feature in element.data.get("features", []):
                found.extend(feature["properties"][k] for k in HTML_PROPERTIES if k in feature["properties"])
            found.extend(element.options.get("text", {}).get("strings", []))
    return found


def test_esc_neutralises_bidi_controls_and_line_breaks():
    assert esc(HOSTILE) == HOSTILE_ESCAPED
    assert esc(BIDI) == "\ufffd" * len(BIDI)
    # A blank line would end a Markdown HTML block and let Markdown read the rest (presentation notes).
    assert esc("a\n\n![m](http://evil.example/x.png)\r") == "a&#10;&#10;![m](http://evil.example/x.png)&#13;"
    assert visible("exe.\u202egnp") == "exe.\ufffdgnp" and visible(None) == "" and visible(float("nan")) == ""
    assert visible("  ") == "  "  # blank text is still text


def test_html_templates_escape_every_value_and_nest():
    assert html("<b>{}</b> {x}", HOSTILE, x=None) == f"<b>{HOSTILE_ESCAPED}</b> "
    inner = html("<i>{}</i>", "a & b")
    assert html("<p>{}</p>", inner) == "<p><i>a &amp; b</i></p>"  # Html is kept, not escaped twice
    assert isinstance(inner, Html) and isinstance(html("<p>{}</p>", inner), Html)
    assert html("{}", "{0} {x}") == "&#123;0&#125; &#123;x&#125;"  # braces in data are not a template
    assert Html("<br>") + "<img>" == "<br>&lt;img&gt;"  # adding a plain string escapes it
    assert join("<br>", ["<a>", html("<b>{}</b>", 1)]) == "&lt;a&gt;<br><b>1</b>"
    assert html("{:,}", 12345) == "12,345"


def test_map_elements_refuse_html_that_was_not_built_by_html():
    from dashboard.mapping.elements import JsLayer, Panel
    from dashboard.mapping.geo import collection, point_feature

    with pytest.raises(TypeError, match="panel 'dm-title'"):
        Panel(f"<h1>{PAYLOAD}</h1>", "topleft", "dm-title")
    for key in ("tooltip", "popup", "html"):
        with pytest.raises(TypeError, match=f"feature 0 '{key}'"):
            JsLayer("labels", collection([point_feature(37, 70, {key: "<b>x</b>"})]))
    with pytest.raises(TypeError, match="text string 0"):
        JsLayer("points", collection([]), {"text": {"strings": ["<b>x</b>"], "records": []}})
    JsLayer("labels", collection([point_feature(37, 70, {"html": html("<b>{}</b>", PAYLOAD)})]))


def _builders(ds, flat) -> dict:
    """Each HTML builder of the map, called with HOSTILE wherever it takes text."""
    from dashboard.mapping import layers, panels, popups
    from dashboard.mapping.js_symbols import symbol_svg

    row = flat[flat["kind"] == "claim"].iloc[0].to_dict()
    row.update({k: HOSTILE for k in ("id", "subject", "quote", "claimant_name", "claimant_role", "title")})
    row.update(outlet=HOSTILE, document=HOSTILE, relayed_by_names=f"{HOSTILE};{HOSTILE}2")
    figures = province_figures(flat, pd.DataFrame({"id": ["badakhshan"], "name": ["Badakhshan"]}))
    return {
        "record_html": popups.record_html(row),
        "records_popup": popups.records_popup(HOSTILE, [row], intro=HOSTILE),
        "title_html": panels.title_html(HOSTILE, HOSTILE, HOSTILE, HOSTILE, [HOSTILE, HOSTILE]),
        "legend_html": panels.legend_html(HOSTILE, ["meeting", HOSTILE], 2, set(layers.LAYER_NAMES)),
        "sources_html": panels.sources_html(flat),
        "province_tooltip": layers._province_tooltip(HOSTILE, figures["badakhshan"], HOSTILE, flat),
        "province_tooltip_no_figure": layers._province_tooltip(HOSTILE, None, HOSTILE, flat),
        "border_popup": layers._border_popup(HOSTILE, flat, "afg-tjk-border", HOSTILE, HOSTILE),
        "symbol_svg": symbol_svg(HOSTILE, f"#fff' onload='{PAYLOAD}", 14),
        "place_labels": join("", [f["properties"]["html"] for f in place_labels(ds)]),
    }


@pytest.mark.parametrize(
    "name",
    [
        "record_html",
        "records_popup",
        "title_html",
        "legend_html",
        "sources_html",
        "province_tooltip",
        "province_tooltip_no_figure",
        "border_popup",
        "symbol_svg",
        "place_labels",
    ],
)
def test_every_html_builder_escapes_what_it_is_given(hostile, name):
    built = _builders(*hostile)[name]
    assert isinstance(built, Html)
    assert_no_raw_text(str(built))
    if name not in ("symbol_svg",):
        assert HOSTILE_ESCAPED in built or "Natural Earth" in built  # the text is there, escaped


def test_every_string_the_map_hands_to_innerhtml_is_escaped(hostile):
    ds, flat = hostile
    options = MapOptions(figure="claimant", figure_claimant="minister", title=HOSTILE, subtitle=HOSTILE)
    parts = build_map_parts(ds, flat, flat, Filters(claimant=("minister",)), options)
    strings = html_strings([parts.base, *parts.layers])
    assert len(strings) > 20 and all(isinstance(s, Html) for s in strings)
    joined = "".join(strings)
    assert_no_raw_text(joined)
    assert joined.count(HOSTILE_ESCAPED) > 10  # titles, names, quotes, outlets ... shown, escaped
    for group in parts.layers:
        parts.base.add_child(group)
    assert_no_raw_text(decoded(render_html(parts.base)))


def test_standalone_page_shows_no_raw_text(hostile):
    html_page = page(*hostile, title=HOSTILE, subtitle=HOSTILE)
    assert_no_raw_text(html_page)
    assert HOSTILE_ESCAPED in html_page


def test_an_event_is_described_at_its_location_not_the_first_place_it_concerns(make_data):
    tables = factory.base_tables()
    tables["events"][0].update(places="dushanbe;afg-tjk-border", location="afg-tjk-border")
    tables["events"][1]["location"] = ""  # the text names no place: listed, not drawn
    flat = flat_reports(load_dataset(*make_data(tables=tables)))
    text = EventText()
    features, unplaced = event_features(flat, text)
    assert unplaced == 1 and [f["properties"]["id"] for f in features] == ["e001"]
    (feature,) = features
    assert feature["geometry"]["coordinates"] == [69.9, 37.48636]
    assert (
        text.strings[feature["properties"]["pl"]]
        == "Tajik-Afghan border (part of a country, or along a border or river)"
    )
