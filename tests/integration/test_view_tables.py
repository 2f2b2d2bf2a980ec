"""The read-model tables PostgreSQL holds are those ``projections.tables`` declares: their columns with their
types, keys, indexes, partitions and statistics, whether the projection created them or a rebuild did."""

from __future__ import annotations

from typing import Any

from evaluation.application import EvaluationApp
from projections.maintenance import UDT_NAMES, rebuild_views
from projections.table_model import Table
from projections.tables import TABLES
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.integration.test_bulk_rebuild import projected_busy_round
from tests.integration.test_projection_helpers import query


def catalog(settings: Settings) -> dict[str, Any]:
    """What PostgreSQL says of the schema's view tables and their partitions."""
    s, names = settings.schema, [n for t in TABLES for n in [t.name, *(p.name for p in t.partitions)]]
    columns = query(
        settings,
        "SELECT table_name AS t, column_name AS c, udt_name AS u, is_nullable AS n FROM information_schema.columns"
        " WHERE table_schema = %s AND table_name = ANY(%s) ORDER BY table_name, ordinal_position",
        s,
        names,
    )
    indexes = query(
        settings,
        "SELECT tablename AS t, indexname AS i, indexdef AS d FROM pg_indexes"
        " WHERE schemaname = %s AND tablename = ANY(%s)",
        s,
        names,
    )
    partitions = query(
        settings,
        "SELECT c.relname AS p, parent.relname AS t, pg_get_expr(c.relpartbound, c.oid) AS b FROM pg_inherits i"
        " JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'p')",
        s,
    )
    targets = query(
        settings,
        "SELECT c.relname AS t, a.attname AS c, a.attstattarget AS n FROM pg_attribute a"
        " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND a.attnum > 0 AND c.relname = ANY(%s) AND a.attstattarget >= 0",
        s,
        names,
    )
    found: dict[str, Any] = {"columns": {}, "indexes": {}, "partitions": {}, "statistics": {}}
    for r in columns:
        found["columns"].setdefault(r["t"], []).append((r["c"], r["u"], r["n"] == "YES"))
    for r in indexes:
        found["indexes"].setdefault(r["t"], set()).add(
            r["d"].replace(f"{s}.", "").replace(" ON ONLY ", " ON ")
        )
    for r in partitions:
        found["partitions"].setdefault(r["t"], set()).add((r["p"], r["b"]))
    for r in targets:
        found["statistics"].setdefault(r["t"], {})[r["c"]] = r["n"]
    return found


def declared(table: Table, name: str) -> tuple[list[tuple[str, str, bool]], set[str]]:
    """The columns and index definitions ``table`` declares, for itself or one of its partitions ``name``."""
    columns = [(c.name, UDT_NAMES.get(c.type, c.type), c.nullable) for c in table.columns]
    quoted = {"position": '"position"'}  # PostgreSQL quotes a column named as a keyword

    def columns_of(names: tuple[str, ...]) -> str:
        return ", ".join(quoted.get(n, n) for n in names)

    indexes = (
        {f"CREATE UNIQUE INDEX {name}_pkey ON {name} USING btree ({columns_of(table.key)})"}
        if table.key
        else set()
    )
    for index in table.indexes:
        index_name = index.name if name == table.name else "_".join([name, *index.columns, "idx"])
        indexes.add(f"CREATE INDEX {index_name} ON {name} USING btree ({columns_of(index.columns)})")
    return columns, indexes


def expected() -> dict[str, Any]:
    wanted: dict[str, Any] = {"columns": {}, "indexes": {}, "partitions": {}, "statistics": {}}
    for table in TABLES:
        for name in [table.name, *(p.name for p in table.partitions)]:
            wanted["columns"][name], wanted["indexes"][name] = declared(table, name)
            if table.statistics():
                wanted["statistics"][name] = dict(table.statistics())
        if table.partitions:
            wanted["partitions"][table.name] = {
                (p.name, f"FOR VALUES {p.bounds()}") for p in table.partitions
            }
    return wanted


def test_the_tables_the_projection_and_a_rebuild_create_are_those_declared(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    projected_busy_round(app, small_round, settings)
    created = catalog(settings)
    assert created == expected()
    rebuild_views(settings, say=lambda _: None)
    assert catalog(settings) == created
