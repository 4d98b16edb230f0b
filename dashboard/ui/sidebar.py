"""Sidebar filters, each option with the number of reports it would keep given the other filters; the
"as known on" date and the switch that brings back retracted sources, marked."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import dates
from dashboard.facets import FACET_COLUMNS, facet_counts
from dashboard.filters import apply_filters, filter_options, known_by
from dashboard.mapping.text import visible
from dashboard.model import Dataset, Filters
from dashboard.ui import imported, state
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
    for name in FACET_COLUMNS:
        more = (extra_types, extra_counts) if name == "type" else ([], {})
        _multiselect(name, options.get(name, []) + more[0], flat, more[1])
    _retracted_toggle(flat)
    current = state.current().filters
    filtered = apply_filters(flat, current)
    st.sidebar.caption(
        md_format(
            "{} of {} reports match ({} claims and events).",
            len(filtered),
            len(flat),
            filtered["id"].nunique(),
        )
    )
    if not state.current().filters.is_default() and st.sidebar.button("Clear all filters", key="clear"):
        state.update(filters=Filters(), selection=None)
        for name in (*FACET_COLUMNS, "date_range", "known_on", "include_retracted"):
            st.session_state.pop(f"f_{name}", None)
        st.rerun()
    del view
    return state.current().filters


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
    current = state.current().filters
    key = "f_date_range"
    if key not in st.session_state:
        first = dates.parse_partial(current.start).first if current.start else lo
        last = dates.parse_partial(current.end).last if current.end else hi
        st.session_state[key] = (max(lo, min(first, hi)), min(hi, max(last, lo)))

    def changed() -> None:
        start, end = st.session_state[key]
        state.update(
            filters=with_filters(
                state.current(),
                start=None if start <= lo else start.isoformat(),
                end=None if end >= hi else end.isoformat(),
            ).filters
        )

    st.sidebar.slider(
        "Report dates",
        min_value=lo,
        max_value=hi,
        key=key,
        on_change=changed,
        format="MMM YYYY",
        help="Keeps reports whose date (at its own precision) overlaps the window.",
    )


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


def _counts(flat: pd.DataFrame, filters: Filters, name: str) -> dict[str, int]:
    """Facet counts, kept in the session while the filters stay the same (a map move reruns the page)."""
    key = (id(flat), len(flat), filters, name)
    memo = st.session_state.setdefault("facet_counts", {})
    if key not in memo:
        if len(memo) > 64:
            memo.clear()
        memo[key] = facet_counts(flat, filters, name)
    return memo[key]


def _multiselect(
    name: str, choices: list[tuple[str, str]], flat: pd.DataFrame, extra_counts: dict | None = None
) -> None:
    current = state.current().filters
    counts = {**(extra_counts or {}), **_counts(flat, current, name)}
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
