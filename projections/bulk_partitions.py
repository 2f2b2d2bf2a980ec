"""分区装载 — the partitions of the ballots' tables in a bulk rebuild: loaded and indexed by a ballot process
as staging tables, attached by the rebuilding process.

A ballot process creates its staging tables (``create``), COPYs its rows into them FREEZE, builds their
keys and indexes (``index``) and commits: the two processes build theirs at once, each in its own
PostgreSQL backend. The rebuilding process, in its one transaction, attaches each to the table it
recreated and gives it and its indexes the partition's names (``attach``): until then no view holds
them, and a staging table left by a rebuild that failed is dropped by the next (``create``) or at once
(``drop``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import Cursor
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from projections.bulk_schema import STAGING_CHECK, staging_keys, staging_tables
from projections.table_model import Partition


def create(curs: Cursor[Any], partitions: Sequence[Partition]) -> None:
    """The staging tables of ``partitions``, in the cursor's schema, any left by an earlier rebuild dropped."""
    for partition in partitions:
        curs.execute(SQL("DROP TABLE IF EXISTS {}").format(Identifier(partition.staging)))
        for statement in staging_tables(partition):
            curs.execute(statement.encode())


def index(curs: Cursor[Any], partitions: Sequence[Partition]) -> None:
    """Their keys and indexes, once their rows are in."""
    for partition in partitions:
        for statement in staging_keys(partition):
            curs.execute(statement.encode())


def attach(curs: Cursor[Any], partitions: Sequence[Partition]) -> None:
    """Each staging table becomes its partition, named as the projection names it (its indexes too); the CHECK
    that spared PostgreSQL the scan is dropped."""
    for p in partitions:
        staging = Identifier(p.staging)
        curs.execute(
            SQL("ALTER TABLE {} ATTACH PARTITION {} FOR VALUES {}").format(
                Identifier(p.parent),
                staging,
                SQL(p.bounds()),
            )
        )
        curs.execute(SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(staging, Identifier(STAGING_CHECK)))
        curs.execute(SQL("ALTER TABLE {} RENAME TO {}").format(staging, Identifier(p.name)))
        indexes = curs.connection.cursor(row_factory=tuple_row).execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = %s::regclass",
            (p.name,),
        )
        for (name,) in indexes.fetchall():
            if name.startswith(p.staging):
                renamed = p.name + name[len(p.staging) :]
                curs.execute(SQL("ALTER INDEX {} RENAME TO {}").format(Identifier(name), Identifier(renamed)))


def drop(database_url: str, schema: str, partitions: Sequence[Partition]) -> None:
    """Drop the staging tables a failed rebuild's ballot processes may have committed."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        for p in partitions:
            conn.execute(SQL("DROP TABLE IF EXISTS {}.{}").format(Identifier(schema), Identifier(p.staging)))
