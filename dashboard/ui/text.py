"""Showing untrusted text in Streamlit: plain text by construction.

``st.markdown``, ``st.caption``, ``st.warning``, ``st.error``, ``st.info`` and their kin render
Markdown: ``![x](http://...)`` in an echoed URL parameter would make every viewer's browser fetch an
outside address, ``[Sign in](http://...)`` would be a live link, and ``$...$`` would be maths. So a
message is a fixed Markdown template filled with :func:`md_format`, which escapes every value with
:func:`md`; ``tests/test_app.py`` checks that no call in ``dashboard/ui`` passes anything else.
The same rule as the map's (:func:`dashboard.mapping.text.visible`) replaces bidirectional controls.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from dashboard.mapping.text import visible

# Markdown's punctuation (``&`` and ``;`` left alone: they spell the HTML escapes made first).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:@])")


# Streamlit's Markdown (remark-gfm) links bare addresses by searching the text *after* escapes are
# resolved, so a backslash does not stop it: an invisible WORD JOINER after an "http"/"https" scheme
# name, after "www" and after "@" breaks the patterns it looks for ("http://", "www.", "name@host.tld").
_AUTOLINK = re.compile(r"(?i)(https?(?=:)|www(?=\.)|@)")
_WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Escape any text for Markdown: HTML, Markdown syntax, maths and autolinks shown as typed.

    Blank values (None, NaN) give ""; line breaks become spaces, so text can neither end a paragraph
    nor start a heading, list or quote of its own; bare addresses stay text, not links.
    """
    plain = _AUTOLINK.sub(lambda m: m.group(1) + _WORD_JOINER, " ".join(visible(text).splitlines()))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(plain, quote=False))


class Md(str):
    """Markdown made by :func:`md_format` or :func:`md_join`: fills another template as it is."""

    __slots__ = ()


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Md) and not format_spec:
            return value
        # Blank values (None, NaN) are "" by md's own rule; a format spec applies to real values.
        return md(format(value, format_spec) if format_spec else value)


_FORMATTER = _Formatter()


def md_format(template: str, /, *args: Any, **kwargs: Any) -> Md:
    """``template`` (fixed Markdown written in this code, never data) with every value escaped by :func:`md`.

    ``md_format("Ignored: {}", "![m](http://x.example/a.png)")`` shows the value as typed, not an image.
    An :class:`Md` value (made by this function) is filled in as it is, so messages nest.
    """
    return Md(_FORMATTER.vformat(template, args, kwargs))


def md_join(separator: str, items: Iterable[object]) -> Md:
    """``items`` joined by the fixed Markdown ``separator``; each escaped unless already :class:`Md`."""
    return Md(separator.join(_FORMATTER.format_field(item, "") for item in items))


def visible_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells have their bidirectional controls replaced (see ``visible``).

    Tables and charts show cells as text (never Markdown or HTML), so only the bidi rule applies.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = [visible(v) if isinstance(v, str) else v for v in out[column]]
    return out


def web_link(url: object) -> str | None:
    """``url`` when it is an http(s) address to show as a link, else None (no ``javascript:`` link)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None
