"""读模型 SQL — the statements the projection writes with: one set-based statement per table and batch.

Upserts send one array per column (``INSERT … SELECT … FROM unnest(…)``) and append-only tables use
COPY, so a batch of thousands of ballots is one round trip per table. Upserts need unique keys within
a statement: ``Changes`` keeps one row per key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psycopg.sql import SQL, Composed, Identifier

VIEWS_SQL = Path(__file__).with_name("views.sql")
CHANNEL = "sanmin_views"
"""NOTIFY channel; the payload is ``"<round_key>:<position>"`` (``":<position>"`` if no round was touched)."""

Columns = Sequence[tuple[str, str]]


def columns(spec: str) -> Columns:
    """``"name type, name type"`` → [(name, type)], in table order."""
    return [tuple(part.split()) for part in spec.split(",")]  # type: ignore[misc]


ROUNDS = columns(
    "round_key text, title text, instrument jsonb, categories jsonb, groups jsonb, venues jsonb,"
    "sittings jsonb, components jsonb, revealed boolean, locked boolean, published boolean, position bigint"
)
DEPARTMENTS = columns(
    "round_key text, department text, name text, short_name text, group_key text, head text,"
    "report jsonb, report_revision integer, credential_serial integer"
)
WINDOWS = columns(
    "round_key text, department text, is_open boolean, openings integer, changed_at timestamptz"
)
REPRESENTATIVES = columns(
    "representative_id uuid, round_key text, number integer, name text, category text, venue text,"
    "sitting text, phone text, credential_serial integer, revoked boolean, checked_in boolean"
)
BALLOTS = columns(
    "ballot_id uuid, round_key text, department text, category text, venue text, sitting text, choice text,"
    "scores jsonb, comment text, receipt text, version integer, voided boolean, counted boolean, position bigint"
)
RECEIPTS = columns(
    "receipt text, round_key text, ballot_id uuid, department text, version integer, position bigint, at timestamptz"
)
RESULTS = columns(
    "round_key text, department text, group_key text, eligible integer, returned integer, tally jsonb,"
    "position bigint"
)
RANKINGS = columns("round_key text, group_key text, ranking jsonb")
VENUES = columns("round_key text, venue text, issued integer, checked_in integer, returned integer")
SUGGESTIONS = columns(
    "suggestion_id uuid, round_key text, department text, name text, phone text, text text, answer text,"
    "sitting_date text, position bigint"
)
HISTORY = columns(
    "position bigint, round_key text, department text, kind text, actor text, reason text,"
    "at timestamptz, summary text"
)


def view_tables() -> list[str]:
    """Every table views.sql creates (what a rebuild drops), partitions aside (dropped with their table)."""
    return re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \(", VIEWS_SQL.read_text())


@dataclass(frozen=True)
class Table:
    """One view table a batch writes: the Batch field holding its rows, and how it is written."""

    field: str
    name: str
    columns: Columns
    key: tuple[str, ...] | None
    """Primary key for an upsert; ``None`` for an append-only table, written with COPY."""

    def statement(self, schema: str) -> Composed:
        names = SQL(", ").join(Identifier(name) for name, _ in self.columns)
        target = SQL("{}.{} ({})").format(Identifier(schema), Identifier(self.name), names)
        if self.key is None:
            return SQL("COPY {} FROM STDIN").format(target)
        return upsert(target, self.columns, self.key)


def upsert(target: Composed, columns: Columns, key: Sequence[str]) -> Composed:
    """``INSERT … SELECT FROM unnest(%b::type[], …) ON CONFLICT (key) DO UPDATE`` — one row per key."""
    names = [Identifier(name) for name, _ in columns]
    arrays = [SQL("%b::{}[]").format(SQL("text" if t == "jsonb" else t)) for _, t in columns]
    selects = [
        SQL("{}::jsonb").format(n) if t == "jsonb" else n for n, (_, t) in zip(names, columns, strict=True)
    ]
    others = [n for n, (name, _) in zip(names, columns, strict=True) if name not in key]
    return SQL("INSERT INTO {} SELECT {} FROM unnest({}) AS u({}) ON CONFLICT ({}) DO UPDATE SET {}").format(
        target,
        SQL(", ").join(selects),
        SQL(", ").join(arrays),
        SQL(", ").join(names),
        SQL(", ").join(Identifier(k) for k in key),
        SQL(", ").join(SQL("{0} = EXCLUDED.{0}").format(n) for n in others),
    )


def void_statement(schema: str, table: str = "ballots_view") -> Composed:
    """作废 — a ballot whose row was written earlier no longer counts (arguments: the void's position, the id)."""
    return SQL("UPDATE {}.{} SET voided = true, counted = false, position = %s WHERE ballot_id = %s").format(
        Identifier(schema), Identifier(table)
    )


WRITES = (
    Table("rounds", "rounds_view", ROUNDS, ("round_key",)),
    Table("departments", "departments_view", DEPARTMENTS, ("round_key", "department")),
    Table("windows", "windows_view", WINDOWS, ("round_key", "department")),
    Table("representatives", "representatives_view", REPRESENTATIVES, ("representative_id",)),
    Table("ballots", "ballots_view", BALLOTS, ("ballot_id",)),
    Table("receipts", "receipts_view", RECEIPTS, None),
    Table("suggestions", "suggestions_view", SUGGESTIONS, ("suggestion_id",)),
    Table("history", "history_view", HISTORY, None),
    Table("results", "results_view", RESULTS, ("round_key", "department")),
    Table("rankings", "rankings_view", RANKINGS, ("round_key", "group_key")),
    Table("venues", "venues_view", VENUES, ("round_key", "venue")),
)
"""In writing order: ballots before the voids of older ballots, suggestions before older answers."""


def as_columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Rows → one list per column (the unnest arguments)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]
