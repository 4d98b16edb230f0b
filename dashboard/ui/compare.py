"""Compare estimates: one chart per subject (what is counted) that puts every estimate side by side.

"How many militants?" is answered by one chart of every head count (fighters or members), whatever the
group: one bar per claim (a claim that one outlet words as "members" and another as "fighters" is one
estimate), its value printed on it, coloured by claimant (named in full), and a *part* ("4,000 along
the border", "relocated to the southern borders") drawn paler and labelled as a part, so that it is not
read as competing with a total. Beside the chart, a table gives each estimate's quote and source.

:func:`estimates` is plain pandas; :func:`render` draws.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.dates import span
from dashboard.mapping.strength import STRENGTH_UNITS, row_value
from dashboard.model import UNIT_LABELS, Dataset
from dashboard.ui.text import visible_frame
from dashboard.values import split_ids
from dashboard.wording import format_date, format_figure, format_number

#: Units counted together: a head count is fighters or members.
HEAD_COUNT = "head count"
SUBJECT_LABELS = {HEAD_COUNT: "Militants: fighters or members (head counts)"}
#: Claim topics whose figure is a part of a force (where it is, not how big it is in all).
PART_TOPICS = ("force_location",)
#: Strong, distinct colours (Tableau 10), one per claimant.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f")  # fmt: skip


def subject_of(unit: str) -> str:
    """What a unit counts, as a chart's subject: fighters and members are one head count."""
    return HEAD_COUNT if unit in STRENGTH_UNITS else unit


def scope_of(row: dict, kinds: dict[str, str]) -> str:
    """ "total" for a figure about a whole country or group; "part" for one about where some of a force
    is (a border, provinces, "relocated to the southern borders")."""
    places = split_ids(row.get("places"))
    whole = any(kinds.get(p) == "country" for p in places)
    return "part" if row.get("type") in PART_TOPICS or not whole else "total"


def estimates(flat: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """One row per claim with a figure: subject, value, low/high, claimant, scope, date, quote, source.

    A claim reported by several documents (or worded with different units of one subject) is one row,
    with the first report's figure and date (the earliest publication), and every document listed.
    """
    rows = flat[
        (flat["kind"] == "claim") & flat[["figure_low", "figure_best", "figure_high"]].notna().any(axis=1)
    ]
    if rows.empty:
        return pd.DataFrame()
    kinds = dict(zip(ds.places["id"], ds.places["kind"], strict=True))
    groups = dict(zip(ds.groups["id"], ds.groups["name"], strict=True))
    out = []
    for claim_id, reports in rows.sort_values(["published", "document_id"]).groupby("id", sort=False):
        records = reports.to_dict("records")
        first = records[0]
        values = [
            v for r in records for v in (r["figure_low"], r["figure_best"], r["figure_high"]) if pd.notna(v)
        ]
        when = format_date(first["date"], first["date_precision"], first["date_qualifier"], first["date_end"])
        scope = scope_of(first, kinds)
        documents = list(dict.fromkeys(r["document_id"] for r in records))
        out.append(
            {
                "claim": claim_id,
                "subject": subject_of(first["unit"]),
                "about": first["subject"],
                "group": ", ".join(groups.get(g, g) for g in split_ids(first["group"])) or "—",
                "value": row_value(first),
                "low": min(values),
                "high": max(values),
                "figure": format_figure(
                    first["figure_low"],
                    first["figure_best"],
                    first["figure_high"],
                    first["figure_qualifier"],
                    first["unit"],
                ),  # fmt: skip
                "claimant": first["claimant_name"] or "(unnamed)",
                "scope": scope,
                "date": when,
                "date_first": pd.Timestamp(span(first["date"], first["date_end"] or None)[0]),
                "quote": first["quote"],
                "source": f"{first['outlet']} [{', '.join(documents)}]",
            }
        )
    frame = pd.DataFrame(out)
    frame["label"] = [
        f"{r.claimant} · {r.group} · {r.date}" + (" · part" if r.scope == "part" else "")
        for r in frame.itertuples()
    ]
    frame["value_text"] = [
        format_number(r.value) + (" (part)" if r.scope == "part" else "") for r in frame.itertuples()
    ]
    return frame


def subject_label(subject: str) -> str:
    """How the subject selector names a subject."""
    return SUBJECT_LABELS.get(subject, UNIT_LABELS.get(subject, subject).capitalize())


def chart(data: pd.DataFrame) -> alt.LayerChart:
    """Horizontal bars, one per estimate, largest first, value printed at the end of each bar."""
    order = list(data.sort_values("value", ascending=False)["label"])
    claimants = list(dict.fromkeys(data.sort_values("value", ascending=False)["claimant"]))
    colour = alt.Color(
        "claimant:N",
        title="Claimant",
        scale=alt.Scale(domain=claimants, range=list(PALETTE[: len(claimants)]) or list(PALETTE)),
        legend=alt.Legend(orient="bottom", labelLimit=0, columns=2),
    )
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=0, labelFontSize=13))
    base = alt.Chart(data).encode(y=y)
    tooltip = [
        alt.Tooltip("figure:N", title="Figure"),
        alt.Tooltip("claimant:N", title="Claimant"),
        alt.Tooltip("about:N", title="About"),
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("source:N", title="Source"),
    ]
    bars = base.mark_bar(height=22).encode(
        x=alt.X("value:Q", title="Figure as stated", axis=alt.Axis(format=",d")),
        color=colour,
        opacity=alt.Opacity(
            "scope:N", scale=alt.Scale(domain=["total", "part"], range=[1.0, 0.45]), legend=None
        ),
        tooltip=tooltip,
    )
    ranges = base.mark_rule(strokeWidth=2, color="#222").encode(x="low:Q", x2="high:Q")
    text = base.mark_text(align="left", dx=6, fontSize=13, fontWeight="bold", color="#222").encode(
        x="value:Q", text="value_text:N"
    )
    return (bars + ranges + text).properties(height=max(120, 46 * len(data)))


def render(ds: Dataset, flat: pd.DataFrame) -> None:
    """Choose a subject; chart every estimate of it side by side, with the quote and source beside."""
    frame = estimates(flat, ds)
    if frame.empty:
        st.info("No claim with a figure matches the filters.")
        return
    counts = frame.groupby("subject").size()
    subjects = sorted(counts.index, key=lambda s: (s != HEAD_COUNT, -counts[s], s))
    pick = st.selectbox(
        "What is counted",
        subjects,
        key="compare_group",
        format_func=lambda s: f"{subject_label(s)} ({counts[s]} estimate{'s' if counts[s] != 1 else ''})",
    )
    data = visible_frame(frame[frame["subject"] == pick].reset_index(drop=True))
    st.caption(
        "One bar per claim, however many documents report it. Pale bars marked 'part' count only part "
        "of a force (along the border, in some provinces): they do not compete with the totals. A black "
        "line marks a stated range."
    )
    left, right = st.columns([3, 2])
    with left:
        st.altair_chart(chart(data), width="stretch")
    with right:
        columns = ["figure", "claimant", "scope", "date", "quote", "source"]
        table = data.sort_values("value", ascending=False)[columns].rename(columns=str.capitalize)
        st.table(table.set_index("Figure"))  # text as text; quotes wrap in full
