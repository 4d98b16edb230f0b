"""The view state in the session, read once from the URL and written back to it after every change."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard.filters import resolve_filters
from dashboard.model import Dataset
from dashboard.viewstate import ViewState, view_from_query, view_to_query

_KEY = "view_state"
_ERRORS = "view_errors"
_REQUEST = "map_request"
_INITIAL = "map_initial"
_RESOLVED = "filters_resolved"


def current() -> ViewState:
    """The view state; on a session's first run, the one the URL describes."""
    if _KEY not in st.session_state:
        query = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
        state, errors = view_from_query(query)
        st.session_state[_KEY] = state
        st.session_state[_ERRORS] = errors
        st.session_state[_REQUEST] = (state.centre, state.zoom)
        st.session_state[_INITIAL] = (state.centre, state.zoom)
    return st.session_state[_KEY]


def initial_view() -> tuple[tuple[float, float] | None, int | None]:
    """The centre and zoom the URL opened the session with (fixed for the session's life)."""
    current()
    return st.session_state.get(_INITIAL, (None, None))


def resolve(ds: Dataset) -> None:
    """Once per session: check the URL's filter values against the data. A value that names nothing
    becomes a problem (with close matches) shown as a warning, and is dropped; an alternative name
    ("ISIS-K") is replaced by what the data holds."""
    if st.session_state.get(_RESOLVED):
        return
    st.session_state[_RESOLVED] = True
    resolved, problems = resolve_filters(current().filters, ds)
    if resolved != current().filters:
        update(filters=resolved)
    st.session_state[_ERRORS] = [*errors(), *(str(p) for p in problems)]


def errors() -> list[str]:
    """Problems met reading the URL (shown once)."""
    return st.session_state.get(_ERRORS, [])


def update(**changes: object) -> ViewState:
    """Replace fields of the view state."""
    state = replace(current(), **changes)
    st.session_state[_KEY] = state
    return state


def map_request() -> tuple[tuple[float, float] | None, int | None]:
    """The centre and zoom the map should move to (from the URL, or a row chosen in the table)."""
    return st.session_state.get(_REQUEST, (None, None))


def request_view(centre: tuple[float, float], zoom: int) -> None:
    """Ask the map to move (the component moves when these values change)."""
    st.session_state[_REQUEST] = (centre, zoom)


def sync_url() -> None:
    """Write the view state into the page's URL when it differs."""
    wanted = view_to_query(current())
    have = {
        key: (values if len(values := st.query_params.get_all(key)) > 1 else values[0])
        for key in st.query_params.keys()
    }
    normal = {k: (v if isinstance(v, str) or len(v) > 1 else v[0]) for k, v in wanted.items()}
    if have != normal:
        st.query_params.from_dict(wanted)
