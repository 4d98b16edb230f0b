"""Characters that have no place in a data cell: control characters and bidirectional controls.

A NUL or an escape sequence in a cell is never text a curator meant to write, and it reaches terminals,
spreadsheets and the page as it is. The bidirectional overrides and isolates (U+202A-U+202E,
U+2066-U+2069) make text display in another order than it is stored: a quote or a name could show one
thing and say another. Tab and newline are allowed only in the free-text fields (``MULTILINE_FIELDS``).
"""

from __future__ import annotations

import re
import unicodedata

#: Free-text fields, where a quote or a note may run over several lines.
MULTILINE_FIELDS = frozenset({"quote", "notes", "date_basis", "published_basis", "translation_note"})

#: C0 controls, DEL and C1 controls, as a character-class range.
CONTROL_RANGE = "\x00-\x1f\x7f-\x9f"
#: Bidirectional embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
BIDI_RANGE = "\u202a-\u202e\u2066-\u2069"

_CONTROLS = re.compile(f"[{CONTROL_RANGE}]")
_BIDI = re.compile(f"[{BIDI_RANGE}]")
_LINE_BREAKS = frozenset({"\t", "\n"})


def character_problems(value: str, multiline: bool = False) -> list[str]:
    """What is wrong with the characters of one cell (empty when nothing is).

    ``multiline`` allows tab and newline (a Windows line end, CR LF, counts as a newline).
    """
    problems = []
    text = value.replace("\r\n", "\n") if multiline else value
    controls = sorted({ch for ch in _CONTROLS.findall(text) if not (multiline and ch in _LINE_BREAKS)})
    if controls:
        allowed = "only tab and newline are allowed here" if multiline else "this field is one line of text"
        problems.append(f"contains control character {', '.join(map(_code, controls))}; {allowed}")
    bidi = sorted(set(_BIDI.findall(value)))
    if bidi:
        named = ", ".join(f"{_code(ch)} {unicodedata.name(ch)}" for ch in bidi)
        problems.append(
            f"contains {named}: a bidirectional control that can make text display in another order "
            "than it is written; remove it"
        )
    return problems


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"
