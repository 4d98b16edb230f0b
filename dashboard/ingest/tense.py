"""Small reading aids for dating: is a date spoken of as coming, and is it only when something was said.

"The exercise will be held in October" in an article of August speaks of this year's October; "In
October, militants attacked" of last year's. "told TASS on Monday" dates the telling, not the events
told: such a date neither starts an event nor anchors "the following day".
"""

from __future__ import annotations

import re

_FUTURE = re.compile(
    r"\b(?:will|shall|won't|is to|are to|is due|are due|due to|scheduled|is expected|are expected|"
    r"expected to|planned|plans? to|set to|intends? to|upcoming|to be held|to be built|next)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|took|held|ago|last|earlier|previous(?:ly)?|recalled|began|"
    r"\w{3,}ed)\b",
    re.IGNORECASE,
)
_CLAUSE_EDGE = re.compile(r"[,;:()—–]|\b(?:and|but|while|when|which|after|before)\b")
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told|tells|reported|reports|announced|stated|noted|added|wrote|confirmed|declared|"
    r"quoted|informed|recalled)\b(?:\s+[\w.’'-]+){0,3}\s*$",
    re.IGNORECASE,
)


def clause_around(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding ``sentence[start:end]``: from the last comma, semicolon or joining word
    before it to the first one after it."""
    lo = 0
    for m in _CLAUSE_EDGE.finditer(sentence, 0, start):
        lo = m.end()
    m = _CLAUSE_EDGE.search(sentence, end)
    return lo, m.start() if m else len(sentence)


def speaks_of_future(sentence: str, start: int, end: int) -> bool:
    """Whether the date at ``start:end`` is spoken of as coming.

    The clause decides when it has a future or past verb; otherwise the sentence's future words do.
    """
    lo, hi = clause_around(sentence, start, end)
    clause = sentence[lo:start] + " " + sentence[end:hi]
    if _FUTURE.search(clause):
        return True
    if _PAST.search(clause):
        return False
    return bool(_FUTURE.search(sentence)) and not _PAST.search(sentence[:start][-60:])


def future_before(sentence: str, start: int) -> bool:
    """A future verb in the clause before ``start`` ("will resume on Tuesday", "is expected ... next")."""
    lo, _ = clause_around(sentence, start, start)
    return bool(_FUTURE.search(sentence[lo:start]))


def is_speech_date(sentence: str, start: int) -> bool:
    """Whether the date starting at ``start`` dates a verb of saying ("told TASS on Monday")."""
    return bool(_SPEECH_BEFORE.search(sentence[:start]))
