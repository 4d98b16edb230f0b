"""What the reviewer says about the article on the command line, and the checks it must pass.

The address (``--url``) ends up in ``documents.csv`` and, from there, in links in the app and in
exports; only a web address (``http://`` or ``https://`` with a host) may go there, never
``javascript:``, ``data:`` or ``file:`` ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from dashboard.ingest.reader import ArticleError

WEB_SCHEMES = ("http", "https")
# Browsers drop tabs and newlines inside an address and trim spaces and control characters around it,
# so "java\tscript:" would still run: an address holding any of them is refused outright.
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


class DocumentInfoError(ArticleError):
    """A value given about the article (its address, ...) is refused; the message names the option.

    A subclass of ``ArticleError``: whoever reports an article that cannot be ingested reports this too.
    """


@dataclass
class DocumentInfo:
    """What the reviewer says about the article on the command line."""

    published: str
    outlet: str = ""
    title: str = ""
    url: str = ""
    author: str = ""
    published_basis: str = ""
    language: str = "en"
    translation_note: str = ""


def web_address_problem(url: str) -> str:
    """Why ``url`` is not an ``http(s)://host/...`` address ("" when it is one, or when it is empty)."""
    if not url:
        return ""
    if _SPACE_OR_CONTROL.search(url):
        return f"{url!r} contains spaces or control characters; give the address as a browser shows it"
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # a malformed IPv6 host, say
        return f"{url!r} is not a valid address ({exc})"
    if parts.scheme.lower() not in WEB_SCHEMES:
        scheme = f"{parts.scheme}:" if parts.scheme else "no scheme"
        return f"{url!r} is not a web address: {scheme} given, http:// or https:// expected"
    if not parts.hostname:
        return f"{url!r} names no host"
    return ""


def check_document_info(info: DocumentInfo) -> None:
    """Raise DocumentInfoError naming the option (``--url``) when a value about the article is refused."""
    problem = web_address_problem(info.url)
    if problem:
        raise DocumentInfoError(f"--url: {problem}")
