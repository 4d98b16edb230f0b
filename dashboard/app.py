"""Streamlit entry point: ``streamlit run dashboard/app.py`` (what ``make run`` starts).

Kept thin: the page is laid out by ``dashboard.ui.page``; maps, filters and query parsing live in the
domain modules it calls.
"""

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root; an installed
# package needs nothing, a plain checkout needs the root.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from dashboard.ui.page import main  # noqa: E402

main()
