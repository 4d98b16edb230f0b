"""The evidence: the table of filtered claims and events, and the panel of what is selected."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.mapping.layers import rows_naming
from dashboard.model import Dataset
from dashboard.ui import imported, search, state
from dashboard.ui.text import md_format, md_join, visible_frame
from dashboard.values import blank, split_ids
from dashboard.viewstate import Selection
from dashboard.wording import format_date, format_figure

#: Zoom used when a row is shown on the map; a record about a whole country shows it at the zoom of
#: the whole basemap (the map never zooms out past its basemap).
ROW_ZOOM = 8
COUNTRY_ZOOM = 5


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


#: Column widths of the evidence table: short codes small, words medium, quotes and titles large.
COLUMN_WIDTHS = {
    "Kind": "small", "Id": "small", "Date": "medium", "What": "large", "Figure": "medium",
    "Claimant": "medium", "Relayed by": "medium", "Places": "medium", "Quote": "large",
    "Outlet": "medium", "Document": "large", "Published": "medium",
}  # fmt: skip


def render_table(flat: pd.DataFrame, ds: Dataset | None = None) -> None:
    """The evidence table with its search box; choosing a row selects it and moves the map to it (a
    record about a whole country frames the country and highlights it)."""
    names = dict(zip(ds.groups["id"], ds.groups["name"], strict=True)) if ds is not None else {}
    found = search.render(flat, names)
    if len(found) < len(flat):
        st.caption(md_format("{} of {} reports hold every word searched.", len(found), len(flat)))
    st.caption("Choose a row to select it and show its place on the map.")
    frame = table_frame(found).reset_index(drop=True)
    event = st.dataframe(
        frame,
        key="evidence",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config={name: st.column_config.TextColumn(width=w) for name, w in COLUMN_WIDTHS.items()},
    )
    rows = event.selection.rows if event and event.selection else []
    chosen = rows[0] if rows else None
    if chosen is not None and chosen != st.session_state.get("evidence_row") and chosen < len(found):
        st.session_state["evidence_row"] = chosen
        row = found.iloc[chosen]
        state.update(selection=Selection(row["kind"], row["id"]))
        _show_on_map(row, ds)
        st.rerun()
    elif chosen is None:
        st.session_state.pop("evidence_row", None)


def _show_on_map(row: pd.Series, ds: Dataset | None) -> None:
    """Move the map to a chosen record; one that names a whole country frames it and highlights it."""
    areas = area_places(row, ds) if ds is not None else ()
    st.session_state["highlight_places"] = (f"{row['kind']}:{row['id']}", areas)
    if areas and ds is not None:
        frame = ds.geometry.get("countries")
        ref = ds.places.set_index("id").get("geometry_ref", pd.Series(dtype=str)).get(areas[0], "")
        fid = str(ref).split("#", 1)[-1]
        if frame is not None and fid in set(frame["id"]):
            point = frame[frame["id"] == fid].geometry.iloc[0].representative_point()
            state.request_view((float(point.y), float(point.x)), COUNTRY_ZOOM)
            return
    if not blank(row["lat"]) and not blank(row["lon"]):
        state.request_view((float(row["lat"]), float(row["lon"])), ROW_ZOOM)


def area_places(row: pd.Series, ds: Dataset) -> tuple[str, ...]:
    """The countries a record names (its place list's places of kind country), for the map to outline."""
    kinds = dict(zip(ds.places["id"], ds.places["kind"], strict=True))
    return tuple(p for p in split_ids(row.get("places")) if kinds.get(p) == "country")


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
    if selection.kind == "imported":  # an ACLED or UCDP GED event: its own panel
        imported.render_selection(ds, selection, state.current().filters)
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
