"""The briefer's picture without a browser: framing points, labels that take no clicks, the 201st base
sites, figures shared by several provinces, the legend's swatches, the information cutoff, the record
manifest, file names, the locator inset, search, comparison, dates and the sidebar's places."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import shapely

from dashboard import wording
from dashboard.exports.briefing import Briefing, map_page
from dashboard.exports.formats import file_name
from dashboard.exports.manifest import manifest, manifest_lines
from dashboard.exports.slide import pdf_bytes, pptx_bytes, slide_content
from dashboard.exports.snapshot import FallbackOnly
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.mapping import (
    MapOptions,
    build_layers,
    build_standalone_map,
    presentation,
    render_html,
    styles,
)
from dashboard.mapping.basemap import place_labels
from dashboard.mapping.layers import base_points, event_features
from dashboard.mapping.panels import legend_html
from dashboard.mapping.strength import group_figures, province_figures
from dashboard.model import Filters
from dashboard.ui.charts import timeline_domain
from dashboard.ui.compare import estimates
from dashboard.ui.dates_panel import LAST_YEAR, cutoff_day, presets
from dashboard.ui.search import search_rows
from dashboard.ui.sidebar import records_count, split_places

NO_BROWSER = FallbackOnly("tests run the static fallback")
STATIC = Path(__file__).resolve().parents[1] / "dashboard" / "static"


@pytest.fixture(scope="module")
def bundled():
    ds = load_dataset()
    return ds, flat_reports(ds)


def js_layers(ds, flat, **options) -> list:
    """Every ``DashMap`` layer element of the filtered layers: (factory, data, options)."""
    from dashboard.mapping.elements import JsLayer

    groups, _ = build_layers(ds, flat, flat, Filters(), MapOptions(**options))
    out, todo = [], list(groups)
    while todo:
        element = todo.pop(0)
        if isinstance(element, JsLayer):
            out.append((element.factory, element.data, element.options))
        todo.extend(element._children.values())
    return out


def features(layers, factory: str) -> list[tuple[list[dict], dict]]:
    """(features, options) of the layers made by one factory."""
    return [(data["features"], options) for name, data, options in layers if name == factory]


def texts(layers) -> str:
    """Every HTML string the layers carry (panels, labels, tooltips)."""
    out = []
    for _, data, _ in layers:
        if isinstance(data, str):
            out.append(str(data))
        elif isinstance(data, dict):
            for f in data.get("features", []):
                out += [str(v) for k, v in f["properties"].items() if k in ("html", "tooltip", "popup")]
    return " ".join(out)


# -- framing -------------------------------------------------------------------------------------------


def test_focus_points_cover_the_three_provinces_inside_and_out(bundled):
    ds, _ = bundled
    points = presentation.focus_points(ds)
    frame = ds.geometry["provinces"].set_index("id")
    for pid in styles.FOCUS_PROVINCES:
        shape = frame.loc[pid].geometry
        inside = [p for p in points["required"] if shape.contains(shapely.Point(p[1], p[0]))]
        assert len(inside) >= 40, pid  # the interior, not only the outline: no panel may sit on it
    base = ds.places.set_index("id").loc["base-201-dushanbe"]
    dushanbe = [round(float(base["lat"]), 4), round(float(base["lon"]), 4)]
    assert dushanbe in points["required"]
    explore = presentation.focus_points(ds, whole=False)
    assert dushanbe in explore["optional"] and dushanbe not in explore["required"]


def test_a_briefing_frames_what_its_records_name(bundled):
    ds, flat = bundled
    kunduz = flat[flat["id"] == "c017"].assign(places="kunduz", provinces="Kunduz")
    points = presentation.data_points(ds, kunduz)
    shape = ds.geometry["provinces"].set_index("id").loc["badakhshan"].geometry
    west, south, east, north = presentation.bbox_of(points)
    assert east < shape.bounds[2]  # Badakhshan's Wakhan is not framed for a Kunduz-only view
    assert presentation.extent(ds) == [29.0, 56.0, 44.0, 80.0]  # south, west, north, east of the basemap


def test_the_map_is_set_up_with_its_extent_and_frame(bundled):
    ds, flat = bundled
    page = render_html(
        build_standalone_map(ds, flat, flat, Filters(), MapOptions(frame="focus", present=True, scale=True))
    )
    setup = json.loads(re.search(r"DashMap\.setup\(\s*\w+, (\{.*?\})\s*\);", page, re.S).group(1))
    assert setup["extent"] == presentation.extent(ds) and setup["fit"]["required"]
    assert '"zoomSnap": 0.25' in page
    assert "dm-present dm-scaled" in page  # type grows with the screen


# -- labels, bases, events -------------------------------------------------------------------------------


def test_labels_carry_no_click_and_sit_in_panes_that_take_none(bundled):
    ds, flat = bundled
    labels = features(js_layers(ds, flat), "labels")
    assert len(labels) >= 3  # borders, bases, the shared figure
    for found, options in labels:
        assert options.get("pane") == "dmBoxes"
        assert all(not {"kind", "tooltip", "popup"} & set(f["properties"]) for f in found)
    js = (STATIC / "dashboard-map.js").read_text()
    assert "interactive: false, keyboard: false" in js
    assert 'boxes.style.pointerEvents = "none"' in js and 'labels.style.pointerEvents = "none"' in js
    assert (
        ".dm-label, .dm-label * { pointer-events: none !important; }"
        in (STATIC / "dashboard-map.css").read_text()
    )


def test_base_sites_are_labelled_and_drawn_above_events(bundled):
    ds, flat = bundled
    layers = js_layers(ds, flat)
    shown = texts(layers)
    assert "201st base — Dushanbe" in shown and "201st base — Bokhtar" in shown
    bases = [o for fs, o in features(layers, "points") if fs[0]["properties"]["kind"] == "base"]
    assert bases and bases[0]["zIndexOffset"] == styles.BASE_Z_OFFSET > 0
    # Events at Dushanbe ring round the base: none takes the centre, where the base symbol is.
    points, _ = event_features(flat, occupied=base_points(ds))
    at_base = [p for p in points if p["geometry"]["coordinates"] == [68.77905, 38.53575]]
    assert at_base and all(f["properties"]["slot"] >= 1 for f in at_base)


def test_two_towns_of_one_name_keep_their_province(bundled):
    ds, _ = bundled
    names = [re.sub(r"<[^>]+>|●", "", f["properties"]["html"]).strip() for f in place_labels(ds)]
    assert "Fayzabad (Badakhshan)" in names and "Fayzabad (Faryab)" in names
    assert "Dushanbe" not in names  # the base's label names it: "201st base — Dushanbe"


# -- honest symbology -------------------------------------------------------------------------------------


def test_a_figure_for_three_provinces_is_one_figure_over_the_group(bundled):
    ds, flat = bundled
    provinces = ds.places[ds.places["kind"] == "province"][["id", "name"]]
    assert province_figures(flat, provinces, alone=True) == {}  # no province has a figure of its own
    assert set(province_figures(flat, provinces)) == {"badakhshan", "kunduz", "takhar"}  # as before
    groups = group_figures(flat, provinces)
    assert [g.province_names for g in groups] == [("Badakhshan", "Kunduz", "Takhar")]
    assert groups[0].value == 4000
    layers = js_layers(ds, flat)
    areas = features(layers, "areas")
    shaded = [f for fs, _ in areas for f in fs if f["properties"].get("kind") == "province"]
    assert shaded and all(f["properties"]["style"]["fillColor"] == styles.NO_FIGURE_FILL for f in shaded)
    hatched = [f for fs, _ in areas for f in fs if f["properties"].get("hatch")]
    assert len(hatched) == 1 and hatched[0]["properties"]["hatch"] == styles.strength_colour(4000)
    assert "<b>4,000 members</b> across Badakhshan, Kunduz and Takhar" in texts(layers)
    takhar = next(f for f in shaded if f["properties"]["id"] == "takhar")
    assert "No strength figure for Takhar alone" in takhar["properties"]["tooltip"]


def test_legend_swatches_are_drawn_as_the_map_draws_the_fill():
    legend = legend_html("latest figure", [], 0, {"provinces"}, shared_figures=(4000.0,))
    for _, colour in styles.strength_classes():
        assert f"<i style='background:{colour}; opacity:{styles.STRENGTH_OPACITY}'>" in legend
    assert "one figure for several provinces together" in legend and "dm-hatch" in legend


# -- dates and the briefing pack -----------------------------------------------------------------------------


def test_information_cutoff_is_the_latest_publication_not_the_clock(bundled):
    ds, flat = bundled
    assert wording.information_cutoff(flat) == "April 2025"
    early = flat[flat["document_id"] == "d000"]
    assert wording.information_cutoff(early) == "May 2023"
    assert wording.information_cutoff(flat.iloc[0:0]) == ""
    shown = texts(js_layers(ds, flat, as_of="1 June 2030"))
    assert "Information cutoff:</b> April 2025" in shown and "As of:</b> 1 June 2030" in shown


def test_record_manifest_gives_each_document_its_sha256_and_records(bundled):
    ds, flat = bundled
    entries = manifest(ds, flat)
    assert [e.document_id for e in entries] == ["d000", "d001", "d002", "d003", "d004"]
    first = entries[0]
    assert first.sha256 == hashlib.sha256((ds.seeds_dir / first.file).read_bytes()).hexdigest()
    assert "c001" in first.records and "e001" in first.records
    lines = manifest_lines(entries)
    assert lines[0].startswith("Record manifest") and f"SHA-256 {first.sha256}" in lines[1]


def test_slide_notes_and_pdf_appendix_carry_the_manifest(bundled):
    import io

    from pptx import Presentation

    ds, flat = bundled
    briefing = Briefing(caveat="UNCLASSIFIED // OPEN SOURCE").stamped()
    content = slide_content(ds, flat, flat, briefing, renderer=NO_BROWSER)
    slide = Presentation(io.BytesIO(pptx_bytes(content))).slides[0]
    notes = slide.notes_slide.notes_text_frame.text
    assert "Record manifest" in notes and manifest(ds, flat)[0].sha256 in notes
    assert "Information cutoff: April 2025" in content.header
    assert "Full references in the notes" not in content.pdf_footnote
    assert "page 2" in content.pdf_footnote and "in the notes" in content.footnote
    data = pdf_bytes(content)
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 2


def test_file_names_carry_the_view_and_the_day():
    view = Briefing(title="Brief", filters=Filters(start="2023-05", province=("Badakhshan", "Kunduz")))
    assert (
        file_name("png", view, made_on=date(2025, 1, 2))
        == "Brief_2023-05_to_end_province-Badakhshan-Kunduz_2025-01-02.png"
    )
    other = Briefing(title="Brief", filters=Filters(type=("meeting",)), figure="highest")
    assert (
        file_name("png", other, made_on=date(2025, 1, 2))
        == "Brief_type-meeting_shaded-highest_2025-01-02.png"
    )
    assert file_name("png", Briefing(title="Brief"), made_on=date(2025, 1, 2)) == "Brief_2025-01-02.png"


def test_a_fitted_picture_has_a_locator_and_no_legend_toggle(bundled):
    ds, flat = bundled
    fitted = map_page(ds, flat, flat, Briefing(fit=True), picture=True)
    assert "dm-locator" in fitted and "Where the map lies" in fitted and "dm-picture" in fitted
    assert ".dm-picture .dm-legend summary { display: none; }" in (STATIC / "dashboard-map.css").read_text()
    screen = map_page(ds, flat, flat, Briefing(), picture=True)  # as on screen: exactly the screen
    assert "dm-locator" not in screen and '"fit"' not in screen


# -- finding, comparing, dates -----------------------------------------------------------------------------


def test_search_finds_every_word_in_quotes_claimants_places_and_groups(bundled):
    ds, flat = bundled
    names = dict(zip(ds.groups["id"], ds.groups["name"], strict=True))
    found = search_rows(flat, "sidorov badakhshan", names)
    assert set(found["id"]) == {"c017"} | set(found["id"]) and "c017" in set(found["id"])
    assert all("Sidorov" in r for r in found["claimant_name"])
    assert set(search_rows(flat, "khorasan", names)["id"]) >= {"c016", "c017"}  # a group's name
    assert len(search_rows(flat, "", names)) == len(flat)
    assert search_rows(flat, "nothing-like-this", names).empty


def test_comparison_puts_each_claim_once_and_tells_parts_from_totals(bundled):
    ds, flat = bundled
    frame = estimates(flat, ds)
    heads = frame[frame["subject"] == "head count"].set_index("claim")
    assert list(frame["claim"]).count("c016") == 1  # members and fighters of one claim: one estimate
    assert heads.loc["c016", "scope"] == "total" and heads.loc["c016", "value"] == 6500
    assert heads.loc["c017", "scope"] == "part" and heads.loc["c017", "value_text"] == "4,000 (part)"
    assert heads.loc["c026", "value"] == 23000 and heads.loc["c030", "scope"] == "part"
    assert heads.loc["c016", "claimant"] == "Anatoly Sidorov"  # names in full


def test_date_presets_end_at_the_information_cutoff(bundled):
    _, flat = bundled
    cutoff = cutoff_day(flat)
    assert cutoff == date(2025, 4, 30)
    choices = presets(date(1992, 5, 15), date(2029, 12, 31), cutoff)
    assert choices[LAST_YEAR] == (date(2024, 4, 30), date(2025, 4, 30))
    assert choices["2023"] == (date(2023, 1, 1), date(2023, 12, 31))
    assert "2029" not in choices  # years after the cutoff are not offered as if reported


def test_timeline_axis_fits_where_the_events_lie():
    starts = [
        pd.Timestamp(d)
        for d in ("1992-05-15", "2022-09-29", "2023-05-25", "2024-01-01", "2024-06-01", "2025-03-01")
    ]
    data = pd.DataFrame({"start": starts, "end": [s + pd.Timedelta(days=1) for s in starts]})
    data.loc[len(data)] = [pd.Timestamp("2029-01-01"), pd.Timestamp("2030-01-01")]
    first, last = timeline_domain(data)
    assert first.year >= 2021 and last.year <= 2025


def test_sidebar_words_and_places(bundled):
    ds, flat = bundled
    one = flat[(flat["id"].isin(["c001", "e001"]))]
    assert records_count(one) == "1 claim, 1 event"
    assert records_count(flat.iloc[0:0]) == "0 claims, 0 events"
    choices = [(n, n) for n in ("Astana", "Badakhshan", "Kabul", "Minsk", "Takhar", "Dushanbe")]
    home, abroad = split_places(ds, choices)
    assert [v for v, _ in home] == ["Badakhshan", "Kabul", "Takhar", "Dushanbe"]
    assert [v for v, _ in abroad] == ["Astana", "Minsk"]


def test_interaction_rules_are_in_the_map_styles():
    css = (STATIC / "dashboard-map.css").read_text()
    assert re.search(r"\.leaflet-tooltip\.dm-tooltip \{[^}]*min-width: 200px; max-width: 340px;", css)
    assert ":focus:not(:focus-visible)" in css and ":focus-visible { outline: 3px solid" in css
    js = (STATIC / "dashboard-map.js").read_text()
    assert "L.Tooltip.include" in js and "tileerror" in js


# -- stacks, large screens, the HTML export's bound -------------------------------------------------------


def test_each_symbol_carries_its_line_for_the_list_of_a_stack(bundled):
    ds, flat = bundled
    layers = js_layers(ds, flat)
    events = next(
        (fs, o) for fs, o in features(layers, "points") if fs and fs[0]["properties"]["kind"] == "event"
    )
    entries = events[1]["text"]["entries"]
    lines = {f["properties"]["id"]: str(entries[f["properties"]["e"]]) for f in events[0]}
    # title, what and when (the date at its precision: a month stays a month), who and where published
    assert "First CSTO joint military drills since the Taliban takeover" in lines["e006"]
    assert "Military exercise · October 2021" in lines["e006"]
    assert "Source: Hasht-e Subh" in lines["e006"] and "<svg" in lines["e006"]
    bases = next(fs for fs, _ in features(layers, "points") if fs and fs[0]["properties"]["kind"] == "base")
    assert all("201st base — " in str(f["properties"]["entry"]) for f in bases)


def test_a_stack_line_names_claimants_and_sources_and_escapes_article_text(bundled):
    from dashboard.mapping.layers import EventText
    from dashboard.mapping.stacks import who_line
    from dashboard.mapping.text import Html

    ds, flat = bundled
    rows = flat[flat["id"] == "e006"].to_dict("records")
    hostile = [{**r, "subject": "<img src=x onerror=alert(1)>${x}", "claimant_name": "A <b>"} for r in rows]
    text = EventText()
    props = text.event(hostile[0], hostile, 1)
    line = text.entries[props["e"]]
    assert isinstance(line, Html) and "<img" not in line and "${" not in line
    assert "&lt;img src=x onerror=alert(1)&gt;&#36;&#123;x&#125;" in line and "Claimant: A &lt;b&gt;" in line
    two = [
        {"claimant_name": "Anatoly Sidorov", "outlet": "Izvestia"},
        {"claimant_name": None, "outlet": "TASS"},
    ]
    assert who_line(two) == "Claimant: Anatoly Sidorov · Sources: Izvestia, TASS"
    assert who_line([{"outlet": "KabulNow"}]) == "Source: KabulNow"


def test_events_at_a_base_site_stand_beside_it_and_others_do_not(bundled):
    ds, flat = bundled
    points, _ = event_features(flat, occupied=base_points(ds))
    beside = {f["properties"]["id"] for f in points if f["properties"]["beside"]}
    assert beside == {"e011", "e026"}  # the two meetings at Dushanbe, where the 201st base stands


def test_the_html_export_keeps_its_view_inside_the_basemap_and_a_picture_shows_exactly_its_view(bundled):
    ds, flat = bundled
    screen = Briefing(size=(1366, 768), fit=False, center=styles.DEFAULT_CENTER, zoom=styles.DEFAULT_ZOOM)

    def setup(picture: bool) -> dict:
        page = map_page(ds, flat, flat, screen, picture=picture)
        return json.loads(re.search(r"DashMap\.setup\(\s*\w+, (\{.*?\})\s*\);", page, re.S).group(1))

    assert setup(picture=False)["extent"] == presentation.extent(ds)  # the HTML a reader opens
    assert setup(picture=True)["extent"] is None  # the PNG "as on screen": that centre and zoom exactly


def test_large_screens_scale_symbols_popups_scale_bar_and_every_legend_key():
    css = (STATIC / "dashboard-map.css").read_text()
    for rule in (
        ".dm-legend .dm-note",
        ".dm-legend .dm-line",
        ".dm-legend .dm-dash",
        ".dm-legend .dm-vague-key",
    ):
        assert re.search(re.escape(".dm-scaled " + rule) + r" \{[^}]*var\(--dm-scale", css), rule
    assert re.search(r"\.dm-scaled \.leaflet-tooltip\.dm-tooltip \{[^}]*340px \* var\(--dm-scale", css)
    js = (STATIC / "dashboard-map.js").read_text()
    assert "L.Popup.include" in js and "L.Control.Scale.include" in js and "typeScale(map)" in js


def test_a_still_picture_draws_no_stack_disc():
    """The disc only opens a list on a click; in a picture it would cover a label (seen on a slide at the
    Dushanbe base), so pictures show the spread symbols without it."""
    css = (STATIC / "dashboard-map.css").read_text()
    assert re.search(r"\.dm-picture \.dm-stack \{[^}]*display: none", css)


def test_a_stack_line_that_skipped_escaping_stops_the_map():
    from dashboard.mapping.elements import JsLayer
    from dashboard.mapping.geo import collection, point_feature

    with pytest.raises(TypeError, match="text entry 0"):
        JsLayer("points", collection([]), {"text": {"strings": [], "entries": ["<img src=x>"]}})
    with pytest.raises(TypeError, match="'entry'"):
        JsLayer("points", collection([point_feature(37.0, 70.0, {"entry": "<img src=x>"})]))
