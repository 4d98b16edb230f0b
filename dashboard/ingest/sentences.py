"""Split an article into sentences with their character offsets in the text.

pysbd (rule-based, no model download) finds the boundaries; a sentence never crosses a blank line,
because headlines, captions and paragraphs of a saved page are separate units even without a full stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd


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
        block = text[p_start:p_end]
        for span in _segmenter().segment(block):
            # pysbd's spans include trailing whitespace; quotes do not.
            start = p_start + span.start
            end = p_start + span.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                sentences.append(Sentence(len(sentences), start, end, text[start:end], paragraph))
    return sentences


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
