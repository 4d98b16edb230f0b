"""The export controls: size, pixel density and caveat, and one download button per format.

The page calls :func:`render` with what the map currently shows. Each button's file is made only when
it is clicked (Streamlit runs the callable on its own thread); the picture formats go through the
process-wide warm browser, which bounds concurrent renders.
"""

from __future__ import annotations

import logging
import os

import pandas as pd
import streamlit as st

from dashboard.exports.briefing import SIZES, Briefing
from dashboard.exports.formats import EXPORTS, export_bytes, file_name
from dashboard.exports.snapshot import FallbackOnly, SnapshotError
from dashboard.mapping import styles
from dashboard.model import Dataset, Filters

log = logging.getLogger(__name__)

#: Environment variable holding the organisation's default caveat/classification line.
CAVEAT_ENV = "DASHBOARD_CAVEAT"
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


def _maker(name: str, ds: Dataset, flat_all: pd.DataFrame, flat: pd.DataFrame, briefing: Briefing):
    def make() -> bytes:
        try:
            return export_bytes(name, ds, flat_all, flat, briefing)
        except SnapshotError as exc:
            # A busy or failing browser must not cost the briefer the file: use the labelled fallback.
            log.warning("export %s: %s; using the static fallback", name, exc)
            return export_bytes(name, ds, flat_all, flat, briefing, FallbackOnly(str(exc)))

    return make


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
    size_key = st.radio(
        "Picture size", list(_SIZE_LABELS), format_func=_SIZE_LABELS.get, horizontal=True, key=f"{key}_size"
    )
    scale = st.radio(
        "Pixel density", (1, 2), index=1, format_func=lambda s: f"{s}x", horizontal=True, key=f"{key}_scale"
    )
    caveat = st.text_input(
        "Caveat / classification banner (top and bottom; leave empty for none)",
        value=os.environ.get(CAVEAT_ENV, ""),
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
        )
    except ValueError as exc:
        st.error(f"Cannot export this view: {exc}")
        return
    st.caption(f"{len(flat)} report(s) in the current filters. Files are made when you click.")
    columns = st.columns(4)
    for i, name in enumerate(EXPORTS):
        with columns[i % 4]:
            st.download_button(
                _LABELS[name],
                data=_maker(name, ds, flat_all, flat, briefing),
                file_name=file_name(name, briefing),
                mime=EXPORTS[name].mime,
                on_click="ignore",
                key=f"{key}_{name}",
                help=EXPORTS[name].description,
                width="stretch",
            )


def _clamp(size: tuple[int, int]) -> tuple[int, int]:
    from dashboard.exports.briefing import MAX_SIDE, MIN_SIDE

    return tuple(max(MIN_SIDE, min(MAX_SIDE, int(v))) for v in size)  # type: ignore[return-value]
