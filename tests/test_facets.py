"""The sidebar's counts: reports each filter option would keep (``dashboard.facets``)."""

from __future__ import annotations

from dashboard.facets import facet_counts
from dashboard.model import Filters


def test_facet_counts_ignore_the_facets_own_choice(flat):
    counts = facet_counts(flat, Filters(outlet=("Outlet A",)), "outlet")
    assert counts == {"Outlet A": 3, "Outlet B": 3}
    by_claimant = facet_counts(flat, Filters(outlet=("Outlet B",)), "claimant")
    assert by_claimant == {"minister": 2, "taliban": 1}
    assert facet_counts(flat, Filters(), "relayed_by") == {"tass": 2}
