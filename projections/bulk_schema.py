"""重建的表结构 — views.sql split for a bulk load: the tables first, their keys and indexes after the COPY.

Building a primary key or an index once over loaded rows (a sort) is about twice as fast for
PostgreSQL as keeping it up to date row by row. The tables, keys and indexes are those of views.sql,
with the same names (an inline primary key and ``ALTER TABLE … ADD PRIMARY KEY`` both make
``<table>_pkey``); only the order of creation differs.

A table views.sql partitions is created empty, without its partitions: each is loaded and indexed apart,
as a staging table (``Partition.staging``) with a CHECK of its bounds, then attached. PostgreSQL then
neither scans it (the CHECK proves the bounds) nor builds its indexes again (the parent's keys and
indexes, made after, take the partition's own alike ones).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from uuid import UUID

from projections.view_sql import VIEWS_SQL

TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)")
TABLE_KEY = re.compile(r",\s*PRIMARY KEY\s*\(([^)]*)\)")
INDEX_ON = re.compile(r"\bON (\w+)")
COLUMN_KEY = re.compile(r"\b(\w+)\s+\w+\s+PRIMARY KEY")
PARTITIONED = re.compile(r"\)\s*PARTITION BY RANGE \((\w+)\)$")
PARTITION = re.compile(
    r"CREATE TABLE IF NOT EXISTS (\w+) PARTITION OF (\w+)\s+FOR VALUES FROM \((.*?)\) TO \((.*?)\)$"
)
INDEX = re.compile(r"CREATE INDEX IF NOT EXISTS \w+ ON \w+ \(([^)]*)\)$")
WORD = re.compile(r"\w+")
STAGING_CHECK = "rebuild_bounds"


@dataclass(frozen=True)
class Partition:
    """One partition views.sql declares: its rows are those whose ``column`` is in [``low``, ``high``)
    (``None``: unbounded)."""

    name: str
    parent: str
    column: str
    low: UUID | None
    high: UUID | None

    @property
    def staging(self) -> str:
        """The table a rebuild loads it as (never a view table's name)."""
        return f"rebuild_{self.name}"

    def bounds(self) -> str:
        low, high = (f"'{b}'" if b else edge for b, edge in ((self.low, "MINVALUE"), (self.high, "MAXVALUE")))
        return f"FROM ({low}) TO ({high})"

    def check(self) -> str:
        parts = [
            f"{self.column} >= '{self.low}'" if self.low else "",
            f"{self.column} < '{self.high}'" if self.high else "",
        ]
        return " AND ".join(p for p in parts if p) or "true"


@dataclass
class Deferred:
    """views.sql as statements: ``tables`` without keys, indexes or partitions, then ``keys_and_indexes``;
    the ``partitions`` of the partitioned tables."""

    tables: list[str] = field(default_factory=list)
    keys_and_indexes: list[str] = field(default_factory=list)
    partitions: list[Partition] = field(default_factory=list)

    def of_tables(self, tables: frozenset[str]) -> list[str]:
        """The key and index statements of these tables."""
        return [s for s in self.keys_and_indexes if _table_of(s) in tables]

    def except_of(self, tables: frozenset[str]) -> list[str]:
        """The key and index statements of every other table."""
        return [s for s in self.keys_and_indexes if _table_of(s) not in tables]

    def staging_tables(self, partition: Partition) -> list[str]:
        """The statements creating ``partition``'s staging table: its parent's columns and settings, and a
        CHECK of its bounds."""
        name = re.compile(rf"\b{partition.parent}\b")
        made = []
        for statement in self.tables:
            if _table_of(statement) == partition.parent:
                statement = PARTITIONED.sub(
                    f", CONSTRAINT {STAGING_CHECK} CHECK ({partition.check()}))", statement
                )
                made.append(name.sub(partition.staging, statement.replace(" IF NOT EXISTS", ""), count=1))
        return made

    def staging_keys(self, partition: Partition) -> list[str]:
        """The staging table's keys and indexes: its parent's, named as PostgreSQL names those it makes for
        a partition (``<table>_pkey``, ``<table>_<columns>_idx``), the staging table's name for the table's."""
        made = []
        for statement in self.of_tables(frozenset({partition.parent})):
            if index := INDEX.match(statement):
                name = "_".join([partition.staging, *WORD.findall(index.group(1)), "idx"])
                made.append(f"CREATE INDEX {name} ON {partition.staging} ({index.group(1)})")
            else:
                made.append(re.sub(rf"\b{partition.parent}\b", partition.staging, statement))
        return made

    def shares(self) -> list[list[Partition]]:
        """The partitions, grouped by their bounds (one group for each ballot process), in order."""
        groups: dict[tuple[UUID | None, UUID | None], list[Partition]] = {}
        for partition in self.partitions:
            groups.setdefault((partition.low, partition.high), []).append(partition)
        return list(groups.values())


def _table_of(statement: str) -> str:
    """The table a ``CREATE TABLE``, an ``ALTER TABLE`` or a ``CREATE INDEX … ON`` is of."""
    found = re.search(r"\b(?:TABLE(?: IF NOT EXISTS)?|ON) (\w+)", statement)
    return found.group(1) if found else ""


@cache
def deferred_views(sql: str | None = None) -> Deferred:
    """The statements of views.sql (or of ``sql``), every key and index deferred: read and split once per
    process (callers only read it)."""
    text = re.sub(r"--[^\n]*", "", VIEWS_SQL.read_text() if sql is None else sql)
    deferred, indexes = Deferred(), list[str]()
    columns: dict[str, str] = {}
    for statement in (s.strip() for s in text.split(";")):
        if not statement:
            continue
        if part := PARTITION.match(statement):
            name, parent, low, high = part.groups()
            bound = [UUID(b.strip("'")) if b.startswith("'") else None for b in (low, high)]
            deferred.partitions.append(Partition(name, parent, columns[parent], bound[0], bound[1]))
            continue
        table = TABLE.match(statement)
        if table is None:
            (indexes if INDEX_ON.search(statement) else deferred.tables).append(statement)
            continue
        if by := PARTITIONED.search(statement):
            columns[table.group(1)] = by.group(1)
        if key := TABLE_KEY.search(statement):
            keys, statement = key.group(1), statement.replace(key.group(0), "", 1)
        elif key := COLUMN_KEY.search(statement):
            keys = key.group(1)
            statement = statement.replace(key.group(0), key.group(0)[: -len(" PRIMARY KEY")], 1)
        else:
            deferred.tables.append(statement)
            continue
        deferred.tables.append(statement)
        deferred.keys_and_indexes.append(f"ALTER TABLE {table.group(1)} ADD PRIMARY KEY ({keys})")
    deferred.keys_and_indexes += indexes
    return deferred
