"""The export controls: size, pixel density and caveat, one button per format, and the files made.

The page calls :func:`render` with what the map currently shows. A format's button makes its file in
the page's run (the picture formats through the process-wide warm browser, which bounds concurrent
renders), and a download button for that file appears under it, holding the file for this session
until the view changes. Two clicks rather than one, because a file made on click by Streamlit's
deferred download belongs to no session: on a shared server it is deleted once any two page runs end
anywhere, often before the browser fetches it (the load benchmark saw it as HTTP 404s). A file held
by the session's own download button lives until this session moves on.

A file that cannot be made must not fail silently: the failure (format and reason) is kept in the
session's :class:`ExportProblems` and shown as plain text until a file of that format is made.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
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
    the message before it is read. Thread-safe (a lock): a file may be made on any thread.
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

    def messages_for(self, name: str) -> list[str]:
        """The recorded message of format ``name`` (none or one)."""
        with self._lock:
            return [self._messages[name]] if name in self._messages else []


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
    st.caption(
        md_format(
            "{} report(s) in the current filters. Click a format to make its file, then download it.",
            len(flat),
        )
    )
    made = _made_files(key, _view_key(briefing, flat))
    columns = st.columns(4)
    for i, name in enumerate(EXPORTS):
        with columns[i % 4]:
            made_now = st.button(
                _LABELS[name], key=f"{key}_make_{name}", help=EXPORTS[name].description, width="stretch"
            )
            if made_now:
                with st.spinner(md_format("Making the {}…", _LABELS[name])):
                    try:
                        data = _maker(name, ds, flat_all, flat, briefing, problems)()
                    except Exception:  # recorded by the maker, shown below as plain text
                        made.pop(name, None)
                    else:
                        stamped = file_name(name, briefing, made_on=datetime.now(UTC).date())
                        made[name] = MadeFile(stamped, data)
            for message in problems.messages_for(name):
                st.error(md_format("{}", message))
            if name in made:
                st.download_button(
                    md_format("Download {} ({})", made[name].name, _size(len(made[name].data))),
                    data=made[name].data,
                    file_name=made[name].name,
                    mime=EXPORTS[name].mime,
                    on_click="ignore",
                    key=f"{key}_{name}",
                    type="primary",
                    width="stretch",
                )


@dataclass(frozen=True)
class MadeFile:
    """A file made for the current view: its name and bytes."""

    name: str
    data: bytes


def _view_key(briefing: Briefing, flat: pd.DataFrame) -> str:
    """What the made files depend on: the briefing (filters, size, caveat, frame) and the rows shown."""
    return f"{briefing!r}|{len(flat)}|{pd.util.hash_pandas_object(flat['id'], index=False).sum()}"


def _made_files(key: str, view: str) -> dict[str, MadeFile]:
    """This session's files made for ``view``; files made for another view are dropped (never offered
    for a view they do not show), which also bounds what a session holds to one file per format."""
    state_key = f"{key}_made"
    held = st.session_state.get(state_key)
    if held is None or held[0] != view:
        held = (view, {})
        st.session_state[state_key] = held
    return held[1]


def _size(n: int) -> str:
    """A file size as people read it."""
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _clamp(size: tuple[int, int]) -> tuple[int, int]:
    from dashboard.exports.briefing import MAX_SIDE, MIN_SIDE

    return tuple(max(MIN_SIDE, min(MAX_SIDE, int(v))) for v in size)  # type: ignore[return-value]
