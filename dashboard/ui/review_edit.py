"""One proposal under review: its sentence highlighted in the article, the records it may already be,
and a form to edit its fields and decide (a new record, a report of a record, or rejected)."""

from __future__ import annotations

import streamlit as st

from dashboard.ingest.files import read_rows
from dashboard.ingest.review import PUBLISHED, REJECTED, REVIEWED, Suggestion, status
from dashboard.ingest.session import ReviewSession
from dashboard.mapping.text import html
from dashboard.schema import product_schema
from dashboard.ui import data
from dashboard.ui.text import md_format, visible
from dashboard.values import join_ids, split_ids

PICK = "rv_pick"
_NEXT = "rv_next"  # the proposal to show after a decision (set before the picker exists)
NEW = "new"
OTHER = "other"


def render(session: ReviewSession, rerun) -> None:
    """The proposal picker, the sentence beside the form; ``rerun`` draws the review again."""
    if _NEXT in st.session_state:
        st.session_state[PICK] = st.session_state.pop(_NEXT)
    rows = session.rows
    i = st.selectbox(
        "Proposal",
        list(range(len(rows))),
        format_func=lambda k: visible(
            f"{k + 1}. {rows[k]['kind']} · {status(rows[k])} · {rows[k]['quote'][:90]}"
        ),
        key=PICK,
    )
    data_dir = data.data_dirs()[0]
    claims, reports = read_rows(data_dir / "claims.csv"), read_rows(data_dir / "reports.csv")
    found = session.suggestions(i, claims, reports)
    left, right = st.columns([1, 1])
    with left:
        _sentence(session, i, found)
    with right:
        if status(rows[i]) == PUBLISHED:
            st.caption(md_format("Published as {}.", rows[i]["id"]))
        else:
            _form(session, i, found, rerun)


def _sentence(session: ReviewSession, i: int, found: list[Suggestion]) -> None:
    before, sentence, after = session.context(i)
    st.markdown(
        html("<div class='dm-review-context'>…{}<mark>{}</mark>{}…</div>", before, sentence, after),
        unsafe_allow_html=True,
    )
    row = session.rows[i]
    if row.get("review"):
        st.caption(md_format("To check: {}", row["review"]))
    if row.get("place_matches"):
        st.caption(md_format("Places matched: {}", row["place_matches"]))
    for s in found:
        st.caption(md_format("Possibly already in the data: {} {} ({})", s.record_kind, s.record_id, s.why))
    if status(row) == REJECTED:
        st.caption(md_format("Rejected: {}", row.get("reason", "")))


def _form(session: ReviewSession, i: int, found: list[Suggestion], rerun) -> None:
    row = session.rows[i]
    kind = row["kind"]
    schema = product_schema()
    table = schema["claims" if kind == "claim" else "events"]
    known = _known(session)
    with st.form(f"rv_form_{i}"):
        values = {"subject": st.text_input("What it is about", row.get("subject", ""), key=f"rv_{i}_subject")}
        values["type"] = _choice(
            "Topic" if kind == "claim" else "Type",
            table,
            "topic" if kind == "claim" else "type",
            row.get("type", ""),
            i,
        )
        if kind == "claim":
            a, b, c = st.columns(3)
            values["figure_low"] = a.text_input("Figure: low", row.get("figure_low", ""), key=f"rv_{i}_low")
            values["figure_best"] = b.text_input(
                "Figure: best", row.get("figure_best", ""), key=f"rv_{i}_best"
            )
            values["figure_high"] = c.text_input(
                "Figure: high", row.get("figure_high", ""), key=f"rv_{i}_high"
            )
            a, b = st.columns(2)
            with a:
                values["figure_qualifier"] = _choice(
                    "Qualifier", table, "figure_qualifier", row.get("figure_qualifier", ""), i
                )
            with b:
                values["unit"] = _choice("Unit", table, "unit", row.get("unit", ""), i)
            values["claimant"] = _ids("Claimant", known["actors"], row.get("claimant", ""), i, single=True)
        values["relayed_by"] = _ids("Relayed by", known["actors"], row.get("relayed_by", ""), i)
        values["places"] = _ids("Places", known["places"], row.get("places", ""), i)
        values["group"] = _ids("Groups", known["groups"], row.get("group", ""), i)
        a, b = st.columns(2)
        values["date"] = a.text_input(
            "Date (YYYY, YYYY-MM or YYYY-MM-DD)", row.get("date", ""), key=f"rv_{i}_date"
        )
        values["date_end"] = b.text_input("Until (for a span)", row.get("date_end", ""), key=f"rv_{i}_end")
        with a:
            values["date_precision"] = _choice(
                "Precision", table, "date_precision", row.get("date_precision", ""), i
            )
        with b:
            values["date_qualifier"] = _choice(
                "Date qualifier", table, "date_qualifier", row.get("date_qualifier", ""), i
            )
        decisions = [NEW, *[s.record_id for s in found], OTHER]
        labels = {NEW: f"Create a new {kind}", OTHER: f"A report of another {kind} (give its id)"}
        labels.update({s.record_id: f"A new report of {s.record_id} ({s.why})" for s in found})
        current = row.get("id", "")
        decision = st.selectbox(
            "Decision",
            decisions,
            index=decisions.index(current) if current in decisions else 0,
            format_func=lambda d: visible(labels[d]),
            key=f"rv_{i}_decision",
        )
        other = st.text_input("Id of the record it reports", key=f"rv_{i}_other")
        reason = st.text_input("Reason (required to reject)", row.get("reason", ""), key=f"rv_{i}_reason")
        a, b = st.columns(2)
        save = a.form_submit_button("Save as reviewed", type="primary")
        reject = b.form_submit_button("Reject")
    if save:
        record_id = other.strip() if decision == OTHER else ("" if decision == NEW else decision)
        session.review(i, values, record_id)
        _next(session, i, rerun)
    elif reject:
        try:
            session.reject(i, reason)
        except ValueError as exc:
            st.error(md_format("Not rejected: {}.", str(exc)))
            return
        _next(session, i, rerun)


def _choice(label: str, resource, name: str, value: str, i: int) -> str:
    """A select box of the schema's allowed values (and the drafted value, even if not allowed)."""
    allowed = list(resource.get_field(name).enum or ())
    options = ["", *allowed] + ([value] if value and value not in allowed else [])
    return st.selectbox(label, options, index=options.index(value), key=f"rv_{i}_{name}")


def _ids(label: str, names: dict[str, str], value: str, i: int, single: bool = False) -> str:
    """A multiselect of ids shown with their names; returns the ids joined by ';'."""
    chosen = split_ids(value)
    options = list(dict.fromkeys([*names, *chosen]))
    picked = st.multiselect(
        label,
        options,
        default=chosen,
        format_func=lambda k: visible(f"{names.get(k, 'not in the data')} ({k})"),
        max_selections=1 if single else None,
        key=f"rv_{i}_{label}",
    )
    return join_ids(picked)


def _known(session: ReviewSession) -> dict[str, dict[str, str]]:
    """Ids and names of actors, places and groups: the data's and this article's proposals."""
    data_dir = data.data_dirs()[0]
    out = {}
    for name in ("actors", "places", "groups"):
        rows = read_rows(data_dir / f"{name}.csv") + session.proposals.get(name, [])
        out[name] = {r["id"]: r.get("name", "") for r in rows}
    return out


def _next(session: ReviewSession, i: int, rerun) -> None:
    """Show the next proposal still to review, and rerun the review."""
    left = [k for k, r in enumerate(session.rows) if status(r) not in (REVIEWED, REJECTED, PUBLISHED)]
    st.session_state[_NEXT] = next((k for k in left if k > i), left[0] if left else i)
    rerun()
