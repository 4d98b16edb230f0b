"""A rendered map picture and how it was made, shared by the browser renderer and the static fallback.

Its own module so that :mod:`dashboard.exports.snapshot` (Chromium) and
:mod:`dashboard.exports.fallback` (matplotlib) both return it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Snapshot:
    """A rendered picture and how it was made."""

    png: bytes
    width: int  # device pixels
    height: int
    renderer: str  # "chromium" or "fallback"
    note: str = ""  # why the fallback was used
    blocked: list[str] = field(default_factory=list)  # requests the page tried and that were aborted
    errors: list[str] = field(default_factory=list)  # uncaught script errors in the page
