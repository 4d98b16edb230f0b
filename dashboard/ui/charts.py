"""The timeline of events and the documents table (the comparison of estimates is in ``compare``)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.dates import span
from dashboard.mapping import styles
from dashboard.model import Dataset
from dashboard.ui.text import md_format, visible_frame, web_link
from dashboard.wording import format_date

#: The timeline's axis covers this share of the events in view (the rest lie in a long tail: a treaty
#: of 1992, a programme to 2029) and reaches back at least this many years from the latest.
CORE_SHARE = 0.8
MIN_YEARS = 2


def timeline_domain(data: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The axis the timeline opens on: the span of the events in view, unless a few lie far out; then
    the span holding most of them (the latest 80% by start date, at least two years), padded a month."""
    starts, ends = data["start"].sort_values(), data["end"]
    first, last = starts.iloc[0], ends.max()
    if len(starts) >= 5:
        core_first = starts.iloc[int(len(starts) * (1 - CORE_SHARE))]
        recent = ends[ends <= ends.quantile(0.95)].max()
        core_first = min(core_first, recent - pd.DateOffset(years=MIN_YEARS))
        first, last = max(first, core_first), recent
    return first - pd.DateOffset(months=1), last + pd.DateOffset(months=1)


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
    first, last = timeline_domain(data)
    outside = int(((data["end"] < first) | (data["start"] > last)).sum())
    if outside:
        st.caption(
            md_format(
                "The axis shows {} – {}, where most events lie; {} event(s) outside it are in the table "
                "below (drag to pan, scroll to zoom).",
                first.strftime("%B %Y"),
                last.strftime("%B %Y"),
                outside,
            )
        )
    types = list(dict.fromkeys(data["type"]))
    colours = [styles.event_symbol(t.replace(" ", "_"))[1] for t in types]  # the map's colours
    chart = (
        alt.Chart(data)
        .mark_bar(height=14, cornerRadius=2, clip=True)
        .encode(
            x=alt.X(
                "start:T",
                title="Date (bars cover the whole day, month or year the source gives)",
                scale=alt.Scale(domain=[first.isoformat(), last.isoformat()]),
            ),
            x2="end:T",
            y=alt.Y("type:N", title=None),
            color=alt.Color("type:N", legend=None, scale=alt.Scale(domain=types, range=colours)),
            tooltip=[
                alt.Tooltip("title:N", title="Event"),
                alt.Tooltip("when:N", title="Date"),
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("id:N"),
            ],
        )
        .properties(height=max(160, 34 * data["type"].nunique()))
        .interactive(bind_y=False)
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
