"""The "what changed" view: what became known since a chosen date, with quotes, and its export.

The list is :func:`dashboard.changes.changes` under the sidebar's filters; it runs from the "since"
date (URL key ``since``) to the "as known on" date, or to today when none is set. By default it starts
at the publication before the newest one in view, so it opens on what the latest sources added.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard.changes import Changes, Said, changes
from dashboard.exports.changes import changes_csv, changes_markdown
from dashboard.exports.paths import safe_name
from dashboard.filters import known_by
from dashboard.model import Dataset, Filters
from dashboard.ui import state
from dashboard.ui.text import Md, md_format

_KEY = "changes_since"


def default_since(flat_all: pd.DataFrame, until: date) -> date:
    """The last day of the publication before the newest one known by ``until`` (a day before it if
    there is only one), so the view opens on what the newest sources added."""
    days = sorted({known_by(p) for p in pd.unique(flat_all["published"]) if known_by(p) <= until})
    if len(days) >= 2:
        return days[-2]
    return (days[-1] if days else until) - timedelta(days=1)


def _window(flat_all: pd.DataFrame, filters: Filters) -> tuple[date, date]:
    until = known_by(filters.known_on) if filters.known_on else date.today()
    since = state.current().since
    latest = until - timedelta(days=1)
    if _KEY not in st.session_state:
        st.session_state[_KEY] = known_by(since) if since else default_since(flat_all, until)
    chosen = st.session_state[_KEY]
    if not isinstance(chosen, date) or chosen > latest:
        # An earlier "as known on" date moved the end before the chosen start: start again from the
        # publication before the newest one still in view.
        st.session_state[_KEY] = min(default_since(flat_all, until), latest)
        if since:
            state.update(since=None)  # the link no longer names a start inside the window

    def changed() -> None:
        chosen = st.session_state[_KEY]
        state.update(since=chosen.isoformat() if isinstance(chosen, date) else None)

    picked = st.date_input(
        "Since",
        key=_KEY,
        min_value=date(1990, 1, 1),
        max_value=latest,
        on_change=changed,
        format="YYYY-MM-DD",
        help="Lists what became known after this day, by the publication date of the reports.",
    )
    return (picked if isinstance(picked, date) else default_since(flat_all, until)), until


def _said(s: Said, label: str = "") -> Md:
    figure = md_format("**{}** · ", s.figure) if s.figure else ""
    who = s.claimant or "no claimant named"
    relayed = md_format(", relayed by {}", s.relayed_by) if s.relayed_by else ""
    mark = md_format(" · **{}**", s.retracted.upper()) if s.retracted else ""
    return md_format(
        "{}{}{}{} — {}, {} ({}, {}){}\n\n> {}",
        label,
        figure,
        who,
        relayed,
        s.outlet,
        s.published,
        s.document_id,
        s.report_id,
        mark,
        s.quote,
    )


def _show(found: Changes) -> None:
    st.caption(
        md_format(
            "{} new claim(s) and event(s), {} corroborated, {} figure(s) moved, {} retraction(s).",
            len(found.new),
            len(found.corroborated),
            len(found.moved),
            len(found.retractions),
        )
    )
    for item in found.new:
        with st.container(border=True):
            st.markdown(md_format("**New {} {}**: {}", item.kind, item.id, item.subject))
            for s in item.reports:
                st.markdown(md_format("{}", _said(s)))
    for item in found.corroborated:
        with st.container(border=True):
            st.markdown(md_format("**Corroborated: {} {}**: {}", item.kind, item.id, item.subject))
            for s in item.new:
                st.markdown(md_format("{}", _said(s, "New report: ")))
    for move in found.moved:
        with st.container(border=True):
            st.markdown(
                md_format("**Figure moved** ({}): {} → {}", move.series, move.old.figure, move.new.figure)
            )
            st.markdown(md_format("{}", _said(move.old, "Before: ")))
            st.markdown(md_format("{}", _said(move.new, "Now: ")))
    for r in found.retractions:
        st.markdown(
            md_format(
                "**{} {}** {} on {}: {} ({} report(s) in view rest on it)",
                r.target_kind.capitalize(),
                r.target,
                r.kind,
                r.date,
                r.reason,
                r.reports,
            )
        )


def render(ds: Dataset, flat_all: pd.DataFrame, filters: Filters) -> None:
    """The "since" date, the list of what changed since then, and its Markdown and CSV downloads."""
    since, until = _window(flat_all, filters)
    found = changes(flat_all, ds.retractions, since.isoformat(), until.isoformat(), filters)
    st.markdown(md_format("**What changed {}**", found.window))
    if found.empty:
        st.info("Nothing became known in this window under these filters.")
    else:
        _show(found)
    stem = safe_name(f"changes-{found.since}-{found.until}")
    left, right = st.columns(2)
    left.download_button(
        "Download as Markdown", changes_markdown(found), f"{stem}.md", "text/markdown", key="changes_md"
    )
    right.download_button("Download as CSV", changes_csv(found), f"{stem}.csv", "text/csv", key="changes_csv")
