"""Time: the trend of events and fatalities per week or month by type, and the map's playback.

The playback steps the shared date filter through weeks or months, so the map (curated and imported
events alike), the tables and the charts all follow it; "All dates" clears it again. "Play" steps on by
itself, one period every ``PLAY_SECONDS``, until the last period or "Pause": a fragment that reruns on a
timer (``st.fragment(run_every=...)``) only while playing moves the date filter on and reruns the page.
"""

from __future__ import annotations

import time
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import dates
from dashboard.events import aggregate, periods
from dashboard.events.datasets import credit_line
from dashboard.events.store import EventStore, engine
from dashboard.model import Dataset, Filters
from dashboard.ui import imported, kept, state
from dashboard.ui.text import md_format, visible_frame
from dashboard.viewstate import with_filters

STEP_WORDS = {"week": "week", "month": "month"}
#: Seconds between two periods while playing: time for the page and the map to redraw on a loaded
#: server, and for a reader to take the map in.
PLAY_SECONDS = 3.0
#: Session keys: playing or not, the period whose wait has started, and when the next step is due
#: (a ``time.monotonic`` value).
PLAYING = "play_running"
PLAY_SHOWN = "play_shown"
PLAY_DUE = "play_due"


def following(names: list[str], current: str | None) -> str | None:
    """The period after ``current`` (the first when there is none); None after the last."""
    if current not in names:
        return names[0] if names else None
    index = names.index(current)
    return names[index + 1] if index + 1 < len(names) else None


def _span(ds: Dataset, flat_all: pd.DataFrame) -> tuple[date, date] | None:
    """First and last day of the events, curated and imported (what playback can step through)."""
    firsts, lasts = [], []
    events = flat_all[flat_all["kind"] == "event"]
    for text, end in zip(events["date"], events["date_end"], strict=True):
        try:
            first, last = dates.span(text, end or None)
        except ValueError:
            continue
        firsts.append(first)
        lasts.append(last)
    if imported.manifests(ds):
        cur = engine(ds.data_dir)
        low, high = aggregate.date_span(cur, imported.where(ds, Filters()))
        if low is not None:
            firsts.append(low)
            lasts.append(high)
    return (min(firsts), max(lasts)) if firsts else None


def _go(period: str | None, step: str) -> None:
    """Set the date filter to ``period`` (None: all dates) and let the sidebar's slider follow."""
    start, end = periods.window(period, step) if period else (None, None)
    state.update(filters=with_filters(state.current(), start=start, end=end).filters)
    st.session_state.pop("f_date_range", None)  # the sidebar slider re-reads the filter
    st.session_state["play_period"] = period


def _play_or_pause(names: list[str], current: str | None, step: str) -> None:
    """Start playing from the period shown (from the first when none is, or the last is), or pause."""
    if st.session_state.get(PLAYING):
        st.session_state[PLAYING] = False
        return
    if current is None or current == names[-1]:
        _go(names[0], step)
    st.session_state[PLAYING] = True
    st.session_state.pop(PLAY_SHOWN, None)  # the period shown now waits its full time


@st.fragment(run_every=PLAY_SECONDS)
def _ticker(names: list[str], step: str) -> None:
    """While playing: when the next step is due, move the date filter on (or stop after the last
    period) and rerun the whole page, so that the map, the tables and the charts follow.

    The fragment also runs within every full run of the page. The first time it meets a period, the
    wait for the next step starts (however long the page took to get there); afterwards only a due
    step moves on, so a rerun caused by anything else never skips a period."""
    if not st.session_state.get(PLAYING):
        return
    period = st.session_state.get("play_period")
    if st.session_state.get(PLAY_SHOWN) != period:
        st.session_state[PLAY_SHOWN] = period
        st.session_state[PLAY_DUE] = time.monotonic() + PLAY_SECONDS
        return
    if time.monotonic() < st.session_state.get(PLAY_DUE, 0.0):
        return
    upcoming = following(names, period)
    if upcoming is None:
        st.session_state[PLAYING] = False  # the last period stays shown
    else:
        _go(upcoming, step)
    st.rerun()


def render_playback(ds: Dataset, flat_all: pd.DataFrame) -> None:
    """Step the map through time by week or month: play/pause, previous, a slider of periods, next,
    all dates."""
    store = EventStore(ds.data_dir).fingerprint()  # an import moves the span
    span = kept.derived(flat_all, "playback span", lambda: _span(ds, flat_all), store)
    if span is None:
        return
    with st.expander("Step through time (playback)", expanded=bool(st.session_state.get("play_period"))):
        cols = st.columns([1.2, 1, 1, 5, 1, 1.3])
        step = cols[0].radio(
            "Step", periods.STEPS, key="play_step", horizontal=True, label_visibility="collapsed"
        )
        names = periods.periods(span[0], span[1], step)
        current = st.session_state.get("play_period")
        shown = state.current().filters
        if current not in names or periods.window(current, step) != (shown.start, shown.end):
            current = None  # the date filter was changed elsewhere (the sidebar, a link)
            st.session_state[PLAYING] = False  # and so was the playback: it stops where it is
        index = names.index(current) if current is not None else None
        playing = bool(st.session_state.get(PLAYING))
        cols[1].button(
            "⏸ Pause" if playing else "▶ Play",
            key="play_toggle",
            on_click=_play_or_pause,
            args=(names, current, step),
            help=f"Step on by itself, one {STEP_WORDS[step]} every {PLAY_SECONDS:g} seconds, to the last.",
        )
        cols[2].button(
            "◀ Previous",
            key="play_prev",
            on_click=_go,
            args=(names[max(0, (index or 0) - 1)] if index is not None else names[0], step),
        )
        cols[4].button(
            "Next ▶",
            key="play_next",
            on_click=_go,
            args=(names[min(len(names) - 1, index + 1)] if index is not None else names[0], step),
        )
        cols[5].button("All dates", key="play_all", on_click=_go, args=(None, step))

        def slid() -> None:
            _go(st.session_state["play_slider"], st.session_state.get("play_step", "month"))

        if st.session_state.get("play_slider") not in names or current != st.session_state.get("play_slider"):
            st.session_state["play_slider"] = current if current in names else names[0]
        cols[3].select_slider(
            "Period",
            options=names,
            key="play_slider",
            on_change=slid,
            format_func=lambda p: periods.label(p, step),
            label_visibility="collapsed",
        )
        if index is not None:
            st.caption(
                md_format(
                    "The map and tables show the {}: {}{}.",
                    STEP_WORDS[step],
                    periods.label(current, step),
                    " (playing)" if playing else "",
                )
            )
        if playing:
            _ticker(names, step)


def render_trend(ds: Dataset, flat: pd.DataFrame, filters: Filters) -> None:
    """Events and fatalities per week or month by type, under the filters: the imported events with the
    curated ones beside them (nothing when no dataset is imported; the timeline above has the curated)."""
    if not imported.manifests(ds):
        return
    st.markdown("##### Events over time")
    step = st.radio("Per", periods.STEPS, key="trend_step", horizontal=True, index=1)
    frames = [periods.curated_events(flat, step).assign(fatalities=0, source="curated")]
    counts = aggregate.trend(engine(ds.data_dir), imported.where(ds, filters), step)
    frames.append(counts.assign(source="imported"))
    data = (
        pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else None
    )
    if data is None:
        st.info("No event matches the filters.")
        return
    data["period"] = pd.to_datetime(data["period"])
    data = visible_frame(data)
    tooltip = [
        alt.Tooltip("period:T", title=step.capitalize()),
        alt.Tooltip("event_type:N", title="Type"),
        alt.Tooltip("events:Q", title="Events"),
        alt.Tooltip("fatalities:Q", title="Fatalities"),
    ]
    unit = "yearmonth" if step == "month" else "yearmonthdate"
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{unit}(period):T", title=None),
            y=alt.Y("sum(events):Q", title=f"Events per {step}"),
            color=alt.Color("event_type:N", title="Type"),
            tooltip=tooltip,
        )
        .properties(height=240)
    )
    deaths = (
        alt.Chart(data[data["source"] == "imported"])
        .mark_bar()
        .encode(
            x=alt.X(f"{unit}(period):T", title=None),
            y=alt.Y(
                "sum(fatalities):Q", title=f"Fatalities per {step} (imported, as each dataset states them)"
            ),
            color=alt.Color("event_type:N", title="Type"),
            tooltip=tooltip,
        )
        .properties(height=200)
    )
    st.altair_chart(alt.vconcat(bars, deaths), width="stretch")
    credits = "; ".join(credit_line(k, m) for k, m in imported.manifests(ds).items())
    if credits:
        st.caption(md_format("Imported events: {}", credits))
