"""Small value rules shared by every layer: what counts as missing, ';'-lists, slugs and plain numbers.

Each rule is written once here so that the loader, the validator, the exports, the map and ingestion
agree on it (a cell that is blank for one is blank for all).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from slugify import slugify

#: The separator of list cells (``places``, ``groups``, ``relayed_by`` ...).
LIST_SEPARATOR = ";"

#: The dtype of the loaded tables' text: pandas' ``str``, its values held as Python strings rather than
#: in Arrow. The map's layers and the filters take many small slices of these tables (the reports
#: naming a province, the provinces among the places); on tables of hundreds of rows, a slice of
#: Arrow-held text costs several times more.
TEXT = pd.StringDtype("python", na_value=np.nan)


def blank(value: object) -> bool:
    """True for None, NaN, pandas' NA/NaT and empty or whitespace-only strings."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and value.strip() == ""


def text_or_empty(value: object) -> str:
    """The value as text, "" when blank."""
    return "" if blank(value) else str(value)


def split_ids(value: object) -> list[str]:
    """The items of a ';'-separated cell, stripped, without blanks (none for a blank cell)."""
    if blank(value):
        return []
    return [part.strip() for part in str(value).split(LIST_SEPARATOR) if part.strip()]


def join_ids(values: Iterable[object]) -> str:
    """The inverse of :func:`split_ids`: non-blank items joined with ';', first occurrence kept."""
    seen: list[str] = []
    for value in values:
        text = text_or_empty(value).strip()
        if text and text not in seen:
            seen.append(text)
    return LIST_SEPARATOR.join(seen)


def slug(text: str) -> str:
    """An id-shaped form of a name: "Ishkāshim" -> "ishkashim", "Sar-e Pol" -> "sar-e-pol"."""
    return slugify(str(text))


def plain_number(value: object) -> str:
    """A number as plain decimal text for data files: "" when blank, 6500 not 6500.0, no exponent."""
    if blank(value):
        return ""
    number = float(value)
    if math.isnan(number):
        return ""
    if number.is_integer():
        return str(int(number))
    return np.format_float_positional(number, trim="-")


def number_or_none(value: object) -> int | float | None:
    """A number for a numeric cell: int when whole (6500, not 6500.0), None when blank."""
    if blank(value):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def grouped_number(value: object) -> str:
    """A number for people: 12000 -> "12,000"; 1.5 -> "1.5"; blank -> ""."""
    if blank(value):
        return ""
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")
