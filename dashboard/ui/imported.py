"""Imported events (ACLED, UCDP GED) in the app: their sidebar section, the map's view of them, their
table under the evidence, and the upload that imports an export.

They are context beside the curated evidence, never mixed into it: their own table, their own layer,
their own credits. The shared filters (dates, province, type) apply to them; the curated-only ones
(group, claimant, ...) hide them, and the sidebar says so.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.events import aggregate
from dashboard.events.datasets import DATASETS, credit_line
from dashboard.events.importer import NOTE_LIMIT, ImportFailed, import_file
from dashboard.events.query import Condition, EventFilters, condition, excluded_by, towns_of
from dashboard.events.regions import regions_for
from dashboard.events.store import EventStore, engine
from dashboard.mapping.event_layers import AGGREGATES, EventView, deaths_words, view_bounds, when_words
from dashboard.model import Dataset, Filters
from dashboard.ui import signin, state
from dashboard.ui.text import md_format, md_join, visible_frame
from dashboard.viewstate import Selection, with_filters
from dashboard.wording import format_number

#: Rows of the imported-events table shown at once (newest first).
TABLE_ROWS = 250
#: The map component's key in ``map_panel`` (its last report is read from the session under it).
MAP_KEY = "map"
_UPLOAD_RESULT = "ev_upload_result"


def memo(name: str, key: tuple, compute):
    """``compute()``, kept in the session while ``key`` (the store's state, the filters) stays the same:
    a map move reruns the page, and the sidebar's counts need not be recomputed for it."""
    cache = st.session_state.setdefault("ev_memo", {})
    full = (name, *key)
    if full not in cache:
        if len(cache) > 64:
            cache.clear()
        cache[full] = compute()
    return cache[full]


def manifests(ds: Dataset) -> dict[str, dict]:
    """Manifests of the datasets imported into ``ds``'s data folder."""
    return EventStore(ds.data_dir).manifests()


def event_filters() -> EventFilters:
    """The filters only imported events have, as the sidebar set them (the actor is a shared filter,
    ``Filters.actor``, kept in the view state and so in the URL)."""
    return EventFilters(
        datasets=tuple(st.session_state.get("ev_datasets", ())),
        include_withdrawn=bool(st.session_state.get("ev_withdrawn", False)),
    )


def where(ds: Dataset, filters: Filters, extra: EventFilters | None = None) -> Condition:
    """The engine's condition for the page's filters."""
    regions = regions_for(ds.data_dir)
    return condition(filters, extra or event_filters(), regions, towns_of(ds.places, regions))


def render_sidebar(ds: Dataset, filters: Filters) -> None:
    """The "Imported events" section of the sidebar: its filters when any are imported, and the upload
    (for curators only)."""
    found = manifests(ds)
    with st.sidebar.expander("Imported events (ACLED, UCDP GED)", expanded=False):
        if found:
            _controls(ds, filters, found)
        else:
            st.caption("None imported yet.")
        if signin.can_curate():
            st.divider()
            render_upload(ds)


def _controls(ds: Dataset, filters: Filters, found: dict[str, dict]) -> None:
    """Datasets, actors, how many events are drawn, withdrawn ones, and what matches."""
    cur = engine(ds.data_dir)
    st.multiselect(
        "Datasets (none chosen: all)",
        list(found),
        key="ev_datasets",
        format_func=lambda k: f"{DATASETS[k].name} (export of {found[k].get('export_date', '?')})",
    )
    stamp = (str(ds.data_dir), EventStore(ds.data_dir).fingerprint(), filters, event_filters())
    others = replace(filters, actor=())
    actors = memo("actors", stamp, lambda: aggregate.actor_counts(cur, where(ds, others)))
    counts = dict(zip(actors["actor"], actors["events"], strict=True))
    _actor_filter(filters, counts)
    st.radio(
        "Many events drawn as",
        list(AGGREGATES),
        key="ev_aggregate",
        format_func=AGGREGATES.get,
        horizontal=True,
    )
    st.toggle("Include events withdrawn from the source", key="ev_withdrawn")
    blocked = excluded_by(filters)
    if blocked:
        st.warning(
            md_format(
                "Imported events are hidden while these filters are set: {}. They carry no curated "
                "document, outlet, agency, claimant, affiliation or group.",
                ", ".join(blocked),
            )
        )
    events, deaths = memo("totals", stamp, lambda: aggregate.totals(cur, where(ds, filters)))
    st.caption(
        md_format("{} imported events match ({} fatalities).", format_number(events), format_number(deaths))
    )


#: The actor widget's key, and the view state's actors it last showed.
ACTOR_KEY = "ev_actors"
_ACTOR_SHOWN = "ev_actors_shown"


def _actor_filter(filters: Filters, counts: dict[str, int]) -> None:
    """The actor filter (``Filters.actor``): any part of an actor's name, either side or associated.

    The widget follows the view state whenever that changes elsewhere (a shared link, "Clear all
    filters"); a choice here goes into the view state, and so into the URL."""
    wanted = list(filters.actor)
    if st.session_state.get(_ACTOR_SHOWN) != wanted:
        st.session_state[ACTOR_KEY] = wanted
        st.session_state[_ACTOR_SHOWN] = wanted

    def changed() -> None:
        chosen = tuple(dict.fromkeys(st.session_state[ACTOR_KEY]))
        st.session_state[_ACTOR_SHOWN] = list(chosen)
        state.update(filters=with_filters(state.current(), actor=chosen).filters)

    st.multiselect(
        "Actor (either side)",
        list(dict.fromkeys([*st.session_state.get(ACTOR_KEY, []), *counts])),
        key=ACTOR_KEY,
        on_change=changed,
        format_func=lambda a: f"{a} ({counts[a]})" if a in counts else a,
        help="Any actor of the event, either side or associated (part of a name also matches, in the "
        "link: ?actor=taliban). Curated reports are not narrowed by it.",
    )


def type_choices(ds: Dataset, filters: Filters) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """The imported events' types as (value, label) choices of the shared type filter, with the number
    each would keep given the other filters."""
    if not manifests(ds):
        return [], {}
    stamp = (str(ds.data_dir), EventStore(ds.data_dir).fingerprint(), filters, event_filters())
    counts = memo(
        "types",
        stamp,
        lambda: aggregate.type_counts(engine(ds.data_dir), where(ds, replace(filters, type=()))),
    )
    values = [str(t) for t in counts["event_type"]]
    return [(t, t) for t in values], dict(zip(values, counts["events"].astype(int), strict=True))


def map_view(zoom: int | None, centre: tuple[float, float] | None) -> EventView | None:
    """What the map shows now, from the component's last report (bounds and zoom), else from ``zoom``
    and ``centre``; None when nothing is imported is decided by the layer itself."""
    value = st.session_state.get(MAP_KEY)
    aggregate_by = st.session_state.get("ev_aggregate", "hexagon")
    extra = event_filters()
    bounds = _bounds(value.get("bounds")) if isinstance(value, dict) else None
    reported = value.get("zoom") if isinstance(value, dict) else None
    if bounds is not None and isinstance(reported, int):
        return EventView(reported, bounds, aggregate_by, extra)
    if zoom is None or centre is None:
        return None
    return EventView(zoom, view_bounds(centre, zoom, (1400, 700)), aggregate_by, extra)


def _bounds(value: object) -> tuple[float, float, float, float] | None:
    """Leaflet's {"_southWest": {lat, lng}, "_northEast": {lat, lng}} as (south, west, north, east)."""
    try:
        south, west = float(value["_southWest"]["lat"]), float(value["_southWest"]["lng"])
        north, east = float(value["_northEast"]["lat"]), float(value["_northEast"]["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= south < north <= 90 and -540 <= west < east <= 540):
        return None
    return south, west, north, east


def table_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Imported events as the table shows them (text cells, plain text)."""
    return visible_frame(
        pd.DataFrame(
            {
                "Dataset": [DATASETS[d].name for d in rows["dataset"]],
                "Event id": rows["event_id"],
                "Date": [
                    str(a) if a == b else f"{a} – {b}"
                    for a, b in zip(rows["date_start"], rows["date_end"], strict=True)
                ],
                "Type": rows["event_type"],
                "Sub-type": rows["sub_event_type"],
                "Actors": [
                    " – ".join(str(v) for v in pair if isinstance(v, str) and v)
                    for pair in zip(rows["actor1"], rows["actor2"], strict=True)
                ],
                "Location": rows["location"],
                "Province": rows["province"],
                "Fatalities": rows["fatalities"],
                "Notes": rows["notes"],
                "Status": rows["status"],
            }
        )
    )


def render_table(ds: Dataset, filters: Filters) -> None:
    """The imported events that match the filters, newest first, under the curated evidence."""
    found = manifests(ds)
    if not found:
        return
    st.markdown("##### Imported events (context from other datasets, not curated evidence)")
    cur = engine(ds.data_dir)
    cond = where(ds, filters)
    events, _ = aggregate.totals(cur, cond)
    rows = aggregate.rows(cur, cond, TABLE_ROWS)
    st.caption(
        md_format(
            "{} of {} matching imported events, newest first; exports carry them all. Data: {}",
            format_number(len(rows)),
            format_number(events),
            "; ".join(credit_line(k, m) for k, m in found.items()),
        )
    )
    if len(rows):
        st.dataframe(
            table_frame(rows),
            hide_index=True,
            width="stretch",
            key="imported_table",
            column_config={"Notes": st.column_config.TextColumn(width="large")},
        )


def selected_event(ds: Dataset, selection: Selection) -> dict | None:
    """The stored imported event a selection (``imported:acled:AFG123``) names, withdrawn ones
    included; None when the store has no such event."""
    dataset, _, event_id = selection.id.partition(":")
    if dataset not in DATASETS or not event_id or not manifests(ds):
        return None
    named = Condition("dataset = ? AND event_id = ?", [dataset, event_id])
    found = aggregate.rows(engine(ds.data_dir), named, 1)
    return found.to_dict("records")[0] if len(found) else None


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def _side(actor: object, associated: object) -> str:
    """ "Taliban (with: A; B)": an actor with its associated actors."""
    main, extra = _text(actor), _text(associated)
    return f"{main} (with: {extra})" if main and extra else main or extra


def event_lines(row: dict, manifest: dict) -> list[tuple[str, str]]:
    """(label, text) per line of an imported event's side panel: plain text, escaped when shown."""
    info = DATASETS[row["dataset"]]
    precision = None if pd.isna(row["geo_precision"]) else int(row["geo_precision"])
    where = ", ".join(_text(row[c]) for c in ("location", "admin2", "admin1", "country") if _text(row[c]))
    place = info.place_words.get(precision or 0, "location precision not given")
    status = "current in the latest export"
    if row["status"] == "withdrawn":
        status = f"withdrawn from the source (no longer in the export of {_text(row['withdrawn_on'])})"
    sides = (_side(row["actor1"], row["assoc_actor_1"]), _side(row["actor2"], row["assoc_actor_2"]))
    actors = " – ".join(side for side in sides if side)
    lines = [
        ("Dataset", f"{info.name}, event {row['event_id']} ({status})"),
        ("Date", when_words(row)),
        ("Type", " · ".join(_text(row[c]) for c in ("event_type", "sub_event_type") if _text(row[c]))),
        ("Actors", actors or "not given"),
        ("Fatalities", deaths_words(row)),
        ("Place", f"{where or 'not named'} ({place})"),
        ("Province", _text(row["province"]) or "outside the map's provinces"),
        ("Source(s)", _text(row["source"]) or "not given"),
        ("Data", credit_line(row["dataset"], manifest)),
    ]
    return lines


def render_selection(ds: Dataset, selection: Selection, filters: Filters) -> None:
    """The side panel for an imported event clicked on the map: what, when, who, fatalities, the
    dataset's notes and sources, and its credit (context from the dataset, not curated evidence)."""
    row = selected_event(ds, selection)
    dataset, _, event_id = selection.id.partition(":")
    name = DATASETS[dataset].name if dataset in DATASETS else dataset
    st.markdown(md_format("**{} event {}**", name, event_id))
    if st.button("Clear selection", key="clear_selection"):
        state.update(selection=None)
        st.rerun()
    if row is None:
        st.caption("No imported event by this id in the store (its export may not be imported here).")
        return
    cond = where(ds, filters).and_("dataset = ? AND event_id = ?", row["dataset"], row["event_id"])
    if aggregate.totals(engine(ds.data_dir), cond)[0] == 0:
        st.caption("Outside the current filters: shown because it is selected.")
    st.caption("Imported context from another dataset, not curated evidence.")
    lines = event_lines(row, manifests(ds).get(row["dataset"], {}))
    with st.container(border=True):
        st.markdown(md_join("  \n", (md_format("**{}**: {}", label, text) for label, text in lines[:7])))
        notes = _text(row["notes"])
        if notes:
            st.markdown(md_format("> {}", notes))
        else:
            st.caption("No notes in the dataset.")
        st.caption(md_join("  \n", (md_format("{}: {}", label, text) for label, text in lines[7:])))


def render_upload(ds: Dataset) -> None:
    """Import an ACLED or UCDP GED export into the data folder, with every rejected row listed."""
    found = manifests(ds)
    st.caption(
        "Bring in an ACLED or UCDP GED export (CSV or XLSX). Its events become context on the map, in "
        "the filters, tables and exports; they never become curated claims. Re-importing a newer export "
        "updates events by id; events no longer in it are kept and marked withdrawn."
    )
    for key, manifest in found.items():
        st.markdown(
            md_format(
                "**{}**: {} current, {} withdrawn. {}",
                DATASETS[key].name,
                format_number(manifest.get("events_current", 0)),
                format_number(manifest.get("events_withdrawn", 0)),
                credit_line(key, manifest),
            )
        )
        last = (manifest.get("imports") or [{}])[-1]
        if last.get("imported_at"):
            st.caption(
                md_format(
                    "Last import: {} ({}) on {} UTC{}",
                    last.get("source_file", ""),
                    last.get("export_date", ""),
                    last["imported_at"].replace("T", " ").removesuffix("+00:00"),
                    f" by {last['who']}" if last.get("who") else "",
                )
            )
    with st.form("ev_upload", clear_on_submit=False):
        dataset = st.radio("Dataset", list(DATASETS), format_func=lambda k: DATASETS[k].name, horizontal=True)
        upload = st.file_uploader("Export file", type=["csv", "xlsx"], key="ev_file")
        export_date = st.text_input("Export date (YYYY-MM-DD, optional)", key="ev_export_date")
        submitted = st.form_submit_button("Import")
    if submitted and upload is not None:
        st.session_state[_UPLOAD_RESULT] = _import_upload(ds, dataset, upload, export_date.strip() or None)
    _show_result(st.session_state.get(_UPLOAD_RESULT))


def _import_upload(ds: Dataset, dataset: str, upload, export_date: str | None) -> dict:
    person = signin.current_curator()  # checked again here, just before the write
    if person is None:
        return {"error": "only curators can import; nothing was changed"}
    suffix = (
        Path(upload.name).suffix.lower() if Path(upload.name).suffix.lower() in (".csv", ".xlsx") else ".csv"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(upload.getvalue())
        try:
            result = import_file(
                dataset, path, ds.data_dir, export_date, file_name=Path(upload.name).name, who=person.who
            )
        except ImportFailed as exc:
            return {"error": str(exc)}
    lines = [str(p) for p in result.problems] + [f"{n} (note)" for n in result.place_notes[:NOTE_LIMIT]]
    return {"summary": result.summary(), "lines": lines, "notes": list(result.notes)}


def _show_result(result: dict | None) -> None:
    if not result:
        return
    if "error" in result:
        st.error(md_format("Nothing imported: {}", result["error"]))
        return
    st.success(md_format("{}", result["summary"]))
    for note in result["notes"]:
        st.caption(md_format("Note: {}", note))
    if result["lines"]:
        st.code("\n".join(result["lines"]), language=None)
