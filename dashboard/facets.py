"""Facet counts for the sidebar: how many reports each option of a filter would keep.

The counts sit beside the filters (:mod:`dashboard.filters`): an option's count applies every other
filter as set, and ignores the filter's own choice, so the reader sees what ticking one more would add.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard.filters import filter_mask
from dashboard.model import Filters
from dashboard.values import split_ids

#: The flat column each multi-valued filter's options come from (as ``filters.filter_options`` builds them).
FACET_COLUMNS = {
    "province": "provinces",
    "document": "document_id",
    "outlet": "outlet",
    "relayed_by": "relayed_by",
    "claimant": "claimant",
    "affiliation": "affiliation",
    "group": "group",
    "type": "type",
}
_SPLIT = {"provinces", "relayed_by", "group"}


def facet_counts(flat: pd.DataFrame, filters: Filters, name: str) -> dict[str, int]:
    """Reports each option of filter ``name`` would keep, given every other filter as set."""
    rest = replace(filters, **{name: ()})
    column = FACET_COLUMNS[name]
    cells = flat[column].tolist()
    if not rest.is_empty():  # the rows the other filters keep (no slice of the whole table needed)
        cells = [cell for cell, keep in zip(cells, filter_mask(flat, rest).tolist(), strict=True) if keep]
    counts: dict[str, int] = {}
    for cell in cells:
        values = split_ids(cell) if column in _SPLIT else ([cell] if isinstance(cell, str) and cell else [])
        for value in dict.fromkeys(values):
            counts[value] = counts.get(value, 0) + 1
    return counts
