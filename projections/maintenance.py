"""运维 — ``sanmin rebuild`` and ``sanmin recount``, callable in-process (tests) or from the CLI; and the
upgrade of read models an older version wrote (``upgrade_views``, run by the projection process at start)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from psycopg.rows import dict_row

from projections.audit import (
    Comparison,
    digest,
    recount_events,
    recount_listing,
    views_listing,
    views_position,
)
from projections.bulk import bulk_rebuild
from projections.event_log import EventReader
from projections.runner import projection_env
from projections.tables import TABLES
from storage.settings import Settings

Say = Callable[[str], None]


@dataclass(frozen=True)
class Rebuilt:
    events: int
    position: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def rebuild_views(settings: Settings, say: Say = print) -> Rebuilt:
    """Rebuild every view table and the tracking row from the events, in one pass (``projections.bulk``).

    Refused (``ProjectionBusy``) while the projection process runs: stop it first. The incremental
    projection resumes after the rebuilt position.
    """
    started = time.perf_counter()
    say("从头重建读模型")
    counted = bulk_rebuild(settings)
    events, position = counted.events, counted.position
    rebuilt = Rebuilt(events, position, time.perf_counter() - started)
    say(
        f"重建完成：{rebuilt.events} 个事件，到位置 {position}，用时 {rebuilt.seconds:.1f} 秒，{rebuilt.rate:,.0f} 个事件/秒"
    )
    return rebuilt


UDT_NAMES = {"integer": "int4", "bigint": "int8", "boolean": "bool"}
"""The declared type names as ``information_schema.columns.udt_name`` gives them (the others are alike)."""


def outdated_views(settings: Settings) -> list[str]:
    """The view tables whose columns (names and types) are not those declared (``projections.tables``), or
    not partitioned as declared: written by an older version. A declared table missing beside existing ones counts too;
    none when no view table exists yet (the projection creates them)."""
    declared = {t.name: {(c.name, UDT_NAMES.get(c.type, c.type)) for c in t.columns} for t in TABLES}
    partitioned = {t.name for t in TABLES if t.partitioned_by}
    found: dict[str, set[tuple[str, str]]] = {}
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name, udt_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = ANY(%s)",
            (settings.schema, list(declared)),
        )
        for table, column, kind in rows:
            found.setdefault(table, set()).add((column, kind))
        unpartitioned = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relname = ANY(%s) AND c.relkind <> 'p'",
            (settings.schema, sorted(partitioned)),
        ).fetchall()
    outdated = {table for table, columns in declared.items() if found and found.get(table) != columns}
    return sorted(outdated | {table for (table,) in unpartitioned})


def upgrade_views(settings: Settings, say: Say = print) -> Rebuilt | None:
    """读模型升级 — views an older version wrote (``outdated_views``) are rebuilt from the events, so a
    data folder keeps working after a table's declaration changes; the views hold nothing the events do not.

    Refused (``ProjectionBusy``) while a projector runs, like ``rebuild_views``."""
    if not (outdated := outdated_views(settings)):
        return None
    say(f"读模型的表结构已更新（{'、'.join(outdated)}），将从事件重建")
    return rebuild_views(settings, say)


def compare(settings: Settings) -> Comparison:
    """Read the published views and their position in one snapshot, then recount the events up to there."""
    with psycopg.connect(settings.database_url, row_factory=dict_row) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        position = views_position(conn.cursor(), settings.schema)
        from_views = views_listing(conn.cursor(), settings.schema)
    reader = EventReader(env=projection_env(settings))
    try:
        from_events = recount_listing(recount_events(reader, stop=position))
    finally:
        reader.close()
    return Comparison(from_events, from_views, position)


def recount_views(settings: Settings, say: Say = print) -> int:
    """Print both digests; 0 when they match, 1 (with the differing lines) when they do not.

    The views should be caught up (no ballots arriving) for the comparison to be meaningful.
    """
    started = time.perf_counter()
    comparison = compare(settings)
    say(f"读模型位置 {comparison.position}")
    say(f"从事件复核：{len(comparison.from_events)} 个部门  sha256 {digest(comparison.from_events)}")
    say(f"读模型公布：{len(comparison.from_views)} 个部门  sha256 {digest(comparison.from_views)}")
    if comparison.matches:
        say(f"一致（用时 {time.perf_counter() - started:.1f} 秒）")
        return 0
    say("不一致：")
    for difference in comparison.differences()[:50]:
        say("  " + difference)
    return 1
