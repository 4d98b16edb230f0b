"""Showing untrusted text in Streamlit: Markdown would turn ``![x](http://...)`` into a request and
``$...$`` into maths, so article text is escaped before it reaches ``st.markdown``."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:])")


def md(text: object) -> str:
    """Escape any text for ``st.markdown`` (HTML and Markdown syntax, maths and autolinks)."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))
