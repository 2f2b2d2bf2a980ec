"""A batch's read of its aggregates looks each one up by its key: its cost does not grow with the log."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid4

import psycopg

from evaluation.application import EvaluationApp
from storage.settings import Settings

LOG_SIZE = 30_000
"""Rows enough for PostgreSQL to plan a join of the ids with the whole table as a hash join over a scan."""


def fill_log(settings: Settings, aggregates: int) -> list[UUID]:
    """``LOG_SIZE`` stored events of ``aggregates`` aggregates, written by SQL (the plan, not the content,
    is what is tested), then analysed as autoanalyze would."""
    ids = [uuid4() for _ in range(aggregates)]
    with psycopg.connect(settings.database_url, autocommit=True, options=settings.pg_options) as conn:
        conn.execute(
            "INSERT INTO evaluation_events (originator_id, originator_version, topic, state) "
            "SELECT ids[1 + n %% %(count)s], 1 + n / %(count)s, 'bench:Event', '\\x7b7d'::bytea "
            "FROM generate_series(0, %(size)s - 1) AS n, (SELECT %(ids)s::uuid[] AS ids) AS given",
            {"count": aggregates, "size": LOG_SIZE, "ids": ids},
        )
        conn.execute("ANALYZE evaluation_events")
    return ids


def plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in plan_nodes(child))]


def test_a_batch_read_looks_up_each_aggregate_and_never_scans_the_whole_log(
    app: EvaluationApp, settings: Settings
) -> None:
    ids = fill_log(settings, aggregates=3_000)
    wanted = [*ids[:60], *(uuid4() for _ in range(25))]  # a batch's representatives, and ballots not cast yet
    recorder: Any = app.recorder
    with recorder.datastore.get_connection() as conn:
        statement = recorder.select_many_statement.as_string(conn).replace("%b", "%s")
        row = conn.execute("EXPLAIN (FORMAT JSON) " + statement, (wanted, [0] * len(wanted))).fetchone()
    assert row is not None
    plan = row["QUERY PLAN"]
    nodes = plan_nodes((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"])
    scans = [n for n in nodes if n.get("Relation Name") == "evaluation_events"]
    assert scans, "the plan reads the events table"
    assert all(n["Node Type"] != "Seq Scan" for n in scans), [n["Node Type"] for n in nodes]
    assert not {"Hash Join", "Merge Join"} & {n["Node Type"] for n in nodes}


def test_a_batch_read_returns_each_aggregates_events_after_the_version_asked_in_order(
    app: EvaluationApp, settings: Settings
) -> None:
    ids = fill_log(settings, aggregates=3_000)  # each has 10 versions
    recorder: Any = app.recorder
    events = recorder.select_events_of([ids[1], ids[0], uuid4()], [7, 0, 0])
    assert [(e.originator_id, e.originator_version) for e in events] == sorted(
        [(ids[1], v) for v in (8, 9, 10)] + [(ids[0], v) for v in range(1, 11)]
    )
