"""What the page works out from the loaded table and the filters, kept for every session of the server.

A map move, a click or a tab opened runs the page again with the same data and filters: the filtered
table, each filter's option counts and the playback's span are then the ones already worked out, by this
session or another. Keyed on the identity of the loaded table; the kept value holds that table, so its id
cannot be reused by data loaded later while the value is kept. The values are shared: never changed in
place (nothing in the page changes a table it is given).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.facets import facet_counts
from dashboard.filters import apply_filters
from dashboard.mapping.builder import MapOptions
from dashboard.mapping.event_layers import EventView
from dashboard.model import Filters

#: How the page's caches key their value types: by the dataclass ``repr``, which names every field with
#: its value. Streamlit's own hashing copies a dataclass into a dict and hashes each field apart (~0.5 ms
#: for ``Filters``, ~0.9 ms for ``MapOptions``); a run looks up a dozen kept values, and under many
#: sessions that was a tenth of the server's time. ``tests/test_kept.py`` checks every field counts.
HASH_FUNCS = {Filters: repr, MapOptions: repr, EventView: repr}


@dataclass(frozen=True)
class Kept:
    """A kept value and the loaded data it was made from (which keeps the data's id from being reused)."""

    value: object
    data: tuple


def token(*data: object) -> tuple[int, ...]:
    """The identity of loaded data, as a cache key."""
    return tuple(id(item) for item in data)


def filtered(flat_all: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """``apply_filters(flat_all, filters)``, kept."""
    return _filtered(token(flat_all), filters, _keep=(flat_all,)).value


def counts(flat_all: pd.DataFrame, filters: Filters, name: str) -> dict[str, int]:
    """``facet_counts(flat_all, filters, name)``, kept."""
    return _counts(token(flat_all), filters, name, _keep=(flat_all,)).value


def derived(flat_all: pd.DataFrame, what: str, make: Callable[[], object], *key: object) -> object:
    """``make()``, kept per loaded table, ``what`` and ``key`` (a name and values that decide the result)."""
    return _derived(token(flat_all), what, key, _keep=(flat_all,), _make=make).value


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False, hash_funcs=HASH_FUNCS)
def _filtered(token: tuple, filters: Filters, _keep: tuple) -> Kept:
    return Kept(apply_filters(_keep[0], filters), _keep)


@st.cache_resource(max_entries=512, ttl=3600, show_spinner=False, hash_funcs=HASH_FUNCS)
def _counts(token: tuple, filters: Filters, name: str, _keep: tuple) -> Kept:
    return Kept(facet_counts(_keep[0], filters, name), _keep)


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def _derived(token: tuple, what: str, key: tuple, _keep: tuple, _make: Callable[[], object]) -> Kept:
    return Kept(_make(), _keep)
