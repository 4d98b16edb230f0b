"""The briefing slide (.pptx) and a PDF of the same layout with an appendix page.

The slide holds the title, a line with subtitle, "as of", information cutoff, date window and filters,
the map snapshot,
a table of the key figures shown (claim, figure range with unit, claimant, date with its precision,
and the source beside each number), a source footnote, and the caveat top and bottom when one is
set; its notes list every source document in full. When imported events (ACLED, UCDP GED) are in
the view, the footnote, the notes and the PDF's appendix name each dataset with its attribution. The
PDF draws the same boxes with matplotlib's PDF backend (no browser needed), so both can be made
wherever the snapshot can.

Layout boxes are in inches on a 13.333 x 7.5 in (16:9) page, shared by both outputs.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from PIL import Image

from dashboard.events.datasets import DATASETS, credit_line
from dashboard.events.export import HOW_CHANGED, datasets_in_view
from dashboard.exports.briefing import Briefing, as_of_text
from dashboard.exports.figures import KeyFigure, key_figures
from dashboard.exports.manifest import manifest, manifest_lines
from dashboard.exports.picture import Snapshot, figures_pdf
from dashboard.exports.snapshot import Renderer, snapshot_png
from dashboard.model import Dataset
from dashboard.wording import filter_summary, filter_window, information_cutoff, references, sources_line

PAGE_W, PAGE_H = 13.333, 7.5
MARGIN = 0.4
BAND = 0.3  # caveat band height
GAP = 0.2  # between the picture and the table
PICTURE = (MARGIN, 1.35, 7.2, 4.86)  # left, top, width, height; the snapshot is rendered at this aspect
#: CSS size of the slide's snapshot: its aspect is the picture box's; small enough for readable type.
PICTURE_CSS = (1120, 756)
#: The picture's type scale: the slide shows it at ~0.93 times its CSS size on a 1920-pixel
#: projector, so town names (11 px) print at ~12 px, and the panels leave room for the provinces.
PICTURE_TYPE_SCALE = 1.2
_TABLE_LEFT = MARGIN + PICTURE[2] + GAP
#: The table runs from the picture's top to just above the bottom band; the footnote sits under the
#: picture only, so the two never overlap.
TABLE = (_TABLE_LEFT, PICTURE[1], PAGE_W - _TABLE_LEFT - MARGIN, PAGE_H - BAND - 0.12 - PICTURE[1])
COLUMNS = (("Claim", 0.27), ("Figure", 0.2), ("Claimant", 0.19), ("Date · sources", 0.34))
#: Type sizes in points, chosen to stay legible on a projected 16:9 slide.
TABLE_PT = 12.0
HEADER_PT = 11.0  # the table's header row: "Claimant" in bold stays one word
FOOTNOTE_PT = 10.0
#: The footnote's smallest size: a long sources line (imported datasets' credits) shrinks to fit.
FOOTNOTE_MIN_PT = 8.0
#: The footnote's height: from 0.1 in under the picture down to the bottom caveat band (kept clear
#: whether or not a caveat is set, so a footnote never changes size with the caveat).
FOOTNOTE_H = PAGE_H - BAND - (PICTURE[1] + PICTURE[3]) - 0.1
CAVEAT_RED = "#8b1a1a"


def _lines(text: str, width_in: float, points: float) -> list[str]:
    chars = max(8, int(width_in * 72 / (points * 0.58)))  # a little wider than average text: bold figures
    return textwrap.wrap(text, chars, break_long_words=False) or [""]


def title_points(title: str) -> float:
    """The title's font size: 26 pt, smaller for a long title so that it fits one line (16 pt at least)."""
    fitting = (PAGE_W - 2 * MARGIN) * 72 / (max(len(title), 1) * 0.62)  # bold glyphs are wide
    return max(16.0, min(26.0, round(fitting, 1)))


def header_points(header: str) -> float:
    """The header line's size: 11 pt, smaller for a long line so that it stays one line (9 pt at least)."""
    fitting = (PAGE_W - 2 * MARGIN) * 72 / (max(len(header), 1) * 0.55)
    return max(9.0, min(11.0, round(fitting, 1)))


def fit_rows(figures: list[KeyFigure], height_in: float = TABLE[3], points: float = TABLE_PT) -> int:
    """How many rows fit in the table box (header included), estimating wrapped lines per cell."""
    line = points * 1.25 / 72
    used = line + 0.12  # header
    for count, fig in enumerate(figures):
        lines = max(
            len(_lines(c, TABLE[2] * w - 0.1, points)) for c, (_, w) in zip(fig.cells(), COLUMNS, strict=True)
        )
        used += lines * line + 0.1
        if used > height_in:
            return count
    return len(figures)


def _header_line(
    ds: Dataset, flat_all: pd.DataFrame, briefing: Briefing, flat: pd.DataFrame | None = None
) -> str:
    parts = [briefing.subtitle] if briefing.subtitle else []
    parts.append(f"Reports dated: {filter_window(briefing.filters, flat_all)}")
    if flat is not None:
        # The latest publication shown: what the pack can know, apart from when it was printed.
        parts.append(f"Information cutoff: {information_cutoff(flat) or 'no document in view'}")
    parts.append(f"As of {as_of_text(briefing.as_of)} (printed)")
    summary = filter_summary(briefing.filters, ds)
    if summary:
        parts.append("Filters: " + "; ".join(summary))
    return " · ".join(parts)


#: Where the full references and the record manifest are, per output.
FULL_REFERENCES = {
    "pptx": ("Full references and the record manifest in the notes.", "the notes"),
    "pdf": ("Full references and the record manifest on page 2.", "page 2"),
}


def footnote_points(text: str) -> float:
    """The footnote's size: 10 pt, smaller (by half points, 8 pt at least) when its lines would not fit
    the box under the picture at 10 pt."""
    points = FOOTNOTE_PT
    while points > FOOTNOTE_MIN_PT and len(_lines(text, PICTURE[2], points)) * points * 1.2 / 72 > FOOTNOTE_H:
        points -= 0.5
    return points


def _footnote(
    flat: pd.DataFrame, shown: int, total: int, output: str = "pptx", imported: Sequence[str] = ()
) -> str:
    """The line under the picture: sources (and the imported datasets' credits), where the full
    references are, and what the table leaves out."""
    pointer, place = FULL_REFERENCES[output]
    text = sources_line(flat, credit=False, imported=imported) + " " + pointer
    if total > shown:
        text += (
            f" {total - shown} of the {total} claims with a figure are left out of the table: "
            f"all are in {place} and in the CSV/Excel export."
        )
    if total == 0:
        text += " No figure is reported in this selection."
    return text


@dataclass
class SlideContent:
    """Everything the slide and the PDF show, computed once."""

    briefing: Briefing
    snapshot: Snapshot
    header: str
    figures: list[KeyFigure]
    shown: int
    footnote: str
    notes: str
    pdf_footnote: str = ""
    references: list[str] = field(default_factory=list)
    manifest: list[str] = field(default_factory=list)
    key_figures: list[str] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)  # credit lines of the imported datasets in view


def slide_content(
    ds: Dataset,
    flat_all: pd.DataFrame,
    flat: pd.DataFrame,
    briefing: Briefing,
    renderer: Renderer | None = None,
) -> SlideContent:
    """Render the picture for the slide's box and gather the text (``flat`` already filtered)."""
    briefing = briefing.stamped()
    # The slide carries the title block and the caveat bands itself; the picture keeps the rest.
    picture = replace(
        briefing, size=PICTURE_CSS, scale=2, title_block=False, caveat="", type_scale=PICTURE_TYPE_SCALE
    )
    snap = snapshot_png(ds, flat_all, flat, picture, renderer)
    figures = key_figures(flat, ds.claims)
    shown = fit_rows(figures)
    header = _header_line(ds, flat_all, briefing, flat)
    entries = manifest_lines(manifest(ds, flat))
    in_view = datasets_in_view(ds, briefing.filters)
    imported = [credit_line(key, manifest) for key, manifest in in_view.items()]
    # The footnote has room for the attributions alone; the notes and the appendix give the exports.
    short = [m.get("attribution") or DATASETS[key].attribution for key, m in in_view.items()]
    notes = [briefing.title, header, "", "Sources:"]
    notes += [f"- {line}" for line in references(flat)] or ["- none: no report matches the filters"]
    notes += imported_lines(imported)
    notes += ["", "Key figures (one per claim; the first document gives the figure and date shown):"]
    notes += [f"- {fig.full_text()}" for fig in figures] or ["- none in this selection"]
    notes += [
        "",
        "A claim reported by several documents is one row: the figure and date as one document gives "
        "them (at the precision it gives), then the other documents, with how they word it where they "
        "differ. Figures differ between sources; none is preferred here.",
    ]
    notes += ["", *entries]
    if snap.renderer == "fallback":
        notes += ["", f"The map is the static fallback rendering ({snap.note})."]
    if briefing.caveat.strip():
        notes += ["", f"Caveat: {briefing.caveat.strip()}"]
    return SlideContent(
        briefing=briefing,
        snapshot=snap,
        header=header,
        figures=figures,
        shown=shown,
        footnote=_footnote(flat, shown, len(figures), imported=short),
        notes="\n".join(notes),
        pdf_footnote=_footnote(flat, shown, len(figures), "pdf", short),
        references=references(flat),
        manifest=entries,
        key_figures=[fig.full_text() for fig in figures],
        imported=imported,
    )


def imported_lines(credits: Sequence[str]) -> list[str]:
    """The notes' and the appendix's lines on the imported datasets in view (none when there are none)."""
    if not credits:
        return []
    return (
        ["", "Imported events (context from other datasets, not curated evidence):"]
        + [f"- {credit}" for credit in credits]
        + [HOW_CHANGED]
    )


def pptx_bytes(content: SlideContent) -> bytes:
    """The one-slide presentation."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(PAGE_W), Inches(PAGE_H)
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    caveat = content.briefing.caveat.strip()
    top = BAND if caveat else 0

    def text_box(left, top_in, width, height, text, size, bold=False, colour="222222", align=None):
        box = slide.shapes.add_textbox(Inches(left), Inches(top_in), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        para = frame.paragraphs[0]
        para.text = text
        if align is not None:
            para.alignment = align
        para.font.size, para.font.bold = Pt(size), bold
        para.font.color.rgb = RGBColor.from_string(colour)
        return box

    title = content.briefing.title
    text_box(MARGIN, 0.3 + top * 0.5, PAGE_W - 2 * MARGIN, 0.6, title, title_points(title), bold=True)
    text_box(
        MARGIN,
        0.88 + top * 0.5,
        PAGE_W - 2 * MARGIN,
        0.45,
        content.header,
        header_points(content.header),
        colour="444444",
    )
    left, pic_top, width, height = PICTURE
    slide.shapes.add_picture(
        io.BytesIO(content.snapshot.png), Inches(left), Inches(pic_top), Inches(width), Inches(height)
    )
    _pptx_table(slide, content)
    text_box(
        MARGIN,
        pic_top + height + 0.05,
        width,
        TABLE[1] + TABLE[3] - pic_top - height - 0.05,
        content.footnote,
        footnote_points(content.footnote),
        colour="333333",
    )
    if caveat:
        _pptx_bands(slide, caveat)
    slide.notes_slide.notes_text_frame.text = content.notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _pptx_table(slide, content: SlideContent) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    left, top, width, _ = TABLE
    rows = content.figures[: content.shown]
    shape = slide.shapes.add_table(
        len(rows) + 1, len(COLUMNS), Inches(left), Inches(top), Inches(width), Inches(0.3 * (len(rows) + 1))
    )
    table = shape.table
    for i, (_name, share) in enumerate(COLUMNS):
        table.columns[i].width = Inches(width * share)
    cells = [tuple(name for name, _ in COLUMNS)] + [fig.cells() for fig in rows]
    for r, values in enumerate(cells):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            cell.margin_left = cell.margin_right = Inches(0.05)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            for para in cell.text_frame.paragraphs:
                para.font.size = Pt(HEADER_PT if r == 0 else TABLE_PT)
                para.font.bold = r == 0 or c == 1
                para.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else RGBColor(0x22, 0x22, 0x22)
            if r == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor(0x1D, 0x35, 0x57)


def _pptx_bands(slide, caveat: str) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    for top in (0, PAGE_H - BAND):
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(top), Inches(PAGE_W), Inches(BAND))
        band.fill.solid()
        band.fill.fore_color.rgb = RGBColor.from_string(CAVEAT_RED[1:])
        band.line.fill.background()
        frame = band.text_frame
        frame.margin_top = frame.margin_bottom = 0
        para = frame.paragraphs[0]
        para.text = caveat.upper()
        para.alignment = PP_ALIGN.CENTER
        para.font.size, para.font.bold = Pt(12), True
        para.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def pdf_bytes(content: SlideContent) -> bytes:
    """The slide as a PDF page, then an appendix page with the full references and the record manifest
    (matplotlib's PDF backend; text stays text, printed as stored)."""
    metadata = {"Title": content.briefing.title, "Subject": content.header}
    return figures_pdf([pdf_figure(content), appendix_figure(content)], metadata=metadata)


#: The appendix page's type (points) and the characters a line holds at that size.
APPENDIX_PT = 8.5


def appendix_figure(content: SlideContent) -> Figure:
    """Page 2 of the PDF: key figures in full, full references and the record manifest."""
    fig = Figure(figsize=(PAGE_W, PAGE_H))
    caveat = content.briefing.caveat.strip()
    top = BAND if caveat else 0
    lines = [f"{content.briefing.title}: references and record manifest", ""]
    lines += ["Key figures (one per claim):", *(f"- {t}" for t in content.key_figures or ["none"]), ""]
    lines += ["Sources:", *(f"- {r}" for r in content.references or ["none"])]
    lines += [*imported_lines(content.imported), "", *content.manifest]
    chars = int((PAGE_W - 2 * MARGIN) * 72 / (APPENDIX_PT * 0.56))
    wrapped = []
    for line in lines:  # addresses and digests are long words: they break where the line ends
        wrapped += textwrap.wrap(line, chars, subsequent_indent="  ", break_on_hyphens=False) or [""]
    fig.text(
        MARGIN / PAGE_W,
        1 - (0.3 + top) / PAGE_H,
        "\n".join(wrapped),
        fontsize=APPENDIX_PT,
        va="top",
        ha="left",
        color="#222222",
        family="DejaVu Sans",
        linespacing=1.25,
    )
    if caveat:
        _pdf_bands(fig, caveat)
    return fig


def pdf_figure(content: SlideContent) -> Figure:
    """The PDF page as a matplotlib figure (save it with ``picture.figure_bytes``)."""
    fig = Figure(figsize=(PAGE_W, PAGE_H))
    caveat = content.briefing.caveat.strip()
    top = BAND if caveat else 0

    def put(x, y, text, size, **kw):  # x, y in inches from the top-left corner
        fig.text(x / PAGE_W, 1 - y / PAGE_H, text, fontsize=size, va="top", ha="left", **kw)

    put(
        MARGIN,
        0.32 + top * 0.5,
        content.briefing.title,
        title_points(content.briefing.title),
        fontweight="bold",
        color="#222222",
    )
    put(
        MARGIN,
        0.92 + top * 0.5,
        content.header,
        header_points(content.header),
        color="#444444",
    )
    left, pic_top, width, height = PICTURE
    ax = fig.add_axes((left / PAGE_W, 1 - (pic_top + height) / PAGE_H, width / PAGE_W, height / PAGE_H))
    ax.imshow(Image.open(io.BytesIO(content.snapshot.png)).convert("RGB"), interpolation="lanczos")
    ax.set_axis_off()
    _pdf_table(fig, content)
    footnote = content.pdf_footnote or content.footnote
    put(
        MARGIN,
        pic_top + height + 0.1,
        "\n".join(_lines(footnote, width, footnote_points(footnote))),
        footnote_points(footnote),
        color="#333333",
    )
    if caveat:
        _pdf_bands(fig, caveat)
    return fig


def _pdf_bands(fig: Figure, caveat: str) -> None:
    """The handling line in a red band, top and bottom of a PDF page."""
    if caveat:
        for y in (0, PAGE_H - BAND):
            fig.patches.append(
                Rectangle(
                    (0, 1 - (y + BAND) / PAGE_H),
                    1,
                    BAND / PAGE_H,
                    transform=fig.transFigure,
                    color=CAVEAT_RED,
                )
            )
            fig.text(
                0.5,
                1 - (y + BAND / 2) / PAGE_H,
                caveat.upper(),
                ha="center",
                va="center",
                color="white",
                fontsize=12,
                fontweight="bold",
            )


def _pdf_table(fig, content: SlideContent) -> None:
    left, top, width, _ = TABLE
    line = TABLE_PT * 1.25 / 72
    y = top
    rows = [tuple(name for name, _ in COLUMNS)] + [f.cells() for f in content.figures[: content.shown]]
    for r, values in enumerate(rows):
        wrapped = [
            _lines(v, width * share - 0.1, TABLE_PT) for v, (_, share) in zip(values, COLUMNS, strict=True)
        ]
        row_h = max(len(w) for w in wrapped) * line + (0.12 if r == 0 else 0.1)
        if r == 0:
            fig.patches.append(
                Rectangle(
                    (left / PAGE_W, 1 - (y + row_h) / PAGE_H),
                    width / PAGE_W,
                    row_h / PAGE_H,
                    transform=fig.transFigure,
                    color="#1d3557",
                )
            )
        x = left
        for lines, (_, share) in zip(wrapped, COLUMNS, strict=True):
            fig.text(
                (x + 0.05) / PAGE_W,
                1 - (y + 0.05) / PAGE_H,
                "\n".join(lines),
                fontsize=HEADER_PT if r == 0 else TABLE_PT,
                va="top",
                ha="left",
                color="white" if r == 0 else "#222222",
                linespacing=1.15,
                fontweight="bold" if r == 0 or share == COLUMNS[1][1] else "normal",
            )
            x += width * share
        y += row_h
        fig.lines.append(
            Line2D(
                [left / PAGE_W, (left + width) / PAGE_W],
                [1 - y / PAGE_H] * 2,
                transform=fig.transFigure,
                color="#bbbbbb",
                linewidth=0.6,
            )
        )
