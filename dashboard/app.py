"""Streamlit entry point: ``streamlit run dashboard/app.py`` (what ``make run`` starts).

Kept thin: the page is laid out by ``dashboard.ui.page``; maps, filters and query parsing live in the
domain modules it calls. Before the page, the map's vendored Leaflet files are copied beside this script
when they are missing (a fresh checkout or a freshly installed package), so no separate step is needed.
With sign-in configured, nothing of the data is shown before the sign-in gate lets the person through.
"""

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root; an installed
# package needs nothing, a plain checkout needs the root.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

from dashboard.assets import AssetError, ensure_assets  # noqa: E402
from dashboard.ui import signin  # noqa: E402
from dashboard.ui.page import main  # noqa: E402

signin.gate()  # the sign-in page, or a refusal, stops the run here

try:
    ensure_assets()
except AssetError as exc:
    # The page still opens (tables, charts, exports); the map panel then lists the files it lacks.
    st.error(str(exc))

main()
