"""Event histories for the projection benchmarks: real events, recorded through the domain's own commands.

A benchmark schema is generated once and reused: ``ensure_history(settings, events)`` adds whole demo
rounds (``demo.loader.load_demo`` + ``simulate_scoring``: every representative's ballots, cast through
``IntakeApp.cast_ballots`` in batches) until the schema holds at least ``events`` events. A Baotou round of 18,000
representatives is 216,000 ballots, about 272,000 events.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

import psycopg
from psycopg.sql import SQL, Identifier

from intake.fast_app import IntakeApp
from storage.bootstrap import build_app
from storage.settings import Settings

BAOTOU_REPRESENTATIVES = 18_000
"""A full Baotou round: 18,000 representatives × 12 departments of their sitting = 216,000 ballots."""


def with_schema(base: Settings, schema: str) -> Settings:
    return Settings(base.database_url, base.data_dir, base.secret, base.embedded, schema)


def event_count(settings: Settings) -> int:
    """The newest notification id in the schema's event store (0 if it has none yet)."""
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        table = conn.execute(
            "SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = 'evaluation_events'",
            (settings.schema,),
        ).fetchone()
        if table is None:
            return 0
        statement = SQL("SELECT coalesce(max(notification_id), 0) FROM {}.evaluation_events")
        row = conn.execute(statement.format(Identifier(settings.schema))).fetchone()
        return int(row[0]) if row else 0


def round_keys(settings: Settings) -> int:
    """How many benchmark rounds (``bench1``, ``bench2``, …) were created already."""
    from evaluation.round import Round, round_id

    app = build_app(settings)
    try:
        n = 0
        while app.find(Round, round_id(f"bench{n + 1}")) is not None:
            n += 1
        return n
    finally:
        app.close()


def ensure_history(
    settings: Settings,
    events: int,
    representatives: int = BAOTOU_REPRESENTATIVES,
    say: Callable[[str], None] = print,
) -> int:
    """Add scored demo rounds until the schema holds ≥ ``events`` events; returns the count."""
    from demo.loader import load_demo, simulate_scoring

    count = event_count(settings)
    if count >= events:
        say(f"schema {settings.schema}: {count:,} events already (reused)")
        return count
    rounds = round_keys(settings) if count else 0
    while count < events:
        rounds += 1
        key = f"bench{rounds}"
        started = time.perf_counter()
        app = build_app(settings, application=IntakeApp)
        prefix = f"  {key}: "
        try:
            demo = load_demo(app, key, representatives=representatives, progress=lambda _: None)
            simulate_scoring(app, demo, key, progress=functools.partial(_prefixed, say, prefix))
        finally:
            app.close()
        count = event_count(settings)
        say(
            f"schema {settings.schema}: round {key} added in {time.perf_counter() - started:.0f} s, {count:,} events"
        )
    return count


def _prefixed(say: Callable[[str], None], prefix: str, line: str) -> None:
    say(prefix + line)
