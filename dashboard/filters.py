"""Pure filtering of the flat report table, and the round trip of ``Filters`` through URL queries.

The same ``Filters`` come from the app's widgets, the page's query string and the CLI's options; the
names are ``model.FILTER_NAMES`` (and ``include_retracted``). ``known_on`` keeps what could be known on
a date (:func:`known_by`: a publication counts from the last day its precision allows); reports of
retracted documents and claimants are left out unless ``include_retracted``. Text matches ignore
case; multi-valued filters keep a row that matches any of the values given. ``resolve_filters`` checks
the values against a dataset (an unknown group is reported, not silently turned into an empty result)
and resolves alternative names ("ISIS-K" -> iskp).

``actor`` filters imported events (ACLED, UCDP GED) only, by any part of an actor's name: the curated
reports, whose claimants and groups have filters of their own, are not narrowed by it, and
``resolve_filters`` checks its values against the actors of the data folder's imported events.
"""

from __future__ import annotations

import difflib
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from dashboard import dates
from dashboard.model import ACLED_TYPES, FILTER_NAMES, Dataset, Filters
from dashboard.values import split_ids, text_or_empty

#: Multi-valued filters and the flat columns a value may match (';'-separated columns match any part).
_MATCH_COLUMNS: dict[str, tuple[str, ...]] = {
    "province": ("provinces", "places", "place_names"),
    "document": ("document_id", "document"),
    "outlet": ("outlet",),
    "relayed_by": ("relayed_by", "relayed_by_names"),
    "claimant": ("claimant", "claimant_name"),
    "affiliation": ("affiliation",),
    "group": ("group",),
    "type": ("type",),
}
#: Filters that take one ISO date.
DATE_FILTERS = ("start", "end", "known_on")
_MULTI_COLUMNS = frozenset({"provinces", "places", "place_names", "relayed_by", "relayed_by_names", "group"})


def _fold(value: str) -> str:
    return value.strip().casefold()


def _cell_values(row: Mapping[str, object], columns: Iterable[str]) -> set[str]:
    values: set[str] = set()
    for column in columns:
        cell = row.get(column, "")
        single = [cell] if isinstance(cell, str) and cell else []
        parts = split_ids(cell) if column in _MULTI_COLUMNS else single
        values.update(_fold(p) for p in parts)
    return values


def _date_mask(flat: pd.DataFrame, start: str | None, end: str | None) -> pd.Series:
    window_first = dates.parse_partial(start).first if start else None
    window_last = dates.parse_partial(end).last if end else None
    keep = [
        (window_last is None or first <= window_last) and (window_first is None or last >= window_first)
        for first, last in _read(flat).spans()
    ]
    return pd.Series(keep, index=flat.index, dtype=bool)


class _Rows:
    """What the filters read of each row of one table, worked out the first time it is needed: the
    date span of each row, and per multi-valued filter the folded values each row matches.

    The app filters the same loaded table on every run (and once per filter for the sidebar's counts);
    parsing its dates and splitting its cells again each time made most of a filter's cost.
    """

    def __init__(self, flat: pd.DataFrame) -> None:
        self.flat = weakref.ref(flat)
        self._spans: list | None = None
        self._values: dict[str, list[frozenset[str]]] = {}

    def spans(self) -> list:
        if self._spans is None:
            flat = self.flat()
            self._spans = [
                dates.span(text, end or None)
                for text, end in zip(flat["date"], flat["date_end"], strict=True)
            ]
        return self._spans

    def values(self, name: str, columns: list[str]) -> list[frozenset[str]]:
        if name not in self._values:
            flat = self.flat()
            columns_cells = zip(*(flat[c].tolist() for c in columns), strict=True)
            self._values[name] = [
                frozenset(_cell_values(dict(zip(columns, cells, strict=True)), columns))
                for cells in columns_cells
            ]
        return self._values[name]


#: Per table (by identity, with its length): an entry goes when its table is collected.
_READ: dict[tuple[int, int], _Rows] = {}


def _read(flat: pd.DataFrame) -> _Rows:
    key = (id(flat), len(flat))
    found = _READ.get(key)
    if found is None or found.flat() is not flat:
        found = _READ[key] = _Rows(flat)
        weakref.finalize(flat, _READ.pop, key, None)
    return found


def known_by(text: str) -> date:
    """The first day on which something dated ``text`` (a partial ISO date) is surely known.

    The last day its precision allows: a document published "2024-06" counts as known from 30 June
    2024, so a view never shows a report before it could have been read.
    """
    return dates.parse_partial(text).last


def _known_mask(flat: pd.DataFrame, known_on: str) -> pd.Series:
    cutoff = known_by(known_on)
    # A few distinct publication dates among many rows: parse each once.
    known = {text: known_by(text) <= cutoff for text in pd.unique(flat["published"])}
    return flat["published"].map(known).astype(bool)


def retraction_in_effect(flat: pd.DataFrame, known_on: str | None) -> pd.Series:
    """True for rows whose document or claimant is retracted by ``known_on`` (by now when None).

    A retraction dated after ``known_on`` had not happened yet on that day, so the report still
    counts then (its ``retracted`` column keeps the mark).
    """
    marked = flat["retracted"].fillna("").astype(str) != ""
    if known_on is None or not marked.any():
        return marked
    cutoff = known_by(known_on)
    on = flat["retracted_on"].fillna("").astype(str)
    return marked & on.map(lambda text: bool(text) and known_by(text) <= cutoff).astype(bool)


def apply_filters(flat: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Rows of ``flat`` that pass every filter in ``f``; only ``Filters(include_retracted=True)`` keeps all.

    A row is kept by the date window when its interval [date, date_end or date] overlaps [start, end],
    each end taken at its own precision ("2023-05" runs from 1 to 31 May). ``known_on`` keeps the rows
    whose publication is known by then (:func:`known_by`). Rows whose document or claimant is
    retracted (``retracted`` not empty, in effect by ``known_on``) are left out unless
    ``f.include_retracted``.
    """
    return flat[filter_mask(flat, f)]


def filter_mask(flat: pd.DataFrame, f: Filters) -> pd.Series:
    """True for the rows of ``flat`` that ``apply_filters`` keeps (without slicing the table)."""
    mask = pd.Series(True, index=flat.index, dtype=bool)
    if not f.include_retracted and "retracted" in flat.columns:
        mask &= ~retraction_in_effect(flat, f.known_on)
    if f.known_on:
        mask &= _known_mask(flat, f.known_on)
    if f.start or f.end:
        mask &= _date_mask(flat, f.start, f.end)
    for name, columns in _MATCH_COLUMNS.items():
        wanted = {_fold(v) for v in getattr(f, name) if v.strip()}
        if wanted:
            # Only the filter's own columns, row by row (a whole-table to_dict cost ~10x more).
            present = [c for c in columns if c in flat.columns]
            if not present:  # a table without the filter's columns: nothing in it can match
                mask &= False
                continue
            matched = [not wanted.isdisjoint(v) for v in _read(flat).values(name, present)]
            mask &= pd.Series(matched, index=flat.index, dtype=bool)
    return mask


def _options(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for value, label in pairs:
        if value and value not in seen:
            seen[value] = label or value
    return sorted(seen.items(), key=lambda item: item[1].casefold())


def filter_options(flat: pd.DataFrame, group_names: Mapping[str, str] | None = None) -> dict[str, list]:
    """Choices for each multi-valued filter as (value, label) pairs sorted by label.

    ``start`` and ``end`` get the earliest and latest date in the table as a one-item list each;
    ``known_on`` the day from which every report in the table is known.
    ``group_names`` (groups.id -> name) labels groups; without it the ids are their own labels.
    """
    rows = flat.to_dict("records")
    names = dict(group_names or {})
    out: dict[str, list] = {
        "province": _options((p, p) for r in rows for p in split_ids(r["provinces"])),
        "document": _options(
            (r["document_id"], f"{r['document_id']}: {r['title']} ({r['outlet']}, {r['published']})")
            for r in rows
        ),
        "outlet": _options((r["outlet"], r["outlet"]) for r in rows),
        "relayed_by": _options(
            pair
            for r in rows
            for pair in zip(split_ids(r["relayed_by"]), split_ids(r["relayed_by_names"]), strict=False)
        ),
        "claimant": _options((r["claimant"], r["claimant_name"]) for r in rows),
        "affiliation": _options((r["affiliation"], r["affiliation"]) for r in rows),
        "group": _options((g, names.get(g, g)) for r in rows for g in split_ids(r["group"])),
        "type": _options((r["type"], r["type"].replace("_", " ")) for r in rows),
        "actor": [],  # imported events' actors: the engine lists them (ui.imported), never the flat table
    }
    if rows:
        firsts = [dates.span(r["date"], r["date_end"] or None) for r in rows]
        out["start"] = [(min(a for a, _ in firsts).isoformat(),) * 2]
        out["end"] = [(max(b for _, b in firsts).isoformat(),) * 2]
        latest = max(known_by(text) for text in pd.unique(flat["published"]))
        out["known_on"] = [(latest.isoformat(),) * 2]  # the last day anything in the table was known
    return out


def _check_date(name: str, value: str) -> str:
    try:
        dates.parse_partial(value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from exc
    return value


def filters_from_query(query: Mapping[str, str | list[str] | tuple[str, ...]]) -> Filters:
    """Build ``Filters`` from a query mapping (URL parameters, CLI options); unknown keys are ignored.

    Dates (``start``, ``end``, ``known_on``) must be ISO 8601 at any precision ("2023", "2023-05",
    "2023-05-25"); a bad one raises ValueError naming the parameter, as does a start after the end.
    ``include_retracted`` is "1"/"true"/"yes" or "0"/"false"/"no" (any case).
    """
    values: dict[str, object] = {}
    for name in FILTER_NAMES:
        raw = query.get(name)
        items = [raw] if isinstance(raw, str) else list(raw or [])
        items = [item.strip() for item in items if item and item.strip()]
        if name in DATE_FILTERS:
            if len(items) > 1:
                raise ValueError(f"{name}: give one date, not {len(items)}")
            values[name] = _check_date(name, items[0]) if items else None
        else:
            values[name] = tuple(dict.fromkeys(items))
    values["include_retracted"] = _flag("include_retracted", query.get("include_retracted"))
    f = replace(Filters(), **values)
    if f.start and f.end and dates.parse_partial(f.start).first > dates.parse_partial(f.end).last:
        raise ValueError(f"start: {f.start} is after end {f.end}")
    return f


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _flag(name: str, raw: object) -> bool:
    items = [raw] if isinstance(raw, str) else list(raw or [])  # type: ignore[arg-type]
    items = [str(item).strip().casefold() for item in items if str(item).strip()]
    if not items:
        return False
    if len(items) > 1 or items[0] not in _TRUE + _FALSE:
        raise ValueError(f"{name}: {', '.join(items)!r} is not one of 1, 0, true, false, yes, no")
    return items[0] in _TRUE


def filters_to_query(f: Filters) -> dict[str, list[str]]:
    """The query mapping that ``filters_from_query`` turns back into ``f`` (only what is set)."""
    out: dict[str, list[str]] = {}
    for name in FILTER_NAMES:
        value = getattr(f, name)
        if isinstance(value, str) and value:
            out[name] = [value]
        elif isinstance(value, tuple) and value:
            out[name] = list(value)
    if f.include_retracted:
        out["include_retracted"] = ["1"]
    return out


# --- resolving values against the data -----------------------------------------------------------------

#: What each multi-valued filter names, for messages ("no group 'isis-x' in the data").
FILTER_NOUNS: dict[str, str] = {
    "province": "province or place",
    "document": "document",
    "outlet": "outlet",
    "relayed_by": "relaying actor",
    "claimant": "claimant",
    "affiliation": "affiliation",
    "group": "group",
    "type": "claim topic or event type",
    "actor": "actor of an imported event",
}
#: Close matches offered for an unknown value.
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class FilterProblem:
    """A filter value that names nothing in the data, with the closest known values (may be empty)."""

    name: str  # the filter's name, one of ``model.FILTER_NAMES``
    value: str
    close_matches: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """ "no group 'isis-x' in the data; close matches: ISIS-K, ISIS" (without the filter's name)."""
        text = f"no {FILTER_NOUNS.get(self.name, self.name)} {self.value!r} in the data"
        if self.close_matches:
            text += "; close matches: " + ", ".join(self.close_matches)
        return text

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


def _column(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        return []
    return [text for text in (text_or_empty(v).strip() for v in frame[column]) if text]


@dataclass
class _Known:
    """The spellings one filter accepts: folded spelling -> values to filter on, and how to show it."""

    targets: dict[str, tuple[str, ...]]
    shown: dict[str, str]

    def add(self, spelling: str, target: str | None = None) -> None:
        """Accept ``spelling``; filter on ``target`` (an alias's id or name), else on the first spelling
        of the same folded form."""
        key = _fold(spelling)
        if not key:
            return
        shown = (
            spelling.strip() if target is None or _fold(target) == key else f"{spelling.strip()} ({target})"
        )
        self.shown.setdefault(key, shown)
        if target is None:
            self.targets.setdefault(key, (spelling.strip(),))
        elif target not in self.targets.get(key, ()):
            self.targets[key] = (*self.targets.get(key, ()), target)

    def close_matches(self, value: str) -> tuple[str, ...]:
        """Up to ``MAX_SUGGESTIONS`` known spellings near ``value``, one per thing they name."""
        keys = difflib.get_close_matches(_fold(value), list(self.targets), n=3 * MAX_SUGGESTIONS, cutoff=0.6)
        seen: dict[tuple[str, ...], str] = {}
        for key in keys:
            seen.setdefault(self.targets[key], self.shown[key])
        return tuple(seen.values())[:MAX_SUGGESTIONS]


def _known_values(ds: Dataset) -> dict[str, _Known]:
    """What each multi-valued filter accepts in ``ds``.

    Ids and names map to themselves (the filter matches them as they are); alternative names map to
    what the flat table holds: a group's id, a place's name.
    """
    known = {name: _Known({}, {}) for name in _MATCH_COLUMNS}
    for place in ds.places.to_dict("records"):
        for spelling in (place["name"], place["id"], text_or_empty(place.get("admin1"))):
            known["province"].add(spelling)
        for alias in split_ids(place.get("alt_names")):
            known["province"].add(alias, place["name"])
    for spelling in _column(ds.documents, "id") + _column(ds.documents, "file"):
        known["document"].add(spelling)
    for spelling in _column(ds.documents, "outlet"):
        known["outlet"].add(spelling)
    for spelling in _column(ds.actors, "id") + _column(ds.actors, "name"):
        known["relayed_by"].add(spelling)
        known["claimant"].add(spelling)
    for spelling in _column(ds.actors, "affiliation"):
        known["affiliation"].add(spelling)
    for group in ds.groups.to_dict("records"):
        for spelling in (group["id"], group["name"], *split_ids(group.get("alt_names"))):
            known["group"].add(spelling, group["id"])
    for spelling in _column(ds.claims, "topic") + _column(ds.events, "type"):
        known["type"].add(spelling)
        known["type"].add(spelling.replace("_", " "), spelling)  # as the app labels it
    for spelling in ACLED_TYPES:  # imported ACLED/UCDP events share ACLED's event types
        known["type"].add(spelling)
    return known


def imported_actor_names(ds: Dataset) -> list[str]:
    """The actors of the events imported into ``ds``'s data folder (none when nothing is imported)."""
    # Imported here: the engine is needed only when an actor filter is given.
    from dashboard.events.aggregate import actor_names
    from dashboard.events.store import engine

    return actor_names(engine(ds.data_dir))


def resolve_actors(
    values: Iterable[str], names: Iterable[str]
) -> tuple[tuple[str, ...], list[FilterProblem]]:
    """Actor filter values checked against the imported events' actor ``names``: a value is kept (as
    given, trimmed) when it is part of some name, any case, as the engine matches it; otherwise it is a
    ``FilterProblem`` with the closest names."""
    shown = {_fold(name): name for name in names}
    kept: list[str] = []
    problems: list[FilterProblem] = []
    for value in values:
        key = _fold(value)
        if not key:
            continue
        if any(key in name for name in shown):
            kept.append(value.strip())
            continue
        close = difflib.get_close_matches(key, list(shown), n=MAX_SUGGESTIONS, cutoff=0.6)
        problems.append(FilterProblem("actor", value, tuple(shown[c] for c in close)))
    return tuple(dict.fromkeys(kept)), problems


def resolve_filters(filters: Filters, ds: Dataset) -> tuple[Filters, list[FilterProblem]]:
    """Check every multi-valued filter value against the data; resolve alternative names.

    Returns the filters with each value replaced by what the flat table holds (a group's alternative
    name such as "ISIS-K" becomes its id ``iskp``; a place's alternative name its name) and one
    ``FilterProblem`` per value that names nothing in the data, with close matches. Unknown values are
    left out of the returned filters, so a caller that shows the problems can still use the rest. Text
    matches ignore case, as ``apply_filters`` does; dates are checked by ``filters_from_query``, not
    here. Actor values are checked against the imported events' actors (``resolve_actors``), read from
    ``ds``'s data folder only when an actor is given. It changes nothing: it only reads.
    """
    known = _known_values(ds)
    changes: dict[str, tuple[str, ...]] = {}
    problems: list[FilterProblem] = []
    for name, accepted in known.items():
        resolved: list[str] = []
        for value in getattr(filters, name):
            targets = accepted.targets.get(_fold(value))
            if targets:
                resolved.extend(targets)
            else:
                problems.append(FilterProblem(name, value, accepted.close_matches(value)))
        changes[name] = tuple(dict.fromkeys(resolved))
    if filters.actor:
        changes["actor"], actor_problems = resolve_actors(filters.actor, imported_actor_names(ds))
        problems.extend(actor_problems)
    return replace(filters, **changes), problems
