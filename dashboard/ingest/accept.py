"""Accept a reviewed draft file: add the article to ``seeds/`` and its reviewed rows to the data folder.

The draft is read (a spreadsheet's "CSV UTF-8" with its byte-order mark too), every row must have been
looked at (``reviewed``, or its first spelling ``accepted``, or ``rejected``; ``published`` rows were
added by an earlier accept and are left alone), and the article must be the one drafted from. Then
:func:`dashboard.ingest.publish.publish` adds it all in one locked transaction that validates the new
state first and changes nothing when anything is wrong. Afterwards the draft's published rows say so
(``status`` ``published``, ``id`` the record each became), so that the same draft is not added twice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dashboard.datafolder import LOCK_TIMEOUT, default_who
from dashboard.ingest.columns import ACTORS_SUFFIX, DRAFT_COLUMNS, PLACES_SUFFIX
from dashboard.ingest.files import read_draft, read_proposals, sidecar, update_draft
from dashboard.ingest.publish import AcceptResult, Submission, publish
from dashboard.ingest.reader import ArticleError, read_article
from dashboard.ingest.review import DRAFTED, PUBLISHED, REJECTED, REVIEWED, status

#: The first spelling of ``reviewed``, still read.
ACCEPTED = "accepted"

Row = tuple[int, dict[str, str]]


def accept_draft(
    draft_path: Path,
    data_dir: Path,
    seeds_dir: Path | None = None,
    *,
    who: str = "",
    reason: str = "",
    timeout: float = LOCK_TIMEOUT,
    waiting: Callable[[], None] | None = None,
) -> AcceptResult:
    """Publish the reviewed rows of ``draft_path`` into ``data_dir`` and ``seeds_dir``, or change nothing.

    ``who`` is written to the audit log (default: the system user), ``reason`` with each entry;
    ``timeout`` is how long to wait for another change to the folder, ``waiting`` is called if it must.
    """
    draft_path, data_dir = Path(draft_path), Path(data_dir)
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else data_dir.parent / "seeds"
    result = AcceptResult()
    rows, result.problems = read_draft(draft_path)
    if result.problems:
        return result
    reviewed, rejected = _split(draft_path, rows, result)
    if result.problems:
        return result
    text = _check_article(draft_path, reviewed, result)
    if result.problems or text is None:
        return result
    sub = Submission(
        label=str(draft_path),
        source=draft_path.name,
        rows=reviewed,
        rejected=rejected,
        text=text,
        proposals=read_proposals(draft_path),
        proposal_labels={
            "actors": str(sidecar(draft_path, ACTORS_SUFFIX)),
            "places": str(sidecar(draft_path, PLACES_SUFFIX)),
        },
    )
    result = publish(
        sub, data_dir, seeds_dir, who=who or default_who(), reason=reason, timeout=timeout, waiting=waiting
    )
    if result.ok:
        update_draft(draft_path, {n: {"status": PUBLISHED, "id": rid} for n, rid in result.records.items()})
    return result


def _split(draft_path: Path, rows: list[Row], result: AcceptResult) -> tuple[list[Row], list[Row]]:
    """The rows to publish and the rejected ones; a row nobody decided on is a problem."""
    reviewed, rejected = [], []
    published = 0
    for n, row in rows:
        value = status(row)
        if value == REVIEWED:
            reviewed.append((n, row))
        elif value == REJECTED:
            rejected.append((n, row))
        elif value == PUBLISHED:
            published += 1
        else:
            shown = row.get("status") or "empty"
            why = "not reviewed yet" if value in DRAFTED else "not a status"
            result.problems.append(
                f"{draft_path}:{n}:status: {shown!r} ({why}) — "
                f"set it to '{ACCEPTED}' or '{REJECTED}' after review ('{REVIEWED}' means '{ACCEPTED}')"
            )
    if not reviewed and not result.problems:
        done = f"; {published} row(s) are already published" if published else ""
        result.problems.append(f"{draft_path}:0:status: no row is '{REVIEWED}'; nothing to add{done}")
    return reviewed, rejected


def _check_article(draft_path: Path, reviewed: list[Row], result: AcceptResult) -> str | None:
    """The article's text, when the rows name one article that has not changed since it was drafted."""
    sources = {(row.get("article_path", ""), row.get("article_sha256", "")) for _, row in reviewed}
    if len(sources) != 1:
        result.problems.append(
            f"{draft_path}:0:article_path: the rows name {len(sources)} articles; a draft is one"
        )
        return None
    ((path_text, sha),) = sources
    path = Path(path_text)
    if not path.is_absolute():
        path = draft_path.parent / path
    try:
        article = read_article(path)
    except ArticleError as exc:
        result.problems.append(f"{draft_path}:0:article_path: {exc}")
        return None
    if article.source_sha256 != sha:
        result.problems.append(f"{draft_path}:0:article_sha256: {path} has changed since it was ingested")
        return None
    return article.text


__all__ = ["AcceptResult", "accept_draft", "read_draft", "DRAFT_COLUMNS"]
