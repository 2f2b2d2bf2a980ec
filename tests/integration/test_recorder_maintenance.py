"""The events table's autovacuum and autoanalyze passes are kept short: each one holds every save up."""

from __future__ import annotations

import psycopg

from evaluation.application import EvaluationApp
from storage.bootstrap import build_app
from storage.settings import Settings


def options(settings: Settings) -> list[str]:
    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        row = conn.execute(
            "SELECT reloptions FROM pg_class WHERE oid = 'evaluation_events'::regclass"
        ).fetchone()
    assert row is not None
    return list(row[0])


def test_passes_over_the_events_table_run_unthrottled(app: EvaluationApp, settings: Settings) -> None:
    assert "autovacuum_vacuum_cost_delay=0" in options(settings)


def test_a_store_created_before_gets_the_setting_at_its_next_start(
    app: EvaluationApp, settings: Settings
) -> None:
    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        conn.execute("ALTER TABLE evaluation_events RESET (autovacuum_vacuum_cost_delay)")
    assert "autovacuum_vacuum_cost_delay=0" not in options(settings)
    build_app(settings).close()
    assert "autovacuum_vacuum_cost_delay=0" in options(settings)


def test_analyze_samples_the_keys_but_never_the_events_json_or_their_chain_links(
    app: EvaluationApp, settings: Settings
) -> None:
    app.create_round("r2026", "2026年度三民活动", by="organiser:test", check_in_required=False)
    with psycopg.connect(settings.database_url, autocommit=True, options=settings.pg_options) as conn:
        conn.execute("ANALYZE evaluation_events")
        conn.execute("ANALYZE evaluation_events_chain")
        analysed = {
            f"{table}.{name}"
            for table, name in conn.execute(
                "SELECT tablename, attname FROM pg_stats WHERE schemaname = %s", (settings.schema,)
            ).fetchall()
        }
    keys = {"originator_id", "originator_version", "topic", "notification_id"}
    assert {f"evaluation_events.{key}" for key in keys} <= analysed
    assert "evaluation_events_chain.notification_id" in analysed
    assert not {"evaluation_events.state", "evaluation_events_chain.link"} & analysed
