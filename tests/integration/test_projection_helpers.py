"""Shared by the projection tests: the worked example of docs/scoring.md §7, and reading the views back."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import psycopg
from psycopg.rows import dict_row

from evaluation.application import EvaluationApp
from evaluation.voting import Receipt
from storage.settings import Settings
from tests.conftest import ORGANISER

WORKED_EXAMPLE = [
    ("npc", "satisfied"),
    ("npc", "dissatisfied"),
    ("resident", "fairly_satisfied"),
    ("resident", "fairly_satisfied"),
    ("resident", "basically_satisfied"),
    ("resident", "basically_satisfied"),
    ("resident", "unknown"),
]
"""市水务局 (swj): 2 人大代表 and 5 社区居民 → 60.000, 75.00%, returned 7, valid 6, abstentions 1."""


def cast_worked_example(app: EvaluationApp, key: str = "r2026", venue: str = "main") -> list[Receipt]:
    """Registers seven representatives of sitting s1 and casts the worked example's ballots for swj."""
    app.open_window(key, "swj", by=ORGANISER)
    receipts = []
    for number, (category, choice) in enumerate(WORKED_EXAMPLE):
        rep, _ = app.register_representative(key, f"代表{number}", category, venue, "s1", by=ORGANISER)
        comment = ["供水管网改造要加快", "停水通知要提前", "办事效率高", "", "态度很好", "", "不了解情况"][
            number
        ]
        receipts.append(app.cast_ballot(rep, "swj", uuid4().hex, choice, comment=comment))
    return receipts


def query(settings: Settings, sql: str, *params: Any) -> list[dict[str, Any]]:
    with psycopg.connect(
        settings.database_url, row_factory=dict_row, options=f"-c search_path={settings.schema}"
    ) as conn:
        return conn.execute(sql, params).fetchall()


def result(settings: Settings, department: str, key: str = "r2026") -> dict[str, Any]:
    rows = query(
        settings, "SELECT * FROM results_view WHERE round_key = %s AND department = %s", key, department
    )
    assert len(rows) == 1
    return rows[0]


VIEW_QUERIES = {
    "rounds": "SELECT * FROM rounds_view ORDER BY round_key",
    "departments": "SELECT * FROM departments_view ORDER BY round_key, department",
    "windows": "SELECT * FROM windows_view ORDER BY round_key, department",
    "representatives": "SELECT * FROM representatives_view ORDER BY representative_id",
    "ballots": "SELECT * FROM ballots_view ORDER BY ballot_id",
    "receipts": "SELECT * FROM receipts_view ORDER BY receipt, ballot_id, version",
    "results": "SELECT round_key, department, group_key, eligible, returned, tally FROM results_view"
    " ORDER BY round_key, department",
    "rankings": "SELECT * FROM rankings_view ORDER BY round_key, group_key",
    "venues": "SELECT * FROM venues_view ORDER BY round_key, venue",
    "suggestions": "SELECT * FROM suggestions_view ORDER BY suggestion_id",
    "history": "SELECT * FROM history_view ORDER BY position",
    "opinions": "SELECT * FROM opinions_view ORDER BY opinion_id",
    "online_channels": "SELECT * FROM online_channels_view ORDER BY round_key",
    "online_ballots": "SELECT * FROM online_ballots_view ORDER BY ballot_id",
    "online_results": "SELECT * FROM online_results_view ORDER BY round_key, department",
}


def dump_views(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Every view row (results without their batch position, which depends on batching).

    One connection for all the tables, each query its own transaction as ``query``'s are: a connection (a
    password exchange, a server process) costs more than the queries of a small schema."""
    with psycopg.connect(
        settings.database_url,
        row_factory=dict_row,
        options=f"-c search_path={settings.schema}",
        autocommit=True,
    ) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in VIEW_QUERIES.items()}
