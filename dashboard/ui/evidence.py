"""The evidence: the table of filtered claims and events, and the panel of what is selected."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.mapping.layers import rows_naming
from dashboard.model import Dataset
from dashboard.ui import state
from dashboard.ui.text import md_format, md_join, visible_frame
from dashboard.values import blank
from dashboard.viewstate import Selection
from dashboard.wording import format_date, format_figure

#: Zoom used when a row is shown on the map.
ROW_ZOOM = 8


def table_frame(flat: pd.DataFrame) -> pd.DataFrame:
    """The table as shown: one row per report, dates and figures in words, provenance columns.

    Cells are text (never Markdown or HTML); bidirectional controls are made visible. When retracted
    reports are shown, a first column "Retracted" marks them.
    """
    frame = visible_frame(
        pd.DataFrame(
            {
                "Kind": flat["kind"],
                "Id": flat["id"],
                "Date": [
                    format_date(d, p, q, e)
                    for d, p, q, e in zip(
                        flat["date"],
                        flat["date_precision"],
                        flat["date_qualifier"],
                        flat["date_end"],
                        strict=True,
                    )
                ],
                "What": flat["subject"],
                "Figure": [
                    format_figure(lo, be, hi, q, u)
                    for lo, be, hi, q, u in zip(
                        flat["figure_low"],
                        flat["figure_best"],
                        flat["figure_high"],
                        flat["figure_qualifier"],
                        flat["unit"],
                        strict=True,
                    )
                ],
                "Claimant": flat["claimant_name"],
                "Relayed by": flat["relayed_by_names"].str.replace(";", ", "),
                "Places": flat["place_names"].str.replace(";", ", "),
                "Quote": flat["quote"],
                "Outlet": flat["outlet"],
                "Document": flat["title"],
                "Published": [
                    format_date(d, p)
                    for d, p in zip(flat["published"], flat["published_precision"], strict=True)
                ],
            },
            index=flat.index,
        )
    )
    if (flat["retracted"] != "").any():
        marks = [
            f"{k.upper()} {on}" if k else ""
            for k, on in zip(flat["retracted"], flat["retracted_on"], strict=True)
        ]
        frame.insert(0, "Retracted", marks)
    return frame


def render_table(flat: pd.DataFrame) -> None:
    """The evidence table; choosing a row selects it and moves the map to its place."""
    st.caption("Choose a row to select it and show its place on the map.")
    frame = table_frame(flat).reset_index(drop=True)
    event = st.dataframe(
        frame,
        key="evidence",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config={"Quote": st.column_config.TextColumn(width="large")},
    )
    rows = event.selection.rows if event and event.selection else []
    chosen = rows[0] if rows else None
    if chosen is not None and chosen != st.session_state.get("evidence_row") and chosen < len(flat):
        st.session_state["evidence_row"] = chosen
        row = flat.iloc[chosen]
        state.update(selection=Selection(row["kind"], row["id"]))
        if not blank(row["lat"]) and not blank(row["lon"]):
            state.request_view((float(row["lat"]), float(row["lon"])), ROW_ZOOM)
        st.rerun()
    elif chosen is None:
        st.session_state.pop("evidence_row", None)


def selected_rows(ds: Dataset, flat: pd.DataFrame, selection: Selection) -> tuple[str, pd.DataFrame]:
    """(heading, reports) for what is selected."""
    names = dict(zip(ds.places["id"], ds.places["name"], strict=True))
    if selection.kind in ("event", "claim"):
        rows = flat[(flat["kind"] == selection.kind) & (flat["id"] == selection.id)]
        heading = rows["subject"].iloc[0] if len(rows) else selection.id
        return f"{selection.kind.capitalize()} {selection.id}: {heading}", rows
    name = names.get(selection.id, selection.id)
    province = name if selection.kind == "province" else None
    return name, rows_naming(flat, selection.id, province)


def render_selection(ds: Dataset, flat: pd.DataFrame) -> None:
    """The side panel: the claims and events behind what was clicked, each with its quote and source."""
    selection = state.current().selection
    st.subheader("Selected")
    if selection is None:
        st.caption("Click a province, border, base or event on the map, or a row of the table.")
        return
    heading, rows = selected_rows(ds, flat, selection)
    st.markdown(md_format("**{}**", heading))
    if st.button("Clear selection", key="clear_selection"):
        state.update(selection=None)
        st.rerun()
    if rows.empty:
        st.caption("No report about it in the current filter window.")
        return
    st.caption(md_format("{} claim(s)/event(s), {} report(s)", rows["id"].nunique(), len(rows)))
    for row in rows.head(40).to_dict("records"):
        _record(row)
    if len(rows) > 40:
        st.caption(md_format("… and {} more: see the evidence table.", len(rows) - 40))


def _record(row: dict) -> None:
    figure = format_figure(
        row["figure_low"], row["figure_best"], row["figure_high"], row["figure_qualifier"], row["unit"]
    )
    when = format_date(row["date"], row["date_precision"], row["date_qualifier"], row["date_end"])
    figure_part = md_format(" · **{}**", figure) if figure else ""
    head = md_format("**{} {}** · {}{}", row["kind"].capitalize(), row["id"], when, figure_part)
    meta = []
    if row["claimant_name"]:
        role = md_format(" ({})", row["claimant_role"]) if row["claimant_role"] else ""
        meta.append(md_format("Claimant: {}{}", row["claimant_name"], role))
    if row["relayed_by_names"]:
        meta.append(md_format("Relayed by: {}", row["relayed_by_names"].replace(";", ", ")))
    published = format_date(row["published"], row["published_precision"])
    meta.append(md_format("Document: {} — {}, {}", row["title"], row["outlet"], published))
    if row.get("retracted"):
        meta.append(md_format("**{}**: {}", row["retracted"].upper(), row["retraction_reason"]))
    with st.container(border=True):
        st.markdown(md_format("{}\n\n> {}\n\n{}", head, row["quote"], md_join("  \n", meta)))
