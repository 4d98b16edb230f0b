"""Sourced map of reports on militant groups in northern Afghanistan and on the Tajik-Afghan border.

The domain layer (data model, loading, validation, filters, maps, exports, ingestion) lives here and never
imports Streamlit; only ``dashboard/app.py`` and ``dashboard/ui/`` do.
"""

__version__ = "0.1.0"
