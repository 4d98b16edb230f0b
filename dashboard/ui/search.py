"""The search box over the evidence: words found in quotes, subjects, claimants, relaying agencies,
places, groups, outlets and documents.

:func:`search_rows` is plain pandas (no Streamlit): every word of the query must occur, ignoring case
and accents, in one of the searched columns of a row (group ids are searched by their names too).
"""

from __future__ import annotations

import unicodedata

import pandas as pd
import streamlit as st

from dashboard.values import split_ids

#: The columns a search looks in.
SEARCHED = (
    "quote", "subject", "claimant_name", "relayed_by_names", "place_names", "provinces", "outlet", "title",
    "id", "document_id",
)  # fmt: skip
KEY = "evidence_search"


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return plain.casefold()


def search_rows(flat: pd.DataFrame, query: str, group_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The rows of ``flat`` holding every word of ``query`` (all rows for an empty query)."""
    words = [_fold(w) for w in query.split() if w.strip()]
    if not words or flat.empty:
        return flat
    names = group_names or {}
    columns = [c for c in SEARCHED if c in flat.columns]
    haystacks = []
    for values in zip(*(flat[c].tolist() for c in columns), flat["group"].tolist(), strict=True):
        *texts, groups = values
        parts = [str(t) for t in texts if isinstance(t, str)]
        parts += [names.get(g, g) for g in split_ids(groups)] + split_ids(groups)
        haystacks.append(_fold(" ".join(parts)))
    keep = [all(w in h for w in words) for h in haystacks]
    return flat[pd.Series(keep, index=flat.index, dtype=bool)]


def render(flat: pd.DataFrame, group_names: dict[str, str]) -> pd.DataFrame:
    """The search box; returns the rows it keeps."""
    query = st.text_input(
        "Search the evidence",
        key=KEY,
        placeholder="words in quotes, claimants, places, groups, outlets (e.g. Sidorov Badakhshan)",
    )
    return search_rows(flat, query or "", group_names)
