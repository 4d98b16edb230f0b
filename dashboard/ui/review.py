"""The curators' review of a new article: paste or upload it, see each proposal beside its sentence,
edit, link or reject it, and publish what was reviewed (one locked transaction, with audit entries).

The page only reads widgets and calls the domain (``dashboard.ingest.session``); the rules (statuses,
ids, near-duplicates, the transaction) are the command line's. Article text is untrusted: it is shown
as escaped HTML (``html``), Markdown filled by ``md_format``, or plain table cells.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitInvalidLayoutContextError

from dashboard.ingest import ArticleError, DocumentInfo
from dashboard.ingest.files import read_rows
from dashboard.ingest.review import status
from dashboard.ingest.session import ReviewSession
from dashboard.ui import data, review_edit, signin, state
from dashboard.ui.text import md_format, visible_frame
from dashboard.values import number_or_none
from dashboard.viewstate import Selection
from dashboard.wording import format_figure

SESSION = "review_session"

_CSS = """
<style>
.dm-review-context { white-space: pre-wrap; line-height: 1.5; padding: 0.6rem 0.8rem;
  border-left: 3px solid #c9ced6; background: #f7f8fa; }
.dm-review-context mark { background: #ffe58a; padding: 0 0.1rem; }
</style>
"""


def rerun_review() -> None:
    """Draw the review again: the review alone when this run is the fragment's, else the whole page."""
    try:
        st.rerun(scope="fragment")
    except StreamlitInvalidLayoutContextError:  # a full run (the first, or a form sent on the page)
        st.rerun()


def can_curate() -> bool:
    """Whether the person using the app may review and publish: a curator (``signin.can_curate``)."""
    return signin.can_curate()


def render_page() -> None:
    """The review view (``?mode=review``), for curators only."""
    st.markdown("#### Review a new article")
    if st.button("Back to the map", key="rv_back"):
        state.update(mode="explore")
        st.rerun()
    if not can_curate():
        st.info("Only curators can review new articles.")
        return
    st.markdown(_CSS, unsafe_allow_html=True)  # fixed CSS, no data
    _workbench()


@st.fragment
def _workbench() -> None:
    """A fragment: editing a proposal reruns the review alone, not the whole page."""
    if not can_curate():  # a fragment reruns without the page's check
        return
    session: ReviewSession | None = st.session_state.get(SESSION)
    if session is None:
        _article_form()
        return
    _summary(session)
    if session.result is not None and session.result.ok:
        _published(session)
        return
    review_edit.render(session, rerun_review)
    _publish(session)


def _article_form() -> None:
    st.caption(
        "Paste an article or upload a saved page; the proposals it holds are drafted for review. "
        "Nothing reaches the data before you publish."
    )
    with st.form("rv_article"):
        pasted = st.text_area("Article text", key="rv_text", height=180)
        upload = st.file_uploader(
            "Or upload a .txt or .html file", type=["txt", "html", "htm"], key="rv_file"
        )
        left, right = st.columns(2)
        title = left.text_input("Title", key="rv_title")
        outlet = right.text_input("Outlet", key="rv_outlet")
        url = left.text_input("Address (http or https)", key="rv_url")
        published = right.text_input("Publication date (YYYY, YYYY-MM or YYYY-MM-DD)", key="rv_published")
        go = st.form_submit_button("Draft proposals", type="primary")
    if not go:
        return
    name, content = (
        (upload.name, upload.getvalue()) if upload is not None else ("pasted.txt", pasted.encode())
    )
    info = DocumentInfo(
        published=published.strip(), outlet=outlet.strip(), title=title.strip(), url=url.strip()
    )
    try:
        session = ReviewSession.start(name, content, info, data.data_dirs()[0])
    except (ArticleError, ValueError) as exc:
        st.error(md_format("Cannot draft this article: {}", str(exc)))
        return
    st.session_state[SESSION] = session
    rerun_review()


def _summary(session: ReviewSession) -> None:
    counts = session.counts()
    st.markdown(
        md_format(
            "**{}** · {} · {} — {} proposal(s): {} to review, {} reviewed, {} rejected, {} published",
            session.info.title or session.article.path.name,
            session.info.outlet or "outlet not given",
            session.info.published,
            len(session.rows),
            counts["to review"],
            counts["reviewed"],
            counts["rejected"],
            counts["published"],
        )
    )
    st.dataframe(proposals_frame(session), hide_index=True, width="stretch", key="rv_table")


def proposals_frame(session: ReviewSession) -> pd.DataFrame:
    """The proposals as a table of plain text (never Markdown or HTML)."""
    rows = session.rows
    return visible_frame(
        pd.DataFrame(
            {
                "#": [i + 1 for i in range(len(rows))],
                "Kind": [r["kind"] for r in rows],
                "Status": [status(r) or "draft" for r in rows],
                "Id": [r.get("id", "") for r in rows],
                "Figure": [_figure(r) for r in rows],
                "Date": [r.get("date", "") for r in rows],
                "Claimant": [r.get("claimant", "") for r in rows],
                "Places": [r.get("places", "") for r in rows],
                "Sentence": [r.get("quote", "") for r in rows],
            }
        )
    )


def _figure(row: dict[str, str]) -> str:
    values = [number_or_none(row.get(c)) for c in ("figure_low", "figure_best", "figure_high")]
    return format_figure(*values, row.get("figure_qualifier") or None, row.get("unit") or None)


def _publish(session: ReviewSession) -> None:
    st.markdown("##### Publish")
    left, right = st.columns(2)
    person, typed = signin.current(), ""
    if person is not None and person.signed_in:  # the audit log names the signed-in curator
        left.caption(md_format("Published in the audit log as {}.", person.who))
    else:  # the single-user tool: whoever sits at it names themselves, as the command line's --who
        typed = left.text_input("Your name, for the audit log", key="rv_who")
    why = right.text_input("Why (optional), for the audit log", key="rv_reason")
    waiting = session.counts()["to review"]
    if waiting:
        st.caption(md_format("Review or reject every proposal first: {} left.", waiting))
    if st.button("Publish the reviewed proposals", key="rv_publish", type="primary", disabled=bool(waiting)):
        person = signin.curator("publish")  # checked again here, just before the write
        if person is None:
            return
        who = person.who if person.signed_in else typed
        data_dir, seeds_dir = data.data_dirs()
        result = session.publish(data_dir, seeds_dir, who, why)
        if result.ok:
            st.rerun(scope="app")  # the map and tables load the new data
        st.error("Nothing was published. Fix these and try again:")
        st.code("\n".join(result.problems), language=None)


def _published(session: ReviewSession) -> None:
    result = session.result
    added = ", ".join(f"{n} {name}" for name, n in result.added.items())
    st.success(md_format("Published as document {}: added {}.", result.document_id, added))
    st.markdown("##### Audit log entries")
    entries = [r for r in read_rows(data.data_dirs()[0] / "audit.csv") if r["id"] in set(result.audit_ids)]
    st.dataframe(visible_frame(pd.DataFrame(entries)), hide_index=True, width="stretch", key="rv_audit")
    left, right = st.columns(2)
    first = next(iter(result.records.values()), None)
    if first and left.button("Show it on the map", key="rv_show", type="primary"):
        kind = "claim" if first.startswith("c") else "event"
        state.update(mode="explore", selection=Selection(kind, first))
        st.rerun()
    if right.button("Review another article", key="rv_again"):
        del st.session_state[SESSION]
        rerun_review()
