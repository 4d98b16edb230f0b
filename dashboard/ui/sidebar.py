"""Sidebar filters, each option with the number of reports it would keep given the other filters; the
"as known on" date and the switch that brings back retracted sources, marked."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.facets import FACET_COLUMNS
from dashboard.filters import filter_options, known_by
from dashboard.mapping.text import visible
from dashboard.model import Dataset, Filters
from dashboard.ui import dates_panel, imported, kept, state
from dashboard.ui.text import md_format
from dashboard.viewstate import with_filters

LABELS = {
    "province": "Province",
    "document": "Document",
    "outlet": "Outlet",
    "relayed_by": "Relayed by (agency)",
    "claimant": "Claimant",
    "affiliation": "Claimant's affiliation",
    "group": "Group",
    "type": "Claim topic / event type",
}


def render(ds: Dataset, flat: pd.DataFrame) -> Filters:
    """Draw the filters; return the filters now in force."""
    view = state.current()
    names = dict(zip(ds.groups["id"], ds.groups["name"], strict=True))
    options = _options(flat, names)
    st.sidebar.header("Filters")
    _known_on(options)
    _date_slider(flat, options)
    # Imported events' types (ACLED, UCDP GED) join the type filter's choices, with their own counts.
    extra_types, extra_counts = imported.type_choices(ds, state.current().filters)
    home, abroad = split_places(ds, options.get("province", []))
    for name in FACET_COLUMNS:
        if name == "province":
            _places(home, abroad, flat)
        else:
            more = (extra_types, extra_counts) if name == "type" else ([], {})
            _multiselect(name, options.get(name, []) + more[0], flat, more[1])
    _retracted_toggle(flat)
    current = state.current().filters
    filtered = kept.filtered(flat, current)
    st.sidebar.caption(
        md_format("{} of {} reports match ({}).", len(filtered), len(flat), records_count(filtered))
    )
    if not state.current().filters.is_default() and st.sidebar.button("Clear all filters", key="clear"):
        state.update(filters=Filters(), selection=None)
        time_keys = ("f_known_on", "f_include_retracted")
        for key in (*(f"f_{n}" for n in FACET_COLUMNS), ABROAD, *DATE_KEYS, *time_keys):
            st.session_state.pop(key, None)
        st.rerun()
    del view
    return state.current().filters


#: The second place filter (places abroad), and the date widgets' keys (cleared with the filters).
ABROAD = "f_place_abroad"
DATE_KEYS = (dates_panel.SLIDER, *dates_panel.BOXES, dates_panel.PRESET)
#: Countries whose regions the Province filter lists; places elsewhere are under "Places abroad".
HOME_COUNTRIES = ("AFG", "TJK")


def records_count(rows: pd.DataFrame) -> str:
    """ "1 claim, 2 events": the distinct claims and events among ``rows``, in words."""
    claims = rows.loc[rows["kind"] == "claim", "id"].nunique()
    events = rows.loc[rows["kind"] == "event", "id"].nunique()
    return f"{claims} claim{'' if claims == 1 else 's'}, {events} event{'' if events == 1 else 's'}"


def split_places(ds: Dataset, choices: list[tuple[str, str]]) -> tuple[list, list]:
    """The province filter's choices split: regions of Afghanistan and Tajikistan (the provinces), and
    places abroad (capitals and regions elsewhere, which the province filter also matches)."""
    places = ds.places
    home_names = set(places.loc[places["kind"] == "province", "name"])
    home_names |= {
        a
        for a, c in zip(places["admin1"], places["country"], strict=True)
        if c in HOME_COUNTRIES and isinstance(a, str)
    }
    home = [c for c in choices if c[0] in home_names]
    return home, [c for c in choices if c[0] not in home_names]


def _places(home: list, abroad: list, flat: pd.DataFrame) -> None:
    """Two widgets for one filter: provinces, and places abroad; the filter holds the values of both."""
    current = state.current().filters
    counts = kept.counts(flat, current, "province")
    abroad_values = {v for v, _ in abroad}
    chosen = list(current.province)
    keys = {
        "f_province": [v for v in chosen if v not in abroad_values],
        ABROAD: [v for v in chosen if v in abroad_values],
    }
    for key, value in keys.items():
        if key not in st.session_state:
            st.session_state[key] = value

    def changed() -> None:
        values = (*st.session_state["f_province"], *st.session_state[ABROAD])
        state.update(filters=with_filters(state.current(), province=tuple(dict.fromkeys(values))).filters)

    for key, label, options in (("f_province", LABELS["province"], home), (ABROAD, "Places abroad", abroad)):
        labels = dict(options)
        for value in st.session_state[key]:  # a value from the URL that the data lacks stays visible
            labels.setdefault(value, value)
        st.sidebar.multiselect(
            label,
            options=list(labels),
            key=key,
            on_change=changed,
            format_func=lambda v, lb=labels: f"{visible(lb.get(v, v))} ({counts.get(v, 0)})",
        )


def _options(flat: pd.DataFrame, names: dict[str, str]) -> dict:
    """The choices of every filter, computed once per loaded table (a rerun keeps them)."""
    memo = st.session_state.get("filter_options")
    if memo is None or memo[0] != (id(flat), len(flat)):
        memo = ((id(flat), len(flat)), filter_options(flat, names))
        st.session_state["filter_options"] = memo
    return memo[1]


def _date_slider(flat: pd.DataFrame, options: dict) -> None:
    if not options.get("start"):
        return
    lo, hi = date.fromisoformat(options["start"][0][0]), date.fromisoformat(options["end"][0][0])
    if lo >= hi:
        return
    dates_panel.render(flat, lo, hi)


def _known_on(options: dict) -> None:
    """ "As known on": only reports from documents published by then (empty: everything)."""
    key = "f_known_on"
    current = state.current().filters.known_on
    if key not in st.session_state:
        st.session_state[key] = known_by(current) if current else None

    def changed() -> None:
        chosen = st.session_state[key]
        value = chosen.isoformat() if isinstance(chosen, date) else None
        state.update(filters=with_filters(state.current(), known_on=value).filters)

    latest = date.fromisoformat(options["known_on"][0][0]) if options.get("known_on") else date.today()
    st.sidebar.date_input(
        "As known on",
        key=key,
        min_value=date(1990, 1, 1),
        max_value=max(latest, date.today()),
        on_change=changed,
        format="YYYY-MM-DD",
        help=(
            "Shows only what could be known on this day: reports from documents published on or before "
            "it. A document dated only by month counts from the month's last day. Empty: everything."
        ),
    )


def _retracted_toggle(flat: pd.DataFrame) -> None:
    """Retracted or discredited sources: left out unless shown here, then marked."""
    key = "f_include_retracted"
    if key not in st.session_state:
        st.session_state[key] = state.current().filters.include_retracted

    def changed() -> None:
        include = bool(st.session_state[key])
        state.update(filters=with_filters(state.current(), include_retracted=include).filters)

    marked = int((flat["retracted"] != "").sum())
    st.sidebar.toggle(
        md_format("Show retracted sources ({} reports), marked", marked),
        key=key,
        on_change=changed,
        help="Reports of a retracted document, or of a retracted claimant, are left out unless shown.",
    )


def _multiselect(
    name: str, choices: list[tuple[str, str]], flat: pd.DataFrame, extra_counts: dict | None = None
) -> None:
    current = state.current().filters
    counts = {**(extra_counts or {}), **kept.counts(flat, current, name)}
    labels = dict(choices)
    chosen = list(getattr(current, name))
    for value in chosen:  # a value from the URL that the data lacks stays visible (and matches nothing)
        labels.setdefault(value, value)
    key = f"f_{name}"
    if key not in st.session_state:
        st.session_state[key] = chosen

    def changed() -> None:
        state.update(filters=with_filters(state.current(), **{name: tuple(st.session_state[key])}).filters)

    st.sidebar.multiselect(
        LABELS[name],
        options=list(labels),
        key=key,
        on_change=changed,
        format_func=lambda v: f"{visible(labels.get(v, v))} ({counts.get(v, 0)})",  # shown as plain text
    )
