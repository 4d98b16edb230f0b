"""Read an article file for ingestion: plain UTF-8 text, or the visible text of a saved HTML page.

``read_article`` reads the file; ``parse_article`` and ``html_to_text`` work on values. Article files
are untrusted input. They are capped in size and refused with an error naming the file when they are
empty, binary (NUL bytes) or not UTF-8, so nothing half-read reaches the draft.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: Largest article accepted, in bytes. News articles are a few tens of kilobytes; a saved page with
#: inline scripts may reach a megabyte or so.
MAX_BYTES = 2 * 1024 * 1024

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class ArticleError(ValueError):
    """An article file that cannot be ingested; the message names the file and the reason."""


@dataclass(frozen=True)
class Article:
    """The text that quotes and offsets refer to, and the digest of the file it came from."""

    path: Path
    text: str
    source_sha256: str  # digest of the file's bytes as read
    from_html: bool


def read_article(path: Path, max_bytes: int = MAX_BYTES) -> Article:
    """Read ``path`` and return its text; raise ArticleError saying what is wrong with the file."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read the article ({exc.strerror or exc})") from exc
    if not path.is_file():
        raise ArticleError(f"{path}: not a regular file")
    if size > max_bytes:
        raise ArticleError(f"{path}: {size} bytes is larger than the {max_bytes}-byte limit for an article")
    return parse_article(path, path.read_bytes(), max_bytes)


def parse_article(path: Path, data: bytes, max_bytes: int = MAX_BYTES) -> Article:
    """The article in the bytes ``data`` read from ``path``; raise ArticleError naming ``path``.

    Plain UTF-8 text, or the visible text of an HTML page (by its suffix or its first characters).
    """
    path = Path(path)
    if len(data) > max_bytes:  # the file grew between stat and read
        raise ArticleError(f"{path}: larger than the {max_bytes}-byte limit for an article")
    if b"\x00" in data:
        raise ArticleError(f"{path}: contains NUL bytes; this looks like a binary file, not an article")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{path}: not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "save the article as UTF-8 text"
        ) from exc
    from_html = path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(raw)
    text = html_to_text(raw) if from_html else raw.removeprefix("\ufeff")
    if not text.strip():
        what = "has no visible text" if from_html and raw.strip() else "is empty"
        raise ArticleError(f"{path}: the article {what}")
    return Article(path=path, text=text, source_sha256=hashlib.sha256(data).hexdigest(), from_html=from_html)


def _looks_like_html(raw: str) -> bool:
    head = raw.lstrip("\ufeff \t\r\n")[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


# Elements whose content a reader never sees.
_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "svg",
    "iframe",
    "object",
    "nav",
    "footer",
    "form",
}
# Elements that end a paragraph or a line of text.
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "pre",
    "dl",
    "dt",
    "dd",
}


class _TextExtractor(HTMLParser):
    """Collects visible text, one paragraph per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(raw: str) -> str:
    """Return the visible text of an HTML page, paragraphs separated by blank lines.

    Whitespace inside a paragraph is collapsed as a browser would; the result is what quotes are
    taken from, so it is also what gets stored in ``seeds/`` when the article is accepted.
    """
    parser = _TextExtractor()
    parser.feed(raw)
    parser.close()
    joined = "".join(parser.parts)  # character references are already decoded by the parser
    paragraphs = []
    for block in re.split(r"\n\s*\n", joined):
        lines = [re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in block.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""
