"""What the picture exports share: a rendered picture (:class:`Snapshot`) and saving a matplotlib figure.

Its own module so that :mod:`dashboard.exports.snapshot` (Chromium) and
:mod:`dashboard.exports.fallback` (matplotlib) both return a Snapshot without importing each other,
and so that the fallback picture and the PDF page save their figures through one function that prints
text exactly (:func:`figure_bytes`). matplotlib itself is imported only when a figure is saved.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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


def figure_bytes(fig: Figure, fmt: str, **savefig: object) -> bytes:
    """``fig`` saved as ``fmt`` ("png", "pdf", "svg") with every text printed exactly as stored.

    matplotlib reads text between two ``$`` as mathtext ("$100 to $300" would print "100to300", and
    "$\\href{x}{y}$" raises) and sends all text through LaTeX when ``text.usetex`` is set. Every text
    artist of the figure (figure and axes text, annotations, legend entries and title, text boxes, table
    cells) is switched to plain text here, at the one place pictures are saved, so that no call that
    draws data can forget it.
    """
    _plain_text(fig)
    out = io.BytesIO()
    fig.savefig(out, format=fmt, **savefig)
    return out.getvalue()


def _plain_text(fig: Figure) -> None:
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
        text.set_usetex(False)


def figures_pdf(figs: list[Figure], metadata: dict | None = None) -> bytes:
    """Several figures as the pages of one PDF, every text printed exactly as stored (as
    :func:`figure_bytes` does for one)."""
    from matplotlib.backends.backend_pdf import PdfPages

    out = io.BytesIO()
    with PdfPages(out, metadata=metadata or {}) as pdf:
        for fig in figs:
            _plain_text(fig)
            pdf.savefig(fig)
    return out.getvalue()
