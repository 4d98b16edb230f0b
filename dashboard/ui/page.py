"""The page: sidebar filters, the map with the selection beside it, and the evidence tabs below;
or, in presentation mode, the map alone with its title, filter summary and sources."""

from __future__ import annotations

import streamlit as st

from dashboard import wording
from dashboard.loader import DataError
from dashboard.mapping.strength import FIGURE_MODES
from dashboard.mapping.text import html
from dashboard.ui import (
    changes,
    charts,
    compare,
    data,
    evidence,
    export_panel,
    imported,
    kept,
    map_panel,
    review,
    sidebar,
    state,
    trend,
)
from dashboard.ui.text import md_format
from dashboard.wording import sources_line

EXPLORE_HEIGHT = 700
PRESENT_HEIGHT = 820


def main() -> None:
    """Run one pass of the page."""
    st.set_page_config(
        page_title="Northern Afghanistan: who reports what", layout="wide", initial_sidebar_state="expanded"
    )
    try:
        ds, flat_all = data.load()
    except DataError as exc:
        st.error("The data folder has problems; fix them and reload.")
        st.code(str(exc), language=None)
        st.stop()
    state.current()  # first run of a session: read the view from the URL before any widget
    state.resolve(ds)  # and check its filter values against the data (once)
    for problem in state.errors():
        st.warning(md_format("Link parameter ignored: {}", problem))  # the URL's text, shown as typed
    if state.current().mode == "review":  # the curators' review of a new article: no map
        review.render_page()
        state.sync_url()
        return
    filters = sidebar.render(ds, flat_all)
    imported.render_sidebar(ds, filters)  # imported events (ACLED, UCDP GED): their own section
    _map_settings(ds, flat_all)
    flat = kept.filtered(flat_all, filters)
    map_panel.take_report()  # a click on the map selects before the map and the panels are drawn
    if state.current().mode == "present":
        _present(ds, flat_all, flat)
    else:
        _explore(ds, flat_all, flat)
    state.sync_url()


def _map_settings(ds, flat_all) -> None:
    view = state.current()
    with st.sidebar.expander("Map settings", expanded=False):
        figure = st.radio(
            "Province shading shows",
            FIGURE_MODES,
            index=FIGURE_MODES.index(view.figure),
            key="figure_mode",
            horizontal=True,
            format_func={
                "latest": "latest figure",
                "highest": "highest figure",
                "claimant": "one claimant's",
            }.get,
        )
        figure_by = view.figure_by
        if figure == "claimant":
            claimants = flat_all.loc[
                flat_all["kind"] == "claim", ["claimant", "claimant_name"]
            ].drop_duplicates()
            ids = list(claimants["claimant"])
            labels = dict(zip(claimants["claimant"], claimants["claimant_name"], strict=True))
            figure_by = st.selectbox(
                "Claimant",
                ids,
                index=ids.index(figure_by) if figure_by in ids else 0,
                format_func=lambda i: labels.get(i, i),
                key="figure_by",
            )
        if (figure, figure_by) != (view.figure, view.figure_by):
            state.update(figure=figure, figure_by=figure_by if figure == "claimant" else None)
        st.toggle("Offer online tile layers (off: nothing leaves this server)", key="online_tiles")
    if st.sidebar.button("Presentation mode", key="to_present", type="primary", width="stretch"):
        state.update(mode="present")
        st.rerun()
    if review.can_curate() and st.sidebar.button("Review a new article", key="to_review", width="stretch"):
        state.update(mode="review")
        st.rerun()


#: The tabs under the map; ``TAB_KEY`` holds the open one's label in the session.
TABS = ("Evidence", "Compare estimates", "Timeline", "Documents", "What changed", "Export")
TAB_KEY = "explore_tab"
#: Widgets inside the tabs whose values outlive a closed tab: Streamlit forgets the state of a widget a
#: run does not draw, so their values are copied aside and given back when the tab opens again.
TAB_WIDGETS = (
    "evidence_search",
    "compare_group",
    "trend_step",
    "export_size",
    "export_scale",
    "export_caveat",
)
_KEPT = "kept_tab_widgets"


def _explore(ds, flat_all, flat) -> None:
    st.markdown(
        "<style>.block-container { padding-top: 2.2rem; }</style>", unsafe_allow_html=True
    )  # fixed CSS
    st.markdown("#### Northern Afghanistan and the Tajik–Afghan border: who reports what")
    trend.render_playback(ds, flat_all)  # steps the date filter (and so the map) by week or month
    left, right = st.columns([3, 1])
    with left:
        map_panel.render(ds, flat_all, flat, map_panel.map_options(), EXPLORE_HEIGHT)
    with right, st.container(height=EXPLORE_HEIGHT, border=False):  # scrolls beside the map
        evidence.render_selection(ds, flat)
    # Only the open tab runs (a tab switch is a rerun): the hidden tabs' tables and charts cost each
    # filter change ~0.3 s of the server's time and the browser's time to draw what nobody sees.
    kept = st.session_state.setdefault(_KEPT, {})
    for key in TAB_WIDGETS:
        if key not in st.session_state and key in kept:
            st.session_state[key] = kept[key]
    tabs = st.tabs(list(TABS), key=TAB_KEY, on_change="rerun")
    filters = state.current().filters
    evidence_tab, compare_tab, timeline_tab, documents_tab, changes_tab, export_tab = tabs
    if evidence_tab.open:
        with evidence_tab:
            evidence.render_table(flat, ds)
            imported.render_table(ds, filters)
    if compare_tab.open:
        with compare_tab:
            compare.render(ds, flat)
    if timeline_tab.open:
        with timeline_tab:
            charts.render_timeline(flat)
            trend.render_trend(ds, flat, filters)
    if documents_tab.open:
        with documents_tab:
            charts.render_documents(ds, flat)
    if changes_tab.open:
        with changes_tab:
            changes.render(ds, flat_all, filters)
    if export_tab.open:
        with export_tab:
            _export(ds, flat_all, flat, EXPLORE_HEIGHT, width=1100)
    kept.update({key: st.session_state[key] for key in TAB_WIDGETS if key in st.session_state})


#: Presentation mode: no sidebar or header; the map's frame as tall as the screen less one row for the
#: single "Edit" button under it (the map itself then fills its frame: dashboard-map.css).
PRESENT_BAR_PX = 46
_PRESENT_CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"] {{ display: none; }}
.block-container {{ padding: 0 0.4rem 0 0.4rem; max-width: 100%; }}
[data-testid="stMainBlockContainer"] {{ padding: 0 0.4rem; }}
iframe[title="streamlit_folium.st_folium"] {{ height: calc(100vh - {PRESENT_BAR_PX}px) !important; }}
[data-testid="stVerticalBlock"] {{ gap: 0.2rem; }}
</style>
"""


def _present(ds, flat_all, flat) -> None:
    st.markdown(_PRESENT_CSS, unsafe_allow_html=True)  # fixed CSS only, no data
    view = state.current()
    options = map_panel.map_options()
    map_panel.render(ds, flat_all, flat, options, PRESENT_HEIGHT)
    # Everything that edits the view sits behind one button, off the projected picture.
    with st.popover("Edit, export or leave presentation", width="content"):
        window = wording.filter_window(view.filters, flat_all)
        summary = wording.filter_summary(view.filters, ds) or ["no filter other than dates"]
        st.markdown(
            # Inside an HTML block Markdown is not parsed: html() escapes the values (line breaks
            # included, so no blank line can end the block and let Markdown read the rest).
            html(
                "<div class='dm-present-notes'><p><b>Reports dated:</b> {} · <b>Filters:</b> {}</p>"
                "<p>{}</p></div>",
                window,
                "; ".join(summary),
                sources_line(flat, with_titles=True),
            ),
            unsafe_allow_html=True,
        )
        title = st.text_input("Title", value=options.title, key="present_title")
        subtitle = st.text_input("Subtitle", value=options.subtitle, key="present_subtitle")
        if (title, subtitle) != (options.title, options.subtitle):
            state.update(title=title, subtitle=subtitle)
            st.rerun()
        if st.button("Leave presentation mode", key="to_explore", width="stretch"):
            state.update(mode="explore")
            st.rerun()
        with st.expander("Export this view"):
            _export(ds, flat_all, flat, PRESENT_HEIGHT, width=1600, key="present_export")


def _export(ds, flat_all, flat, height: int, width: int, key: str = "export") -> None:
    """The export panel for what the map shows now (the server cannot know the map's exact width)."""
    view, options = state.current(), map_panel.map_options()
    export_panel.render(
        ds,
        flat_all,
        flat,
        view.filters,
        center=view.centre,
        zoom=view.zoom,
        screen_size=(width, height),
        title=options.title,
        subtitle=options.subtitle,
        figure=options.figure,
        figure_claimant=options.figure_claimant,
        key=key,
    )
