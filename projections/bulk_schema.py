"""重建的表结构 — the tables of a bulk load in steps: the tables first, their keys and indexes after the COPY.

Building a primary key or an index once over loaded rows (a sort) is about twice as fast for
PostgreSQL as keeping it up to date row by row. The tables, keys and indexes are those the projection
creates (``projections.table_ddl``), with the same names (a primary key written on a table and
``ALTER TABLE … ADD PRIMARY KEY`` both make ``<table>_pkey``); only the order of creation differs.

A partitioned table is created empty, without its partitions: each is loaded and indexed apart, as a
staging table (``Partition.staging``) with a CHECK of its bounds, then attached. PostgreSQL then neither
scans it (the CHECK proves the bounds) nor builds its indexes again (the parent's keys and indexes, made
after, take the partition's own alike ones).
"""

from __future__ import annotations

from collections.abc import Iterable

from projections.table_ddl import create_table, index, primary_key, statistics
from projections.table_model import Partition, Table
from projections.tables import TABLES

STAGING_CHECK = "rebuild_bounds"
BY_NAME = {table.name: table for table in TABLES}


def unkeyed_tables() -> list[str]:
    """Every table without its key, indexes or partitions, with its statistics targets."""
    created = [create_table(table, keyed=False) for table in TABLES]
    return created + [s for table in TABLES for s in statistics(table)]


def keys_and_indexes(tables: Iterable[Table]) -> list[str]:
    """The primary keys, then the indexes, of these tables."""
    tables = list(tables)
    keys = [s for table in tables for s in primary_key(table)]
    return keys + [index(i, table.name) for table in tables for i in table.indexes]


def partitions() -> list[Partition]:
    """Every partition of every partitioned table."""
    return [p for table in TABLES for p in table.partitions]


def partition_sets() -> list[list[Partition]]:
    """The partitions grouped by their bounds, in order: set ``n`` is partition ``n`` of each partitioned
    table (one set for each ballot process)."""
    groups: dict[tuple[object, object], list[Partition]] = {}
    for partition in partitions():
        groups.setdefault((partition.low, partition.high), []).append(partition)
    return list(groups.values())


def staging_tables(partition: Partition) -> list[str]:
    """The statements creating ``partition``'s staging table: its parent's columns and settings, and a
    CHECK of its bounds."""
    parent, staging = BY_NAME[partition.parent], partition.staging
    check = f"CONSTRAINT {STAGING_CHECK} CHECK ({partition.check()})"
    return [create_table(parent, staging, keyed=False, check=check), *statistics(parent, staging)]


def staging_keys(partition: Partition) -> list[str]:
    """The staging table's keys and indexes: its parent's, named as PostgreSQL names those it makes for a
    partition (``<table>_pkey``, ``<table>_<columns>_idx``)."""
    parent, staging = BY_NAME[partition.parent], partition.staging
    named = [index(i, staging, "_".join([staging, *i.columns, "idx"])) for i in parent.indexes]
    return primary_key(parent, staging) + named
