"""重建的表结构 — views.sql split for a bulk load: the tables first, their keys and indexes after the COPY.

Building a primary key or an index once over loaded rows (a sort) is about twice as fast for
PostgreSQL as keeping it up to date row by row. The tables, keys and indexes are those of views.sql,
with the same names (an inline primary key and ``ALTER TABLE … ADD PRIMARY KEY`` both make
``<table>_pkey``); only the order of creation differs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from projections.view_sql import VIEWS_SQL

TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)")
TABLE_KEY = re.compile(r",\s*PRIMARY KEY\s*\(([^)]*)\)")
INDEX_ON = re.compile(r"\bON (\w+)")
COLUMN_KEY = re.compile(r"\b(\w+)\s+\w+\s+PRIMARY KEY")


@dataclass
class Deferred:
    """views.sql as statements: ``tables`` without keys or indexes, then ``keys_and_indexes``."""

    tables: list[str] = field(default_factory=list)
    keys_and_indexes: list[str] = field(default_factory=list)

    def of_tables(self, tables: frozenset[str]) -> list[str]:
        """The key and index statements of these tables."""
        return [s for s in self.keys_and_indexes if _table_of(s) in tables]

    def except_of(self, tables: frozenset[str]) -> list[str]:
        """The key and index statements of every other table."""
        return [s for s in self.keys_and_indexes if _table_of(s) not in tables]


def _table_of(statement: str) -> str:
    """The table an ``ALTER TABLE … ADD PRIMARY KEY`` or a ``CREATE INDEX … ON`` is of."""
    found = re.search(r"\b(?:TABLE|ON) (\w+)", statement)
    return found.group(1) if found else ""


def deferred_views(sql: str | None = None) -> Deferred:
    """The statements of views.sql (or of ``sql``), every key and index deferred."""
    text = re.sub(r"--[^\n]*", "", VIEWS_SQL.read_text() if sql is None else sql)
    deferred, indexes = Deferred(), list[str]()
    for statement in (s.strip() for s in text.split(";")):
        if not statement:
            continue
        table = TABLE.match(statement)
        if table is None:
            (indexes if INDEX_ON.search(statement) else deferred.tables).append(statement)
            continue
        if key := TABLE_KEY.search(statement):
            columns, statement = key.group(1), statement.replace(key.group(0), "", 1)
        elif key := COLUMN_KEY.search(statement):
            columns, statement = (
                key.group(1),
                statement.replace(key.group(0), key.group(0)[: -len(" PRIMARY KEY")], 1),
            )
        else:
            deferred.tables.append(statement)
            continue
        deferred.tables.append(statement)
        deferred.keys_and_indexes.append(f"ALTER TABLE {table.group(1)} ADD PRIMARY KEY ({columns})")
    deferred.keys_and_indexes += indexes
    return deferred
