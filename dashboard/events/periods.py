"""Weeks and months: the steps of the trend chart and of the map's playback.

A week runs Monday to Sunday and is named by its Monday ("2023-05-01"); a month by its partial ISO
date ("2023-05"). Each period is a date window the shared filters understand (``start``/``end``).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import pandas as pd

from dashboard import dates

STEPS: tuple[str, ...] = ("week", "month")


def period_start(day: date, step: str) -> date:
    """The first day of the week (Monday) or month holding ``day``."""
    if step == "week":
        return day - timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    raise ValueError(f"step: {step!r} is not one of {', '.join(STEPS)}")


@lru_cache(maxsize=64)  # the playback lists them on every run
def periods(first: date, last: date, step: str) -> tuple[str, ...]:
    """Every period from the one holding ``first`` to the one holding ``last``, as names."""
    out, current = [], period_start(first, step)
    while current <= last:
        out.append(current.isoformat() if step == "week" else current.strftime("%Y-%m"))
        current = (
            current + timedelta(days=7) if step == "week" else (current + timedelta(days=32)).replace(day=1)
        )
    return tuple(out)


def window(period: str, step: str) -> tuple[str, str]:
    """(start, end) filter values of a period: a week's Monday and Sunday, or the month twice."""
    if step == "week":
        monday = date.fromisoformat(period)
        return monday.isoformat(), (monday + timedelta(days=6)).isoformat()
    dates.parse_partial(period)  # a month name such as "2023-05"; raises on anything else
    return period, period


@lru_cache(maxsize=8192)  # the playback slider labels every period on every run
def label(period: str, step: str) -> str:
    """ "week of 1 May 2023" or "May 2023"."""
    if step == "week":
        monday = date.fromisoformat(period)
        return f"week of {monday.day} {monday.strftime('%B %Y')}"
    return dates.parse_partial(period).first.strftime("%B %Y")


def curated_events(flat: pd.DataFrame, step: str) -> pd.DataFrame:
    """Curated events per period and type (each event once, at the first day its date covers)."""
    events = flat[flat["kind"] == "event"].drop_duplicates("id")
    rows = []
    for text, end, kind in zip(events["date"], events["date_end"], events["type"], strict=True):
        try:
            first, _ = dates.span(text, end or None)
        except ValueError:
            continue
        rows.append({"period": period_start(first, step), "event_type": f"curated: {kind.replace('_', ' ')}"})
    frame = pd.DataFrame(rows, columns=["period", "event_type"])
    return frame.groupby(["period", "event_type"]).size().rename("events").reset_index()
