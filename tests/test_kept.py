"""The page's caches key their value types by ``repr``: every field must change the key, equal values
must give equal keys, and the kept values must come back for equal values."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from streamlit.runtime.caching.cache_type import CacheType
from streamlit.runtime.caching.hashing import update_hash

from dashboard.events.query import EventFilters
from dashboard.mapping import MapOptions
from dashboard.mapping.event_layers import EventView
from dashboard.model import Filters
from dashboard.ui import kept


def _key(value: object) -> str:
    """The cache key Streamlit makes for ``value`` with the page's hash functions."""
    hasher = hashlib.new("md5")
    update_hash(value, hasher=hasher, cache_type=CacheType.RESOURCE, hash_funcs=kept.HASH_FUNCS)
    return hasher.hexdigest()


def _other(value: object) -> object:
    """A value of the same kind as ``value`` that differs from it."""
    if dataclasses.is_dataclass(value):
        first = dataclasses.fields(value)[0]
        return dataclasses.replace(value, **{first.name: _other(getattr(value, first.name))})
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, tuple):
        return (*value, "x")
    if value is None:
        return "x"
    raise TypeError(f"no other value for {value!r}")


SAMPLES = [Filters(), MapOptions(), EventView(zoom=7), EventView(zoom=7, filters=EventFilters(actor=("a",)))]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).__name__)
def test_every_field_changes_the_cache_key(sample):
    for field in dataclasses.fields(sample):
        changed = dataclasses.replace(sample, **{field.name: _other(getattr(sample, field.name))})
        assert _key(changed) != _key(sample), field.name


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).__name__)
def test_equal_values_give_equal_keys(sample):
    copy = dataclasses.replace(sample)
    assert copy is not sample
    assert _key(copy) == _key(sample)


def test_look_alike_values_of_other_types_give_other_keys():
    # repr keeps the quotes and the type of each value, as Streamlit's own hashing does
    assert _key(MapOptions(width=100)) != _key(MapOptions(width="100"))
    assert _key(MapOptions(scale=True)) != _key(MapOptions(scale=1.0))
    assert _key(Filters(province=("a,b",))) != _key(Filters(province=("a", "b")))


def test_kept_filtered_table_comes_back_for_equal_filters(flat):
    first = kept.filtered(flat, Filters(province=("badakhshan",)))
    again = kept.filtered(flat, Filters(province=("badakhshan",)))
    other = kept.filtered(flat, Filters(province=("kunduz",)))
    assert again is first
    assert other is not first
