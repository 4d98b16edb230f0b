"""Source documents and the quotes taken from them.

Each document's file must be a plain name in ``seeds/`` whose SHA-256 matches ``documents.csv``, so an
edited article is caught; each report's quote must occur in its document verbatim, because a cut or
reworded quote misrepresents the source. Each document's address must be an http or https address: it
becomes a link on the page, where a ``javascript:`` or ``file:`` address would run or open something.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from dashboard.validate.files import read_regular_file
from dashboard.validate.problems import Collector
from dashboard.validate.tables import Table

#: Typographic characters mapped to plain ones, only to explain why a quote did not match.
_LOOSE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"})


def check_documents(documents: Table | None, seeds_dir: Path, out: Collector) -> dict[str, str]:
    """Check each document's file and digest; return the texts of the readable ones by document id."""
    texts: dict[str, str] = {}
    if documents is None:
        return texts
    for n, row in documents.rows:
        name = row.get("file", "")
        if not name:
            continue
        # A path would let the table point outside seeds/ (at a data file, say); only names are allowed.
        # A control character (a NUL, say) cannot be part of a file name the system opens.
        if name != Path(name).name or name in (".", "..") or not name.isprintable():
            out.add(documents.file, n, "file", f"{name!r} must be a plain file name in seeds/")
            continue
        path = seeds_dir / name
        try:
            data = read_regular_file(path)
        except FileNotFoundError:
            out.add(documents.file, n, "file", f"{out.name(path)} does not exist")
            continue
        except OSError as exc:
            out.add(documents.file, n, "file", f"{out.name(path)} cannot be read: {exc.strerror}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if row.get("sha256") and digest != row["sha256"]:
            out.add(documents.file, n, "sha256", f"does not match {name} (its sha256 is {digest})")
        try:
            texts[row.get("id", "")] = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.add(
                documents.file, n, "file", f"{name} is not valid UTF-8 ({exc.reason} at byte {exc.start})"
            )
    return texts


def _loose(text: str) -> str:
    """Text with quote marks and whitespace normalised, to explain why a quote did not match."""
    return " ".join(text.translate(_LOOSE).split())


def check_quotes(tables: dict[str, Table], texts: dict[str, str], out: Collector) -> None:
    """Each report's quote occurs verbatim in its (readable) document."""
    reports = tables.get("reports")
    if reports is None:
        return
    for n, row in reports.rows:
        quote, doc = row.get("quote", ""), row.get("document", "")
        if not quote or doc not in texts or quote in texts[doc]:
            continue
        hint = ""
        if _loose(quote) in _loose(texts[doc]):
            hint = " (it differs only in whitespace, quote marks or dashes)"
        out.add(reports.file, n, "quote", f"not found verbatim in document {doc}{hint}")


#: The only address schemes a document may have: anything else would be a link that runs or opens
#: something other than a web page (``javascript:``, ``data:``, ``file:``).
WEB_SCHEMES = ("http", "https")


def check_urls(documents: Table | None, out: Collector) -> None:
    """Each non-empty ``url`` is an http or https address with a host (the schema says when one is needed)."""
    for n, row in documents.rows if documents else []:
        url = row.get("url", "")
        if url and not is_web_address(url):
            out.add(
                documents.file,
                n,
                "url",
                f"{url!r} is not a web address: only http:// and https:// are allowed",
            )


def is_web_address(url: str) -> bool:
    """True for an ``http://`` or ``https://`` address with a host and no spaces or control characters.

    Browsers drop tabs and newlines inside an address ("java\tscript:" is "javascript:"), so any such
    character makes the address invalid rather than being looked past.
    """
    if not url.isprintable() or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed IPv6 host
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
