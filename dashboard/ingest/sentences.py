"""Split an article into sentences with their character offsets in the text.

pysbd (rule-based, no model download) finds the boundaries; a sentence never crosses a blank line,
because headlines, captions and paragraphs of a saved page are separate units even without a full stop.

pysbd's work grows with the square of the text it is given (each abbreviation it meets rewrites the
whole text, and each sentence is looked up again from the start), so a long paragraph is handed to it
in windows of ``WINDOW`` characters: the sentences of a window that end well before its edge are kept,
and the next window starts where the last kept sentence ended. A paragraph up to ``WINDOW`` characters
long (every paragraph of a news article) is segmented in one piece, exactly as before; a "sentence"
longer than a window is cut at its last space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import pysbd

#: Longest text handed to pysbd at once (characters).
WINDOW = 5_000
#: A sentence ending this close to a window's edge is segmented again in the next window: whether it
#: ends there can depend on the words after it.
MARGIN = 1_000


@dataclass(frozen=True)
class Sentence:
    """A sentence: its text (stripped) and where it lies, ``text == article[start:end]``."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph (block separated by blank lines) holding it


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` in order; ``text[s.start:s.end] == s.text`` for each."""
    sentences: list[Sentence] = []
    for paragraph, (p_start, p_end) in enumerate(_paragraphs(text)):
        for span_start, span_end in segment_spans(text[p_start:p_end]):
            # pysbd's spans include trailing whitespace; quotes do not.
            start = p_start + span_start
            end = p_start + span_end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                sentences.append(Sentence(len(sentences), start, end, text[start:end], paragraph))
    return sentences


def segment_spans(block: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence pysbd finds in ``block``, handing it at most ``WINDOW`` characters.

    Each window is segmented once and each step moves on by at least ``WINDOW - MARGIN`` characters
    every second window, so the work grows in proportion to the length of ``block``.
    """
    pos = 0
    while pos < len(block):
        window = block[pos : pos + WINDOW]
        spans = [(s.start, s.end) for s in _segmenter().segment(window)]
        if pos + WINDOW >= len(block):
            yield from ((pos + a, pos + b) for a, b in spans)  # the rest of the paragraph: all of it
            return
        # the last sentence may run past the window's edge; those ending close to the edge might end
        # elsewhere with the words that follow, so they are segmented again in the next window
        complete = spans[:-1]
        kept = [s for s in complete if s[1] <= WINDOW - MARGIN] or complete
        if not kept:  # no boundary in a whole window: cut at its last space
            cut = window.rfind(" ", 0, WINDOW - 1) + 1 or WINDOW
            kept = [(0, cut)]
        yield from ((pos + a, pos + b) for a, b in kept)
        pos += kept[-1][1]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for match in re.finditer(r"\n[ \t]*\n\s*", text):
        if text[pos : match.start()].strip():
            spans.append((pos, match.start()))
        pos = match.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    return spans
