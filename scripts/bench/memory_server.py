"""The server side of the memory benchmark: ``uvicorn web.main:app`` serving a full Baotou round.

``prepare`` brings the benchmark round to where a finished evaluation is, once per schema and through the
domain's own commands: results revealed on the projector, locked and published, and each department's
sign-in code issued (a few dozen events, kept in the schema). Afterwards every code is re-derived from the
server secret and the holder's current serial, as the card printer does, so nothing more is recorded.

``serve`` starts the projection process and the real server as production runs them, drives the screens of
``scripts.bench.memory_load`` against the server and returns the server's peak RSS per phase.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
from contextlib import ExitStack

import psycopg
from psycopg.sql import SQL, Identifier

from demo.loader import ORGANISER
from evaluation.application import EvaluationApp
from evaluation.representative import representative_id
from scripts.bench import servers
from scripts.bench.memory_load import Codes, Plan, Tally, exercise
from storage.bootstrap import build_app
from storage.settings import Settings

ROUND = "bench1"
"""The round ``scripts.bench.history`` records first in a benchmark schema."""


def prepare(settings: Settings, round_key: str = ROUND, representatives: int = 300) -> Codes:
    app = build_app(settings)
    try:
        finish(app, round_key)
        round_ = app.round(round_key)
        return Codes(
            round_key,
            app.keys.organiser_code(round_key),
            tuple(department_code(app, round_key, dept) for dept in round_.departments),
            tuple(representative_code(app, round_key, n) for n in range(1, representatives + 1)),
            next(iter(round_.sittings)),
        )
    finally:
        app.close()


def finish(app: EvaluationApp, round_key: str) -> None:
    """Results revealed, locked and published (each only if not yet)."""
    round_ = app.round(round_key)
    if not round_.revealed:
        app.reveal_results(round_key, by=ORGANISER)
    if not round_.locked:
        app.lock_results(round_key, by=ORGANISER)
    if not round_.published:
        app.publish_results(round_key, by=ORGANISER)


def department_code(app: EvaluationApp, round_key: str, key: str) -> str:
    """A new code each time: codes are random and only their hashes are kept, so none can be printed again."""
    return app.issue_department_credential(round_key, key, by=ORGANISER)


def representative_code(app: EvaluationApp, round_key: str, number: int) -> str:
    return app.reissue_credential(representative_id(round_key, number), by=ORGANISER)


def a_receipt(settings: Settings, round_key: str) -> str:
    """One receipt code of the round, from the read models (for the receipt check and the ballot search)."""
    statement = SQL("SELECT receipt FROM {}.receipts_view WHERE round_key = %s LIMIT 1")
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        row = conn.execute(statement.format(Identifier(settings.schema)), (round_key,)).fetchone()
    return str(row[0]) if row else "NONE"


def serve(settings: Settings, codes: Codes, plan: Plan) -> tuple[dict[str, float], Tally]:
    """The projection process and the server started, every phase driven; peak RSS per phase (MB), with
    ``projection``: the projection process's peak meanwhile."""
    codes = dataclasses.replace(codes, receipt=a_receipt(settings, codes.round_key))
    port = servers.free_port()
    with ExitStack() as stack:
        quiet = stack.enter_context(open(os.devnull, "wb"))
        projection = servers.start_projection(settings, output=quiet)
        stack.callback(servers.stop, projection)
        web = servers.start_uvicorn("web.main:app", settings, port)
        stack.callback(servers.stop, web)
        peaks, tally = asyncio.run(exercise(port, web.pid, codes, plan))
        peaks["projection"] = servers.peak_rss_mb(projection.pid)
    return peaks, tally
