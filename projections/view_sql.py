"""读模型 SQL — the statements the projection writes with: one set-based statement per table and batch.

Upserts send one array per column (``INSERT … SELECT … FROM unnest(…)``) and append-only tables use
COPY, so a batch of thousands of ballots is one round trip per table. Upserts need unique keys within
a statement: ``Changes`` keeps one row per key. The tables are declared in ``projections.tables``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg.sql import SQL, Composed, Identifier

from projections import tables as t
from projections.table_model import Table

CHANNEL = "sanmin_views"
"""NOTIFY channel (of the store in ``public``; another schema's: ``storage.settings.channel``); the payload is
``"<round_key>:<position>"`` (``":<position>"`` if no round was touched)."""


def statement(table: Table, schema: str, name: str | None = None) -> Composed:
    """How a batch writes ``table`` (or its staging table ``name``): COPY if it is append-only, else an
    upsert."""
    names = SQL(", ").join(Identifier(column) for column in table.names)
    target = SQL("{}.{} ({})").format(Identifier(schema), Identifier(name or table.name), names)
    if table.append_only:
        return SQL("COPY {} FROM STDIN").format(target)
    return upsert(target, table)


def upsert(target: Composed, table: Table) -> Composed:
    """``INSERT … SELECT FROM unnest(%b::type[], …) ON CONFLICT (key) DO UPDATE`` — one row per key."""
    names = [Identifier(c.name) for c in table.columns]
    arrays = [SQL("%b::{}[]").format(SQL("text" if c.type == "jsonb" else c.type)) for c in table.columns]
    selects = [
        SQL("{}::jsonb").format(n) if c.type == "jsonb" else n
        for n, c in zip(names, table.columns, strict=True)
    ]
    others = [n for n, c in zip(names, table.columns, strict=True) if c.name not in table.key]
    return SQL("INSERT INTO {} SELECT {} FROM unnest({}) AS u({}) ON CONFLICT ({}) DO UPDATE SET {}").format(
        target,
        SQL(", ").join(selects),
        SQL(", ").join(arrays),
        SQL(", ").join(names),
        SQL(", ").join(Identifier(k) for k in table.key),
        SQL(", ").join(SQL("{0} = EXCLUDED.{0}").format(n) for n in others),
    )


def void_statement(schema: str, table: str = t.BALLOTS.name) -> Composed:
    """作废 — a ballot whose row was written earlier no longer counts (arguments: the void's position, the id)."""
    return SQL("UPDATE {}.{} SET voided = true, counted = false, position = %s WHERE ballot_id = %s").format(
        Identifier(schema), Identifier(table)
    )


def answer_statement(schema: str) -> Composed:
    """答复 — a suggestion written earlier is answered (arguments: the answer, its day, the id); the day of its
    first answer stays."""
    return SQL(
        "UPDATE {}.{} SET answer = %s, answered_on = coalesce(answered_on, %s) WHERE suggestion_id = %s"
    ).format(Identifier(schema), Identifier(t.SUGGESTIONS.name))


WRITES = (
    t.ROUNDS,
    t.DEPARTMENTS,
    t.WINDOWS,
    t.REPRESENTATIVES,
    t.BALLOTS,
    t.RECEIPTS,
    t.SUGGESTIONS,
    t.REPORT_REVISIONS,
    t.HISTORY,
    t.RESULTS,
    t.RANKINGS,
    t.VENUES,
    t.OPINIONS,
    t.ONLINE_CHANNELS,
    t.ONLINE_BALLOTS,
    t.ONLINE_RESULTS,
)
"""In writing order: ballots before the voids of older ballots, suggestions before older answers."""


def as_columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Rows → one list per column (the unnest arguments)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def delete_statement(schema: str, name: str) -> Composed:
    """Deletes one row of a view table by its primary key (something taken out of a round's set-up)."""
    table = next(t for t in WRITES if t.name == name)
    where = SQL(" AND ").join(SQL("{} = %s").format(Identifier(column)) for column in table.key)
    return SQL("DELETE FROM {}.{} WHERE ").format(Identifier(schema), Identifier(name)) + where
