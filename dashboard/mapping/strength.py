"""Which reported strength figure shades each province: the latest, the highest, or one claimant's.

Only figures that count people (fighters, members) in claims about a force's strength or location, and
only claims whose places lie in the province, count. A country-wide figure never shades a province: the
source did not say where in the country those fighters are. Nor does a figure given for several
provinces together shade each of them (``alone=True``): it is one figure over the group
(:func:`group_figures`), drawn once with one outline and one label.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from dashboard.dates import span
from dashboard.values import blank, split_ids

STRENGTH_TOPICS = ("force_strength", "force_location")
STRENGTH_UNITS = ("fighters", "members")
FIGURE_MODES = ("latest", "highest", "claimant")


@dataclass(frozen=True)
class ProvinceFigure:
    """The figure shown for one province, with everything reported about its strength in the window."""

    province_id: str
    province_name: str
    value: float
    chosen: dict  # the flat row of the report whose figure is shown
    rows: pd.DataFrame  # every strength report for the province in the window
    low: float  # lowest and highest figure among those reports
    high: float
    shared_with: tuple[str, ...]  # other provinces the chosen claim names with this one


def row_value(row: dict, highest: bool = False) -> float | None:
    """The number a report gives: its best figure, else its upper bound, else its lower bound."""
    values = [row.get(c) for c in ("figure_best", "figure_high", "figure_low")]
    values = [float(v) for v in values if not blank(v)]
    if not values:
        return None
    return max(values) if highest else values[0]


def strength_rows(flat: pd.DataFrame) -> pd.DataFrame:
    """Reports of claims giving a head count of a force (fighters or members)."""
    mask = (flat["kind"] == "claim") & flat["type"].isin(STRENGTH_TOPICS) & flat["unit"].isin(STRENGTH_UNITS)
    return flat[mask]


def figure_label(mode: str, claimant_name: str | None = None) -> str:
    """What the shading shows, in words for the legend."""
    if mode == "highest":
        return "highest figure reported in the window"
    if mode == "claimant":
        return f"latest figure claimed by {claimant_name or 'the chosen claimant'}"
    return "latest figure reported in the window"


def province_figures(
    flat: pd.DataFrame,
    provinces: pd.DataFrame,
    mode: str = "latest",
    claimant: str | None = None,
    alone: bool = False,
) -> dict[str, ProvinceFigure]:
    """Province id -> the figure to shade it with, for provinces with at least one figure.

    ``provinces`` has the ``id`` and ``name`` of each province (places of kind province). With
    ``alone``, only a figure given for that province alone is chosen (``rows``, ``low`` and ``high``
    still cover every figure that names it).
    """
    if mode not in FIGURE_MODES:
        raise ValueError(f"unknown figure mode {mode!r} (expected one of {', '.join(FIGURE_MODES)})")
    rows = strength_rows(flat)
    # Each report's places and provinces split once, not once per province (a row-wise apply per
    # province made most of a map's build).
    places = [_id_set(v) for v in rows["places"].tolist()]
    named_provinces = [_id_set(v) for v in rows["provinces"].tolist()]
    out: dict[str, ProvinceFigure] = {}
    for province in provinces.itertuples():
        mask = [province.id in a or province.name in b for a, b in zip(places, named_provinces, strict=True)]
        if not any(mask):
            continue
        named = rows[mask]
        candidates = named[named["claimant"] == claimant] if mode == "claimant" else named
        records = [r for r in candidates.to_dict("records") if row_value(r) is not None]
        if alone:
            records = [r for r in records if len(split_ids(r["provinces"])) <= 1]
        if not records:
            continue
        chosen = _choose(records, mode)
        every = [
            v
            for r in named.to_dict("records")
            for v in (row_value(r), row_value(r, highest=True))
            if v is not None
        ]
        others = [p for p in split_ids(chosen["provinces"]) if p != province.name]
        out[province.id] = ProvinceFigure(
            province_id=province.id,
            province_name=province.name,
            value=row_value(chosen, highest=(mode == "highest")),
            chosen=chosen,
            rows=named,
            low=min(every),
            high=max(every),
            shared_with=tuple(others),
        )
    return out


def _id_set(value: object) -> frozenset[str]:
    """The items of a ';'-separated cell as a set (as ``split_ids`` reads them)."""
    return _split_text(value) if isinstance(value, str) else frozenset(split_ids(value))


@lru_cache(maxsize=4096)
def _split_text(value: str) -> frozenset[str]:
    return frozenset(split_ids(value))


def _choose(records: list[dict], mode: str) -> dict:
    """The record whose figure is shown: the highest, else the latest (ties: the last id)."""
    if mode == "highest":
        return max(records, key=lambda r: (row_value(r, highest=True), r["id"]))
    return max(records, key=lambda r: (span(r["date"], r["date_end"] or None)[1], r["id"]))


@dataclass(frozen=True)
class GroupFigure:
    """One figure given for several provinces together ("4,000 in Badakhshan, Kunduz and Takhar")."""

    province_ids: tuple[str, ...]
    province_names: tuple[str, ...]
    value: float
    chosen: dict  # the flat row of the report whose figure is shown
    rows: pd.DataFrame  # every strength report for exactly this group in the window


def group_figures(
    flat: pd.DataFrame, provinces: pd.DataFrame, mode: str = "latest", claimant: str | None = None
) -> list[GroupFigure]:
    """The figures given for groups of two or more provinces together, one per group (chosen by
    ``mode`` as for a single province), largest group first."""
    if mode not in FIGURE_MODES:
        raise ValueError(f"unknown figure mode {mode!r} (expected one of {', '.join(FIGURE_MODES)})")
    rows = strength_rows(flat)
    ids = dict(zip(provinces["name"], provinces["id"], strict=True))
    groups: dict[tuple[str, ...], list[dict]] = {}
    for record in rows.to_dict("records"):
        names = tuple(n for n in dict.fromkeys(split_ids(record["provinces"])) if n in ids)
        if len(names) > 1 and row_value(record) is not None:
            if mode != "claimant" or record["claimant"] == claimant:
                groups.setdefault(tuple(sorted(names)), []).append(record)
    out = []
    for names, records in groups.items():
        chosen = _choose(records, mode)
        keep = rows[rows["id"].isin({r["id"] for r in records})]
        out.append(
            GroupFigure(
                province_ids=tuple(ids[n] for n in names),
                province_names=names,
                value=row_value(chosen, highest=(mode == "highest")),
                chosen=chosen,
                rows=keep,
            )
        )
    return sorted(out, key=lambda g: (-len(g.province_ids), g.province_names))


def names_together(names: tuple[str, ...] | list[str]) -> str:
    """ "Badakhshan, Kunduz and Takhar"."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
