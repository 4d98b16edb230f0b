"""The comparison of estimates for one group over time, by claimant, and the timeline of events."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.dates import span
from dashboard.mapping.text import visible
from dashboard.model import UNIT_LABELS, Dataset
from dashboard.ui.text import visible_frame, web_link
from dashboard.wording import format_date, format_figure


def estimates_frame(flat: pd.DataFrame) -> pd.DataFrame:
    """Claims with a figure, one row per report, with the date interval and low/best/high to plot."""
    rows = flat[
        (flat["kind"] == "claim") & flat[["figure_low", "figure_best", "figure_high"]].notna().any(axis=1)
    ]
    out = []
    for r in rows.to_dict("records"):
        first, last = span(r["date"], r["date_end"] or None)
        values = [v for v in (r["figure_low"], r["figure_best"], r["figure_high"]) if pd.notna(v)]
        out.append(
            {
                "id": r["id"],
                "group": r["group"],
                "unit": r["unit"],
                "claimant": r["claimant_name"] or "(unnamed)",
                "date_first": pd.Timestamp(first),
                "date_last": pd.Timestamp(last),
                "low": min(values),
                "high": max(values),
                "best": r["figure_best"] if pd.notna(r["figure_best"]) else None,
                "figure": format_figure(
                    r["figure_low"], r["figure_best"], r["figure_high"], r["figure_qualifier"], r["unit"]
                ),
                "when": format_date(r["date"], r["date_precision"], r["date_qualifier"], r["date_end"]),
                "outlet": r["outlet"],
                "subject": r["subject"],
            }
        )
    return pd.DataFrame(out)


def render_comparison(ds: Dataset, flat: pd.DataFrame) -> None:
    """Pick a group and a unit; plot every figure for them by date and claimant, with low–high ranges."""
    frame = estimates_frame(flat)
    if frame.empty:
        st.info("No claim with a figure matches the filters.")
        return
    names = dict(zip(ds.groups["id"], ds.groups["name"], strict=True))
    frame = frame.assign(group=frame["group"].str.split(";")).explode("group")
    pairs = frame.groupby(["group", "unit"]).size().sort_values(ascending=False)
    choices = [f"{g}|{u}" for g, u in pairs.index]
    pick = st.selectbox(
        "Group and what is counted",
        choices,
        key="compare_group",
        format_func=lambda c: visible(  # an option label is plain text
            f"{names.get(c.split('|')[0], c.split('|')[0])} — "
            f"{UNIT_LABELS.get(c.split('|')[1], c.split('|')[1])} "
            f"({pairs[tuple(c.split('|'))]} report(s))"
        ),
    )
    group, unit = pick.split("|")
    data = visible_frame(frame[(frame["group"] == group) & (frame["unit"] == unit)])  # tooltips: plain text
    st.caption(
        "Each mark is one report of a figure. Vertical bars: low–high range as stated; horizontal bars: "
        "the span of time the date covers (a month-precise date spans the month)."
    )
    base = alt.Chart(data).encode(color=alt.Color("claimant:N", title="Claimant"))
    tooltip = [
        alt.Tooltip("figure:N", title="Figure"),
        alt.Tooltip("claimant:N"),
        alt.Tooltip("when:N", title="Date"),
        alt.Tooltip("outlet:N", title="Outlet"),
        alt.Tooltip("subject:N", title="About"),
        alt.Tooltip("id:N"),
    ]
    y_title = UNIT_LABELS.get(unit, unit)
    ranges = base.mark_rule(strokeWidth=3).encode(
        x="date_first:T", y=alt.Y("low:Q", title=y_title), y2="high:Q"
    )
    spans = base.mark_rule(strokeWidth=2, opacity=0.5).encode(
        x=alt.X("date_first:T", title="Date"), x2="date_last:T", y="high:Q"
    )
    points = base.mark_point(size=90, filled=True).encode(x="date_first:T", y="high:Q", tooltip=tooltip)
    st.altair_chart((ranges + spans + points).properties(height=360), width="stretch")


def render_timeline(flat: pd.DataFrame) -> None:
    """Events on a time axis, one row per type, each spanning the interval its date covers."""
    events = flat[flat["kind"] == "event"].drop_duplicates("id")
    if events.empty:
        st.info("No event matches the filters.")
        return
    rows = []
    for r in events.to_dict("records"):
        first, last = span(r["date"], r["date_end"] or None)
        rows.append(
            {
                "id": r["id"],
                "type": r["type"].replace("_", " "),
                "title": r["subject"],
                "start": pd.Timestamp(first),
                "end": pd.Timestamp(last) + pd.Timedelta(days=1),
                "when": format_date(r["date"], r["date_precision"], r["date_qualifier"], r["date_end"]),
                "place": r["place_names"].split(";")[0] if r["place_names"] else "",
            }
        )
    data = visible_frame(pd.DataFrame(rows))
    chart = (
        alt.Chart(data)
        .mark_bar(height=14, cornerRadius=2)
        .encode(
            x=alt.X("start:T", title="Date (bars cover the whole day, month or year the source gives)"),
            x2="end:T",
            y=alt.Y("type:N", title=None),
            color=alt.Color("type:N", legend=None),
            tooltip=[
                alt.Tooltip("title:N", title="Event"),
                alt.Tooltip("when:N", title="Date"),
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("id:N"),
            ],
        )
        .properties(height=max(160, 34 * data["type"].nunique()))
    )
    st.altair_chart(chart, width="stretch")
    st.dataframe(
        data[["when", "type", "title", "place", "id"]].rename(columns=str.capitalize),
        hide_index=True,
        width="stretch",
    )


def render_documents(ds: Dataset, flat: pd.DataFrame) -> None:
    """The source documents with outlet, address and publication date (at its precision)."""
    counts = flat.groupby("document_id").size()
    docs = ds.documents.assign(
        published_words=[
            format_date(d, p)
            for d, p in zip(ds.documents["published"], ds.documents["published_precision"], strict=True)
        ],
        reports=[int(counts.get(i, 0)) for i in ds.documents["id"]],
        url=[web_link(u) for u in ds.documents["url"]],  # only an http(s) address becomes a link
    )
    docs = visible_frame(docs)
    st.dataframe(
        docs[["id", "title", "outlet", "published_words", "url", "reports"]],
        hide_index=True,
        width="stretch",
        column_config={
            "id": "Id",
            "title": "Title",
            "outlet": "Outlet",
            "published_words": st.column_config.TextColumn(
                "Published", help="At the precision the source allows"
            ),
            "url": st.column_config.LinkColumn("Address"),
            "reports": st.column_config.NumberColumn("Reports in the filter window"),
        },
    )
