"""Ingest a new article into draft claims and events for review, and merge reviewed drafts into the data.

``build_draft`` reads an article (plain UTF-8 text or a saved HTML page) and proposes one row per figure,
dated event and attributed assertion, each with its verbatim quote and offsets; ``write_draft`` writes
the draft CSV (and proposed actors and places beside it); ``accept_draft`` merges the rows a person
marked ``accepted`` into a data folder, validating a temporary copy first and changing nothing on error.
"""

from dashboard.ingest.accept import AcceptResult, accept_draft
from dashboard.ingest.draft import DRAFT_COLUMNS, DocumentInfo, Draft, build_draft, write_draft
from dashboard.ingest.reader import MAX_BYTES, ArticleError, read_article

__all__ = [
    "AcceptResult",
    "ArticleError",
    "DRAFT_COLUMNS",
    "DocumentInfo",
    "Draft",
    "MAX_BYTES",
    "accept_draft",
    "build_draft",
    "read_article",
    "write_draft",
]
