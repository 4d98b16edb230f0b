"""The Streamlit page through AppTest: every filter from the URL and back, the panels, presentation mode,
the map component's arguments (no external asset), escaping, and a broken data folder."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from apptest_helpers import APP, open_tab
from apptest_helpers import open_page as run
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from dashboard.filters import apply_filters, filter_options
from dashboard.flat import flat_reports
from dashboard.loader import load_dataset
from dashboard.mapping.styles import HIGHLIGHT_STYLE
from dashboard.mapping.text import esc
from dashboard.model import Filters
from dashboard.ui import data as ui_data
from dashboard.ui.page import EXPLORE_HEIGHT, PRESENT_HEIGHT, TAB_KEY
from dashboard.viewstate import view_from_query

MULTI = ("province", "document", "outlet", "relayed_by", "claimant", "affiliation", "group", "type")


@pytest.fixture(scope="module")
def bundled():
    ds = load_dataset()
    return ds, flat_reports(ds)


def component(at: AppTest) -> dict:
    found = [x for x in at.main if type(x).__name__ == "UnknownElement" and x.type == "component_instance"]
    assert len(found) == 1
    return json.loads(found[0].proto.json_args)


def matching(at: AppTest) -> int:
    caption = next(c.value for c in at.sidebar.caption if "reports match" in c.value)
    return int(caption.split(" of ")[0])


def qp(at: AppTest, key: str) -> list[str]:
    """A URL parameter's values (AppTest gives one value as a string)."""
    value = at.query_params.get(key)
    return [value] if isinstance(value, str) else list(value or [])


def decoded(text: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def test_default_page_serves_an_offline_map(bundled):
    at = run()
    assert not at.error
    args = component(at)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("/app/static/") for link in links)
    assert not re.search(r"""(?:src|href)=["']https?:""", args["header"] + args["html"] + args["script"])
    assert "http" not in " ".join(links)
    assert "DashMap.areas" in args["script"] and "DashMap.points" in args["feature_group"]
    # bounds: the imported events' layer draws points or aggregates for what the view holds
    assert set(args["returned_objects"]) == {
        "last_active_drawing",
        "last_object_clicked",
        "center",
        "zoom",
        "bounds",
    }
    assert args["height"] == EXPLORE_HEIGHT
    assert matching(at) == len(bundled[1])


@pytest.mark.parametrize("name", MULTI)
def test_each_filter_from_the_url_filters_and_stays_in_the_url(bundled, name):
    ds, flat = bundled
    options = filter_options(flat, dict(zip(ds.groups["id"], ds.groups["name"], strict=True)))[name]
    value = options[len(options) // 2][0]
    at = run({name: value})
    expected = apply_filters(flat, Filters(**{name: (value,)}))
    assert matching(at) == len(expected) < len(flat) or len(options) == 1
    assert qp(at, name) == [value]
    widget = next(m for m in at.sidebar.multiselect if m.key == f"f_{name}")
    assert widget.value == [value]
    assert len(at.dataframe[0].value) == len(expected)  # the evidence table follows


def test_date_window_from_the_url(bundled):
    _, flat = bundled
    at = run({"start": "2023-05", "end": "2023-12"})
    assert matching(at) == len(apply_filters(flat, Filters(start="2023-05", end="2023-12")))
    assert qp(at, "start") == ["2023-05"] and qp(at, "end") == ["2023-12"]
    assert "May 2023 – December 2023" in decoded(component(at)["feature_group"])


def test_changing_a_widget_writes_the_url(bundled):
    _, flat = bundled
    at = run()
    widget = next(m for m in at.sidebar.multiselect if m.key == "f_type")
    choice = widget.options[0]
    value = next(v for v in filter_options(flat)["type"] if choice.startswith(v[1]))[0]
    widget.set_value([value]).run()
    assert qp(at, "type") == [value]
    assert matching(at) == len(apply_filters(flat, Filters(type=(value,))))


def test_url_round_trip_restores_the_whole_view(bundled):
    query = {"province": "Badakhshan", "lat": "37.1", "lon": "70.5", "zoom": "8", "figure": "highest"}
    at = run(query)
    state, errors = view_from_query({k: qp(at, k) for k in at.query_params})
    assert errors == [] and state.filters.province == ("Badakhshan",)
    assert (state.lat, state.lon, state.zoom, state.figure) == (37.1, 70.5, 8, "highest")
    args = component(at)
    assert args["center"] == [37.1, 70.5] and args["zoom"] == 8
    assert "highest figure reported in the window" in decoded(args["feature_group"])


def test_bad_url_values_are_named_not_guessed():
    at = run({"start": "May 2023", "zoom": "99"})
    warnings = " ".join(w.value for w in at.warning)
    assert "start" in warnings and "zoom" in warnings
    assert "start" not in at.query_params and "zoom" not in at.query_params


def test_figure_of_one_claimant(bundled):
    ds, flat = bundled
    claimant = flat.loc[flat["kind"] == "claim", "claimant"].iloc[0]
    name = ds.actors.set_index("id").at[claimant, "name"]
    at = run({"figure": "claimant", "figure_by": claimant})
    assert f"latest figure claimed by {name}" in decoded(component(at)["feature_group"])


def charts(at: AppTest) -> list:
    return [x for x in at.main if type(x).__name__ == "UnknownElement" and x.type == "vega_lite_chart"]


def test_panels_below_the_map(bundled):
    ds, flat = bundled
    at = run()
    assert [t.label for t in at.tabs] == [
        "Evidence", "Compare estimates", "Timeline", "Documents", "What changed", "Export"
    ]  # fmt: skip
    (evidence,) = at.dataframe  # only the open tab runs: the others send nothing
    assert len(evidence.value) == len(flat)
    assert set(evidence.value["Date"]) and not any(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in evidence.value["Date"]
    )
    assert not charts(at)

    at = run(tab="Compare estimates")
    assert at.selectbox(key="compare_group").options and len(charts(at)) == 1
    assert not at.dataframe or all("Date" not in d.value.columns for d in at.dataframe)

    at = run(tab="Timeline")
    (timeline,) = at.dataframe
    assert len(timeline.value) == flat.loc[flat["kind"] == "event", "id"].nunique()
    assert len(charts(at)) == 1

    at = run(tab="Documents")
    (documents,) = at.dataframe
    assert len(documents.value) == len(ds.documents)
    assert set(documents.value["url"]) == set(ds.documents["url"])


def test_export_tab_offers_every_format(bundled):
    assert "PNG snapshot" not in [b.label for b in run().button]  # a closed tab makes nothing
    at = run(tab="Export")
    labels = [b.label for b in at.button]  # each makes its file; a download button then holds it
    for label in ("PNG snapshot", "Slide (.pptx)", "PDF page", "Standalone HTML", "CSV", "GeoJSON", "Excel"):
        assert label in labels
    assert at.radio(key="export_size").value == "screen"


def test_selection_from_the_url_lists_its_reports(bundled):
    _, flat = bundled
    event = flat[flat["kind"] == "event"].iloc[0]
    at = run({"select": f"event:{event['id']}"})
    text = " ".join(m.value for m in at.main.markdown)
    assert f"Event {event['id']}" in text
    assert qp(at, "select") == [f"event:{event['id']}"]


def test_presentation_mode(bundled):
    at = run({"mode": "present", "title": "Morning brief"})
    args = component(at)
    assert args["height"] == PRESENT_HEIGHT
    assert "Morning brief" in decoded(args["feature_group"]) and "dm-present" in args["feature_group"]
    notes = " ".join(m.value for m in at.main.markdown)
    assert "Sources:" in notes and "Natural Earth" in notes
    at.text_input(key="present_subtitle").set_value("As briefed").run()
    assert qp(at, "subtitle") == ["As briefed"]
    at.button(key="to_explore").click().run()
    assert "mode" not in at.query_params and component(at)["height"] == EXPLORE_HEIGHT


def test_entering_presentation_mode_from_the_sidebar():
    at = run()
    at.sidebar.button(key="to_present").click().run()
    assert qp(at, "mode") == ["present"]


def test_article_text_is_escaped_everywhere(make_data, monkeypatch):
    from test_mapping import PAYLOAD, with_measured_border, xss_tables

    tables, texts = xss_tables()
    data_dir, seeds_dir = make_data(tables=tables, texts=texts, geojson=with_measured_border())
    monkeypatch.setenv(ui_data.DATA_DIR_ENV, str(data_dir))
    monkeypatch.setenv(ui_data.SEEDS_DIR_ENV, str(seeds_dir))
    at = run({"select": "claim:c002"})
    args = component(at)
    everything = decoded(json.dumps(args))
    assert "<img" not in everything and "${alert" not in everything
    shown = " ".join(m.value for m in at.main.markdown)
    assert "<img" not in shown and "${" not in shown
    assert PAYLOAD in at.dataframe[0].value["Quote"].tolist()  # a table cell is text, shown as is


def test_a_broken_data_folder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "geodata").mkdir()
    monkeypatch.setenv(ui_data.DATA_DIR_ENV, str(tmp_path / "geodata"))
    at = run()
    assert at.error and "data folder has problems" in at.error[0].value
    assert at.code and "problem" in at.code[0].value


# Echoed text is plain text ----------------------------------------------------------------------------

IMAGE = "![m](http://evil.example/x.png)"
LINK = "[Session expired - sign in again](https://evil.example/login)"
#: URL parameters whose bad value is named (and quoted) in a warning.
ECHOED = ("mode", "select", "zoom", "start", "end", "lat", "lon", "figure")


def markdown_bodies(at: AppTest) -> list[str]:
    """The Markdown source of every element on the page that renders Markdown."""
    kinds = ("markdown", "caption", "warning", "error", "info", "success", "title", "header", "subheader")
    return [element.value for kind in kinds for element in getattr(at, kind)]


def live_markdown(body: str) -> list[str]:
    """What in ``body`` a Markdown renderer would turn into an image, a link, raw HTML or an autolink."""
    found = []
    for token in MarkdownIt("commonmark").parse(body):
        if token.type == "html_block" and "evil" in token.content:  # the page's own fixed CSS is fine
            found.append(token.content)
        for child in token.children or []:
            if child.type in ("image", "link_open") or (
                child.type == "html_inline" and "evil" in child.content
            ):
                found.append(f"{child.type}: {child.attrs or child.content}")
    # GFM also links bare addresses, found in the text once escapes are resolved.
    text = shown_text(body)
    found.extend(re.findall(r"(?i)(?:https?://|www\.)\S*|[-.\w+]+@[-\w]+\.\S*", text))
    return found


def shown_text(body: str) -> str:
    """The text a reader sees in ``body`` rendered as Markdown (escapes resolved)."""
    tokens = MarkdownIt("commonmark").parse(body)
    return "".join(c.content for t in tokens for c in t.children or [] if c.type in ("text", "text_special"))


def read(text: str) -> str:
    """``text`` as a reader sees it (md() puts invisible word joiners into addresses)."""
    return text.replace("\u2060", "")


@pytest.mark.parametrize("name", ECHOED)
@pytest.mark.parametrize("payload", [IMAGE, LINK], ids=["image", "link"])
def test_a_bad_url_value_is_echoed_as_plain_text(name, payload):
    at = run({name: payload})
    warnings = [w.value for w in at.warning]
    assert any(name in shown_text(w) for w in warnings), warnings
    assert any(payload in read(shown_text(w)) for w in warnings)  # shown as typed
    for body in markdown_bodies(at):
        assert live_markdown(body) == [], body


@pytest.mark.parametrize("payload", [IMAGE, LINK], ids=["image", "link"])
def test_url_values_shown_elsewhere_are_plain_text(payload):
    at = run({"select": f"event:{payload}", "province": payload, "title": payload})
    # All three are well formed: the selection and the title are shown; the province names nothing in
    # the data, so it is reported (as typed, plain text) and dropped, not silently matched to nothing.
    warnings = [shown_text(w.value) for w in at.warning]
    assert len(warnings) == 1 and "province" in warnings[0] and payload in read(warnings[0])
    assert "province" not in at.query_params
    assert any(f"Event {payload}" in read(shown_text(m.value)) for m in at.main.markdown)
    for body in markdown_bodies(at):
        assert live_markdown(body) == [], body
    assert esc(payload) in decoded(component(at)["feature_group"])  # the map's title, as HTML text


def test_presentation_notes_cannot_leave_their_html_block(make_data, monkeypatch):
    """A blank line in data would end the notes' HTML block and let Markdown read what follows."""
    from test_mapping import hostile_tables, let_hostile_text_through

    let_hostile_text_through(monkeypatch)
    tables, texts = hostile_tables()
    tables["documents"][0]["title"] = f"Ministers meet\n\n{IMAGE}"
    data_dir, seeds_dir = make_data(tables=tables, texts=texts)
    monkeypatch.setenv(ui_data.DATA_DIR_ENV, str(data_dir))
    monkeypatch.setenv(ui_data.SEEDS_DIR_ENV, str(seeds_dir))
    at = run({"mode": "present"})
    notes = next(m.value for m in at.main.markdown if m.value.startswith("<div class='dm-present-notes'"))
    assert "Ministers meet" in notes and "\n" not in notes
    assert [t.type for t in MarkdownIt("commonmark").parse(notes)] == ["html_block"]  # one block, no image


def test_bidi_controls_are_shown_neutralised_everywhere(make_data, monkeypatch):
    from test_mapping import BIDI, HOSTILE, hostile_tables, let_hostile_text_through, with_measured_border

    let_hostile_text_through(monkeypatch)
    tables, texts = hostile_tables()
    data_dir, seeds_dir = make_data(tables=tables, texts=texts, geojson=with_measured_border())
    monkeypatch.setenv(ui_data.DATA_DIR_ENV, str(data_dir))
    monkeypatch.setenv(ui_data.SEEDS_DIR_ENV, str(seeds_dir))
    at = run({"select": "claim:c002"})
    shown = [*markdown_bodies(at), decoded(json.dumps(component(at)))]
    for n, frame in enumerate(at.dataframe):
        shown.extend(f"table {n}: {v}" for v in frame.value.to_numpy().ravel())
    for widget in at.sidebar.multiselect:
        shown.extend(f"{widget.key}: {o}" for o in widget.options)
    assert any("gnp.exe" in s for s in shown)
    assert not [s for s in shown if any(c in s for c in BIDI)]
    assert HOSTILE.replace("\u202e", "\ufffd") in at.dataframe[0].value["Quote"].tolist()


#: Streamlit calls whose text is rendered as Markdown.
MARKDOWN_CALLS = {
    "markdown", "caption", "warning", "error", "info", "success", "toast", "write",
    "title", "header", "subheader", "exception",
}  # fmt: skip


def test_ui_renders_markdown_only_from_fixed_templates():
    """Every Markdown-rendering call in dashboard/ui gets a literal, a constant, md_format()/md_join(),
    or (with unsafe_allow_html) markup from html(): never an f-string or text from elsewhere."""
    ui = Path(APP).parent / "ui"
    bad = []
    for path in sorted(ui.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in MARKDOWN_CALLS or not _is_streamlit(node.func.value):
                continue
            unsafe = any(k.arg == "unsafe_allow_html" for k in node.keywords)
            for arg in node.args[:1] + [k.value for k in node.keywords if k.arg == "body"]:
                if not _fixed_or_escaped(arg, unsafe):
                    bad.append(f"{path.name}:{node.lineno}: {ast.unparse(arg)[:60]}")
    assert bad == []


def _is_streamlit(node: ast.expr) -> bool:
    """``st`` or ``st.sidebar``."""
    if isinstance(node, ast.Name):
        return node.id == "st"
    return isinstance(node, ast.Attribute) and node.attr == "sidebar" and _is_streamlit(node.value)


def _fixed_or_escaped(arg: ast.expr, unsafe: bool) -> bool:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return True
    if isinstance(arg, ast.Name) and re.fullmatch(r"_?[A-Z][A-Z0-9_]*", arg.id):
        return True  # a module constant
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name):
        return arg.func.id in ("md_format", "md_join") or (unsafe and arg.func.id == "html")
    return False


def test_an_unknown_filter_value_in_the_url_is_reported_with_close_matches(bundled):
    at = run({"group": "ISIS-KX", "province": "Badakhshan"})
    warnings = [shown_text(w.value) for w in at.warning]
    assert len(warnings) == 1 and "group" in warnings[0] and "ISIS-KX" in read(warnings[0])
    assert "close matches" in read(warnings[0])
    assert qp(at, "province") == ["Badakhshan"] and "group" not in at.query_params  # the rest applies


def test_places_abroad_have_their_own_filter(bundled):
    at = run({"province": ["Minsk", "Kunduz"]})
    province = next(m for m in at.sidebar.multiselect if m.key == "f_province")
    abroad = next(m for m in at.sidebar.multiselect if m.key == "f_place_abroad")
    assert province.value == ["Kunduz"] and abroad.value == ["Minsk"]
    assert not any(o.startswith("Minsk") for o in province.options)
    caption = next(c.value for c in at.sidebar.caption if "reports match" in c.value)
    assert re.search(r"\d+ claims?, \d+ events?", caption)


def test_a_date_preset_sets_the_window_the_boxes_and_the_url(bundled):
    from datetime import date

    _, flat = bundled
    at = run()
    at.selectbox(key="f_date_preset").set_value("2023").run()
    assert qp(at, "start") == ["2023-01-01"] and qp(at, "end") == ["2023-12-31"]
    assert at.date_input(key="f_date_from").value == date(2023, 1, 1)
    assert at.date_input(key="f_date_to").value == date(2023, 12, 31)
    assert matching(at) == len(apply_filters(flat, Filters(start="2023-01-01", end="2023-12-31")))
    at.date_input(key="f_date_from").set_value(date(2023, 5, 1)).run()
    assert qp(at, "start") == ["2023-05-01"] and at.selectbox(key="f_date_preset").value == "Custom"


def test_a_closed_tab_keeps_what_was_chosen_in_it(bundled):
    at = run(tab="Compare estimates")
    options = at.selectbox(key="compare_group").options
    assert len(options) > 1
    at.selectbox(key="compare_group").select_index(1).run()
    chosen = at.selectbox(key="compare_group").value
    open_tab(at, "Evidence")
    at.text_input(key="evidence_search").input("Sidorov").run()
    searched = len(at.dataframe[0].value)
    open_tab(at, "Compare estimates")
    assert at.selectbox(key="compare_group").value == chosen  # given back when the tab opens again
    open_tab(at, "Evidence")
    assert at.text_input(key="evidence_search").value == "Sidorov"
    assert len(at.dataframe[0].value) == searched
    assert not at.exception


def test_a_kept_choice_that_the_data_no_longer_offers_falls_back(bundled):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[TAB_KEY] = "Compare estimates"
    at.session_state["kept_tab_widgets"] = {"compare_group": "no such subject"}
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="compare_group").index == 0  # the first subject, as when nothing was chosen


def test_a_click_on_a_province_highlights_it_in_the_run_it_causes(bundled):
    ds, _ = bundled
    takhar = ds.places.loc[(ds.places["kind"] == "province") & (ds.places["name"] == "Takhar"), "id"].iloc[0]
    at = run()
    assert HIGHLIGHT_STYLE["color"] not in component(at)["feature_group"]
    # What the browser reports for a click on Takhar, as the component's value
    at.session_state["map"] = {
        "last_active_drawing": {"type": "Feature", "properties": {"kind": "province", "id": takhar}},
        "last_object_clicked": {"lat": 36.7, "lng": 69.5},
        "center": {"lat": 37.0, "lng": 70.0},
        "zoom": 6,
    }
    at.run()
    assert not at.exception
    assert HIGHLIGHT_STYLE["color"] in component(at)["feature_group"]  # this run, not the next
    assert qp(at, "select") == [f"province:{takhar}"]
