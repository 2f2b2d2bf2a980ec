"""表结构语句 — the DDL of the read-model tables, made from their declaration (``projections.tables``).

``create_views`` is what the projection runs at every start (``IF NOT EXISTS``: nothing changes on tables
that exist). The rest are the steps a bulk rebuild takes apart (``projections.bulk_schema``): a table
without its primary key, then the key, then each index.
"""

from __future__ import annotations

from projections.table_model import Index, Partition, Table
from projections.tables import TABLES


def create_views() -> str:
    """Every table with its key, partitions, indexes and statistics, as one script."""
    statements = []
    for table in TABLES:
        statements.append(create_table(table))
        statements += [partition_of(p) for p in table.partitions]
        statements += [index(i, table.name) for i in table.indexes]
    statements += [s for table in TABLES for s in statistics(table)]
    return ";\n".join(statements) + ";\n"


def create_table(table: Table, name: str | None = None, *, keyed: bool = True, check: str = "") -> str:
    """``CREATE TABLE`` of ``table`` (named ``name``): with its primary key if ``keyed``; partitioned by its
    column unless ``check`` (a constraint, for a table that will become one of its partitions) is given.

    A table's own name is created ``IF NOT EXISTS``; a one-column key is written on its column (it is then
    ``NOT NULL`` only with the key), a key of several columns after them."""
    columns = []
    for c in table.columns:
        single_key = table.key == (c.name,)
        if single_key:
            columns.append(f"{c.name} {c.type} PRIMARY KEY" if keyed else f"{c.name} {c.type}")
        else:
            columns.append(f"{c.name} {c.type}" + ("" if c.nullable else " NOT NULL"))
    if keyed and len(table.key) > 1:
        columns.append(f"PRIMARY KEY ({', '.join(table.key)})")
    if check:
        columns.append(check)
    head = "CREATE TABLE " + (f"IF NOT EXISTS {table.name}" if name is None else name)
    partitioned = (
        f" PARTITION BY RANGE ({table.partitioned_by[0]})" if table.partitioned_by and not check else ""
    )
    return f"{head} ({', '.join(columns)}){partitioned}"


def partition_of(partition: Partition) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {partition.name} PARTITION OF {partition.parent}"
        f" FOR VALUES {partition.bounds()}"
    )


def index(declared: Index, table: str, name: str | None = None) -> str:
    """``CREATE INDEX`` on ``table`` (its declared name, or ``name``)."""
    head = f"CREATE INDEX IF NOT EXISTS {declared.name}" if name is None else f"CREATE INDEX {name}"
    return f"{head} ON {table} ({', '.join(declared.columns)})"


def primary_key(table: Table, name: str | None = None) -> list[str]:
    """``ALTER TABLE … ADD PRIMARY KEY`` of a table created without it (none if it has no key)."""
    if not table.key:
        return []
    return [f"ALTER TABLE {name or table.name} ADD PRIMARY KEY ({', '.join(table.key)})"]


def statistics(table: Table, name: str | None = None) -> list[str]:
    """The statistics targets its columns are declared with (none if PostgreSQL's default)."""
    targets = table.statistics()
    if not targets:
        return []
    columns = ", ".join(f"ALTER COLUMN {column} SET STATISTICS {n}" for column, n in targets)
    return [f"ALTER TABLE {name or table.name} {columns}"]
