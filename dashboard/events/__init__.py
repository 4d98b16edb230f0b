"""Imported conflict-event datasets (ACLED, UCDP GED): context beside the curated evidence, never part of it.

An export is read and checked row by row (``acled``, ``ucdp``, ``reading``), its places resolved to the
project's provinces (``regions``) and merged by event id into a columnar store in the data folder
(``store``: Parquet files queried by DuckDB, one per dataset, with a manifest). Filters become SQL
(``query``) and maps and charts read aggregates computed by the engine (``aggregate``), never the whole
table in pandas. Nothing here imports Streamlit.
"""
