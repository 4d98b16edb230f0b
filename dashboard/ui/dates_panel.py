"""The report-date controls of the sidebar: presets, two date boxes and the slider, kept in step.

A preset ("All dates", "Last 12 months", each year) sets the window; the boxes type it to the day; the
slider drags it. Each writes the view's filters and the other two follow, so all three always show the
window in force (and the URL holds it). "Last 12 months" ends at the information cutoff (the latest
publication in the data), not at today's date: the data knows nothing later.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard import dates
from dashboard.ui import state
from dashboard.viewstate import with_filters

SLIDER = "f_date_range"
BOXES = ("f_date_from", "f_date_to")
PRESET = "f_date_preset"
ALL, LAST_YEAR, CUSTOM = "All dates", "Last 12 months", "Custom"


def presets(lo: date, hi: date, cutoff: date | None) -> dict[str, tuple[date, date]]:
    """Preset label -> (first, last) day: all dates, the 12 months to the cutoff, and each year with data
    (latest first), each clipped to the data's span."""
    out = {ALL: (lo, hi)}
    end = min(cutoff or hi, hi)
    out[LAST_YEAR] = (max(lo, end - timedelta(days=365)), end)
    for year in range(min(end.year, hi.year), lo.year - 1, -1):
        out[str(year)] = (max(lo, date(year, 1, 1)), min(hi, date(year, 12, 31)))
    return out


def cutoff_day(flat: pd.DataFrame) -> date | None:
    """The last day of the latest publication in ``flat`` (None when there is none)."""
    days = []
    for text, precision in set(zip(flat["published"], flat["published_precision"], strict=True)):
        try:
            days.append(dates.parse_partial(str(text), str(precision) if precision else None).last)
        except ValueError:
            continue
    return max(days) if days else None


def _window(lo: date, hi: date) -> tuple[date, date]:
    current = state.current().filters
    first = dates.parse_partial(current.start).first if current.start else lo
    last = dates.parse_partial(current.end).last if current.end else hi
    return max(lo, min(first, hi)), min(hi, max(last, lo))


def _set(lo: date, hi: date, first: date, last: date) -> None:
    """Put the window into the view's filters and every date widget."""
    first, last = max(lo, min(first, hi)), min(hi, max(last, lo))
    if first > last:
        first, last = last, first
    state.update(
        filters=with_filters(
            state.current(),
            start=None if first <= lo else first.isoformat(),
            end=None if last >= hi else last.isoformat(),
        ).filters
    )
    st.session_state[SLIDER] = (first, last)
    st.session_state[BOXES[0]], st.session_state[BOXES[1]] = first, last


def _preset_of(window: tuple[date, date], choices: dict[str, tuple[date, date]]) -> str:
    return next((name for name, span in choices.items() if span == window), CUSTOM)


def render(flat: pd.DataFrame, lo: date, hi: date) -> None:
    """Draw the presets, the boxes and the slider for the data's span ``lo``..``hi``."""
    choices = presets(lo, hi, cutoff_day(flat))
    window = _window(lo, hi)
    if SLIDER not in st.session_state:
        st.session_state[SLIDER] = window
        st.session_state[BOXES[0]], st.session_state[BOXES[1]] = window
    st.session_state[PRESET] = _preset_of(window, choices)

    def preset_changed() -> None:
        name = st.session_state[PRESET]
        if name in choices:
            _set(lo, hi, *choices[name])

    def boxes_changed() -> None:
        first, last = st.session_state[BOXES[0]], st.session_state[BOXES[1]]
        if first and last:
            _set(lo, hi, first, last)

    def slider_changed() -> None:
        _set(lo, hi, *st.session_state[SLIDER])

    st.sidebar.selectbox(
        "Report dates",
        [*choices, CUSTOM],
        key=PRESET,
        on_change=preset_changed,
        help="Keeps reports whose date (at its own precision) overlaps the window. "
        "The last 12 months end at the latest publication in the data.",
    )
    # One box a line: the sidebar is too narrow for two full dates side by side.
    for key, label in zip(BOXES, ("From", "To"), strict=True):
        st.sidebar.date_input(
            label, min_value=lo, max_value=hi, key=key, on_change=boxes_changed, format="YYYY-MM-DD"
        )
    st.sidebar.slider(
        "Report date window",
        min_value=lo,
        max_value=hi,
        key=SLIDER,
        on_change=slider_changed,
        format="MMM YYYY",
        label_visibility="collapsed",
    )
