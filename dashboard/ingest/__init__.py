"""Ingest a new article into draft claims and events for review, and merge reviewed drafts into the data.

``build_draft`` reads an article (plain UTF-8 text or a saved HTML page) and proposes one row per figure,
dated event and attributed assertion, each with its verbatim quote and offsets; ``write_draft`` writes
the draft CSV (and proposed actors and places beside it); ``accept_draft`` merges the rows a person
marked ``reviewed`` into a data folder through one locked transaction (``publish``) that validates the
new state first, changes nothing on error and records each change in the audit log.

The language work (``sentences``, ``figures``, ``dating``, ``places``, ``attribution``, ``classify``)
and the drafting (``draft.draft_article``, ``rows``) take and return values; files are read and written
in ``reader`` (the article) and ``files`` (tables, drafts and proposals). ``review`` holds the review's
rules (statuses, ids, near-duplicates) and ``session`` one article under review in the app.
"""

from dashboard.ingest.accept import AcceptResult, accept_draft
from dashboard.ingest.columns import DRAFT_COLUMNS
from dashboard.ingest.context import Draft, Sources
from dashboard.ingest.document import DocumentInfo, DocumentInfoError
from dashboard.ingest.draft import draft_article
from dashboard.ingest.files import build_draft, load_sources, write_draft
from dashboard.ingest.reader import MAX_BYTES, ArticleError, read_article

__all__ = [
    "AcceptResult",
    "ArticleError",
    "DRAFT_COLUMNS",
    "DocumentInfo",
    "DocumentInfoError",
    "Draft",
    "MAX_BYTES",
    "Sources",
    "accept_draft",
    "build_draft",
    "draft_article",
    "load_sources",
    "read_article",
    "write_draft",
]
