"""The page's URL query <-> the view state: filters, map centre and zoom, mode, figure, title, selection.

The names of the filters are ``model.FILTER_NAMES`` (``start``, ``end``, ``province``, ``document``,
``outlet``, ``relayed_by``, ``claimant``, ``affiliation``, ``group``, ``type``, ``actor`` (imported
events' actors), ``known_on``) and
``include_retracted`` (``1`` to show retracted reports, marked); ``since`` is the start date of the
"what changed" view (it runs to ``known_on``, or to today); the map adds ``lat``,
``lon`` and ``zoom``, the page ``mode`` (``present`` for presentation), ``figure`` (``latest``,
``highest``, ``claimant``) with ``figure_by`` (an actor id), ``title``, ``subtitle`` and ``select``
(``kind:id`` of the selected province, border, event, ..., or ``imported:acled:AFG123`` for an
imported event). Bad values are reported and ignored, never guessed at; a problem names the parameter
and quotes its value, which the page shows as plain text.

What the map component returns is typed in :mod:`dashboard.mapreturn`; the sidebar's counts are in
:mod:`dashboard.facets`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from dashboard.dates import parse_partial
from dashboard.filters import filters_from_query, filters_to_query
from dashboard.mapping import styles
from dashboard.mapping.strength import FIGURE_MODES
from dashboard.model import FILTER_NAMES, Filters

MODES = ("explore", "present", "review")
#: ``imported`` is an imported event (ACLED, UCDP GED), its id ``dataset:event id`` (``acled:AFG123``).
SELECTION_KINDS = ("province", "country", "border", "base", "event", "claim", "imported")
#: Decimals kept for the map centre in the URL (~10 m).
CENTRE_DECIMALS = 4


@dataclass(frozen=True)
class Selection:
    """What the user picked on the map or in the table."""

    kind: str
    id: str

    def to_query(self) -> str:
        """ "event:e001"."""
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores."""

    filters: Filters = field(default_factory=Filters)
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    mode: str = "explore"
    figure: str = "latest"
    figure_by: str | None = None
    title: str | None = None
    subtitle: str | None = None
    selection: Selection | None = None
    since: str | None = None  # the "what changed" view's start date (its end is known_on, or today)

    @property
    def centre(self) -> tuple[float, float] | None:
        """(lat, lon) when both are set."""
        return (self.lat, self.lon) if self.lat is not None and self.lon is not None else None


def _values(query: Mapping[str, object], name: str) -> list[str]:
    raw = query.get(name)
    items = [raw] if isinstance(raw, str) else list(raw or [])  # type: ignore[arg-type]
    return [str(v).strip() for v in items if str(v).strip()]


def _one(query: Mapping[str, object], name: str) -> str | None:
    items = _values(query, name)
    return items[-1] if items else None


def _number(query, name, low, high, errors, integer=False):
    text = _one(query, name)
    if text is None:
        return None
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        errors.append(f"{name}: {text!r} is not a {'whole ' if integer else ''}number; ignored")
        return None
    if not (low <= value <= high) or (isinstance(value, float) and not math.isfinite(value)):
        errors.append(f"{name}: {text} is outside {low}..{high}; ignored")
        return None
    return value


def view_from_query(query: Mapping[str, object]) -> tuple[ViewState, list[str]]:
    """Parse a query mapping (values are strings or lists of strings); return the state and the problems.

    A parameter that cannot be read is left out and named in the problems; the rest still apply.
    """
    errors: list[str] = []
    filter_query = {name: _values(query, name) for name in (*FILTER_NAMES, "include_retracted")}
    filters = _readable_filters(filter_query, errors)
    mode = _one(query, "mode") or "explore"
    if mode not in MODES:
        errors.append(f"mode: {mode!r} is not one of {', '.join(MODES)}; ignored")
        mode = "explore"
    figure = _one(query, "figure") or "latest"
    if figure not in FIGURE_MODES:
        errors.append(f"figure: {figure!r} is not one of {', '.join(FIGURE_MODES)}; ignored")
        figure = "latest"
    state = ViewState(
        filters=filters,
        lat=_number(query, "lat", -90, 90, errors),
        lon=_number(query, "lon", -180, 180, errors),
        zoom=_number(query, "zoom", styles.MIN_ZOOM, styles.MAX_ZOOM, errors, integer=True),
        mode=mode,
        figure=figure,
        figure_by=_one(query, "figure_by"),
        title=_one(query, "title"),
        subtitle=_one(query, "subtitle"),
        selection=_selection(_one(query, "select"), errors),
        since=_since(_one(query, "since"), errors),
    )
    return state, errors


#: Filter keys that take one value each, checked in these groups (a bad start or end drops both).
_SINGLE_FILTERS = (("start", "end"), ("known_on",), ("include_retracted",))


def _readable_filters(filter_query: dict[str, list[str]], errors: list[str]) -> Filters:
    """The filters without the groups of keys that cannot be read, each named in ``errors``."""
    kept = dict(filter_query)
    for keys in _SINGLE_FILTERS:
        try:
            filters_from_query({key: kept[key] for key in keys if key in kept})
        except ValueError as exc:
            errors.append(f"{exc}; ignored")
            for key in keys:
                kept.pop(key, None)
    return filters_from_query(kept)


def _since(text: str | None, errors: list[str]) -> str | None:
    if not text:
        return None
    try:
        parse_partial(text)
    except ValueError as exc:
        errors.append(f"since: {exc}; ignored")
        return None
    return text


def _selection(text: str | None, errors: list[str]) -> Selection | None:
    if not text:
        return None
    kind, _, ident = text.partition(":")
    if kind not in SELECTION_KINDS or not ident:
        errors.append(
            f"select: {text!r} is not kind:id with kind one of {', '.join(SELECTION_KINDS)}; ignored"
        )
        return None
    return Selection(kind, ident)


def view_to_query(state: ViewState) -> dict[str, str | list[str]]:
    """The query that :func:`view_from_query` turns back into ``state`` (defaults left out)."""
    out: dict[str, str | list[str]] = dict(filters_to_query(state.filters))
    if state.lat is not None and state.lon is not None:
        out["lat"] = f"{state.lat:.{CENTRE_DECIMALS}f}"
        out["lon"] = f"{state.lon:.{CENTRE_DECIMALS}f}"
    if state.zoom is not None:
        out["zoom"] = str(state.zoom)
    if state.mode != "explore":
        out["mode"] = state.mode
    if state.figure != "latest":
        out["figure"] = state.figure
    for name in ("figure_by", "title", "subtitle"):
        if getattr(state, name):
            out[name] = getattr(state, name)
    if state.selection:
        out["select"] = state.selection.to_query()
    if state.since:
        out["since"] = state.since
    return out


def with_filters(state: ViewState, **changes: object) -> ViewState:
    """A copy of ``state`` with some filters changed."""
    return replace(state, filters=replace(state.filters, **changes))
