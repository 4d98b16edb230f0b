"""The columns of a draft and of its proposal files (``DRAFT.actors.csv``, ``DRAFT.places.csv``).

Kept apart so that the drafting code and the readers and writers of draft files share one layout.
"""

from __future__ import annotations

from dashboard.model import FLAT_COLUMNS

#: Columns a draft adds to the flat export columns.
DRAFT_EXTRA: tuple[str, ...] = (
    "quote_start",  # offset of the quote in the article text
    "quote_end",
    "status",  # draft / needs_review (ingest); reviewed / rejected (the reviewer); published (accept)
    "review",  # why a reviewer must look
    "event",  # id of the draft or existing event a figure belongs to
    "place_matches",  # how each place was matched: "badakhshan=exact;kunduz=context(...)"
    "proposed_places",  # unknown place names proposed as new gazetteer rows (see the .places.csv file)
    "author",
    "published_basis",
    "language",
    "translation_note",
    "article_path",  # the article file the offsets refer to
    "article_sha256",  # digest of that file's bytes
    "reason",  # the reviewer's: why a row is rejected (or changed); written to the audit log
)
DRAFT_COLUMNS: tuple[str, ...] = FLAT_COLUMNS + DRAFT_EXTRA

#: Columns of the proposed actors file, those of ``actors.csv``.
ACTOR_COLUMNS: tuple[str, ...] = ("id", "name", "kind", "role", "affiliation", "country", "notes")
#: Columns of the proposed places file, those of ``places.csv``.
PLACE_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "kind",
    "country",
    "admin1",
    "lat",
    "lon",
    "location_precision",
    "geometry_ref",
    "alt_names",
    "geonames_id",
    "notes",
)
#: Suffixes of the proposal files written beside ``DRAFT.csv``.
ACTORS_SUFFIX, PLACES_SUFFIX = ".actors.csv", ".places.csv"
