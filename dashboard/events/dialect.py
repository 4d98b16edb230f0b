"""The little that differs between the two engines' SQL: placeholders, text order, the map's bounds.

Filters and aggregates are written once (``query``, ``aggregate``) in SQL both DuckDB and PostgreSQL
read, with ``?`` placeholders. DuckDB runs them as written. For PostgreSQL, :meth:`Dialect.translate`
turns ``?`` into psycopg's ``%s`` and gives the view's bounds (``lat BETWEEN ? AND ? AND lon BETWEEN ?
AND ?``, the one form the builders write) the PostGIS test that its GiST index answers, keeping the
exact comparison beside it. :meth:`Dialect.text_order` sorts text byte by byte in both (DuckDB's
order), whatever the database's collation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The bounds condition as the filter builders write it: south, north, west, east.
BOUNDS_SQL = "lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
_PIECE = re.compile(r"(\?)|(%)|(" + re.escape(BOUNDS_SQL) + r")")


@dataclass(frozen=True)
class Dialect:
    """One engine's spelling of the few things that differ."""

    name: str

    def text_order(self, expr: str) -> str:
        """``expr`` for ORDER BY: byte order (DuckDB's; PostgreSQL's "C" collation)."""
        return f'{expr} COLLATE "C"' if self.name == "postgresql" else expr

    def translate(self, sql: str, params: list | tuple = ()) -> tuple[str, list]:
        """(sql, params) ready for this engine: unchanged for DuckDB; for PostgreSQL ``%s`` placeholders,
        ``%`` doubled, and every bounds test led by an index-backed ``geom && envelope``."""
        params = list(params)
        if self.name != "postgresql":
            return sql, params
        new_params, index = [], 0

        def replace(match: re.Match) -> str:
            nonlocal index
            if match.group(1):
                new_params.append(params[index])
                index += 1
                return "%s"
            if match.group(2):
                return "%%"
            south, north, west, east = params[index : index + 4]
            index += 4
            new_params.extend([west, south, east, north, south, north, west, east])
            # The envelope uses the index (its boxes are rounded outwards); the BETWEENs stay exact.
            return (
                "(geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) "
                "AND lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s)"
            )

        translated = _PIECE.sub(replace, sql)
        if index != len(params):
            raise ValueError(f"{index} placeholder(s) in the SQL for {len(params)} parameter(s)")
        return translated, new_params


DUCKDB = Dialect("duckdb")
POSTGRESQL = Dialect("postgresql")


def dialect_of(cur: object) -> Dialect:
    """The dialect of an engine handle: PostgreSQL's carries one; a DuckDB cursor is DuckDB."""
    return getattr(cur, "dialect", DUCKDB)
