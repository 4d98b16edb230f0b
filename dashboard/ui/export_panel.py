"""The export controls: size, pixel density and caveat, and one download button per format.

The page calls :func:`render` with what the map currently shows. Each button's file is made only when
it is clicked (Streamlit runs the callable on its own thread); the picture formats go through the
process-wide warm browser, which bounds concurrent renders.

A file that cannot be made must not fail silently. The callable runs outside the page's script, so it
cannot draw anything itself: it records the failure (format and reason) in the session's
:class:`ExportProblems` and re-raises, so that the download does not happen and Streamlit marks the
button at once; from the page's next run on, the panel shows the message, as plain text, until a file
of that format is made.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from dashboard.exports.briefing import SIZES, Briefing
from dashboard.exports.formats import EXPORTS, export_bytes, file_name
from dashboard.exports.snapshot import FallbackOnly, SnapshotError
from dashboard.mapping import styles
from dashboard.model import Dataset, Filters
from dashboard.ui.text import md_format

log = logging.getLogger(__name__)

#: Environment variable holding the organisation's default caveat/classification line.
CAVEAT_ENV = "DASHBOARD_CAVEAT"
#: The handling line when the organisation sets none: what this material is.
DEFAULT_HANDLING = "UNCLASSIFIED // OPEN SOURCE"
_SIZE_LABELS = {"screen": "As on screen", "slide": "16:9 slide (1920×1080)", "a4": "A4 landscape (1754×1240)"}
_LABELS = {
    "png": "PNG snapshot",
    "pptx": "Slide (.pptx)",
    "pdf": "PDF page",
    "html": "Standalone HTML",
    "csv": "CSV",
    "geojson": "GeoJSON",
    "xlsx": "Excel",
}
#: The longest reason shown (an exception's message can quote a whole title or stack of details).
_REASON_CHARS = 300


class ExportProblems:
    """Why each format's last file could not be made, kept per session until a file of it is made.

    Kept, not shown once: the page may rerun by itself (the map reports its view) and must not wipe
    the message before it is read. Thread-safe: the button callables report from Streamlit's worker
    threads, the page reads on its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: dict[str, str] = {}

    def failed(self, name: str, message: str) -> None:
        """Record that the ``name`` file could not be made, and why."""
        with self._lock:
            self._messages.pop(name, None)
            self._messages[name] = message  # the latest failure last

    def made(self, name: str) -> None:
        """Forget an earlier failure of ``name``: its file has now been made."""
        with self._lock:
            self._messages.pop(name, None)

    def messages(self) -> list[str]:
        """The recorded messages, oldest failure first."""
        with self._lock:
            return list(self._messages.values())


def failure_message(name: str, exc: BaseException) -> str:
    """What the panel says when the ``name`` file could not be made: the format and the reason."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if len(reason) > _REASON_CHARS:
        reason = reason[: _REASON_CHARS - 1] + "…"
    return f"{_LABELS.get(name, name)}: the file could not be made ({reason}). Nothing was downloaded."


def _maker(
    name: str,
    ds: Dataset,
    flat_all: pd.DataFrame,
    flat: pd.DataFrame,
    briefing: Briefing,
    problems: ExportProblems | None = None,
):
    def make() -> bytes:
        try:
            try:
                data = export_bytes(name, ds, flat_all, flat, briefing)
            except SnapshotError as exc:
                # A busy or failing browser must not cost the briefer the file: use the labelled fallback.
                log.warning("export %s: %s; using the static fallback", name, exc)
                data = export_bytes(name, ds, flat_all, flat, briefing, FallbackOnly(str(exc)))
        except Exception as exc:
            log.exception("export %s failed", name)
            if problems is not None:
                problems.failed(name, failure_message(name, exc))
            raise  # no file: Streamlit marks the button as failed at once
        if problems is not None:
            problems.made(name)
        return data

    return make


def _problems(key: str) -> ExportProblems:
    """This session's :class:`ExportProblems` for the panel ``key`` (made once)."""
    state_key = f"{key}_problems"
    if state_key not in st.session_state:
        st.session_state[state_key] = ExportProblems()
    return st.session_state[state_key]


def render(
    ds: Dataset,
    flat_all: pd.DataFrame,
    flat: pd.DataFrame,
    filters: Filters,
    *,
    center: tuple[float, float] | None,
    zoom: int | None,
    screen_size: tuple[int, int],
    title: str,
    subtitle: str,
    figure: str = "latest",
    figure_claimant: str | None = None,
    key: str = "export",
) -> None:
    """Draw the export panel for the current view.

    ``flat`` is ``flat_all`` filtered by ``filters``; ``center``/``zoom`` are the map's (None: the
    default framing); ``screen_size`` is the map's size on screen in CSS pixels (width, height).
    """
    problems = _problems(key)
    for message in problems.messages():
        st.error(md_format("{}", message))  # plain text: the reason may quote a title or an article
    size_key = st.radio(
        "Picture size", list(_SIZE_LABELS), format_func=_SIZE_LABELS.get, horizontal=True, key=f"{key}_size"
    )
    scale = st.radio(
        "Pixel density", (1, 2), index=1, format_func=lambda s: f"{s}x", horizontal=True, key=f"{key}_scale"
    )
    caveat = st.text_input(
        "Handling line, printed top and bottom (leave empty for none)",
        value=os.environ.get(CAVEAT_ENV, DEFAULT_HANDLING),
        max_chars=120,
        key=f"{key}_caveat",
    )
    size = _clamp(screen_size) if size_key == "screen" else SIZES[size_key]
    try:
        briefing = Briefing(
            filters=filters,
            title=title,
            subtitle=subtitle,
            caveat=caveat,
            size=size,
            scale=int(scale),
            center=center or styles.DEFAULT_CENTER,
            zoom=zoom if zoom is not None else styles.DEFAULT_ZOOM,
            figure=figure,
            figure_claimant=figure_claimant,
            # "As on screen" shows what the screen shows; a slide or a page is framed on the data.
            fit=size_key != "screen",
        )
    except ValueError as exc:
        st.error(md_format("Cannot export this view: {}", exc))
        return
    st.caption(md_format("{} report(s) in the current filters. Files are made when you click.", len(flat)))
    columns = st.columns(4)
    for i, name in enumerate(EXPORTS):
        with columns[i % 4]:
            st.download_button(
                _LABELS[name],
                data=_maker(name, ds, flat_all, flat, briefing, problems),
                file_name=file_name(name, briefing, made_on=datetime.now(UTC).date()),
                mime=EXPORTS[name].mime,
                on_click="ignore",
                key=f"{key}_{name}",
                help=EXPORTS[name].description,
                width="stretch",
            )


def _clamp(size: tuple[int, int]) -> tuple[int, int]:
    from dashboard.exports.briefing import MAX_SIDE, MIN_SIDE

    return tuple(max(MIN_SIDE, min(MAX_SIDE, int(v))) for v in size)  # type: ignore[return-value]
