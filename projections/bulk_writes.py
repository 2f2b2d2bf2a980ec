"""重建的写入 — which view tables a bulk rebuild writes, and when.

The rebuilding process's own tables (``OWN_FOLD``) are copied and indexed as soon as its fold ends, while
the ballot processes finish theirs; the ballots' tables (``ATTACHED``) are the partitions those processes
wrote, attached; every other table is copied from the batch that counts the departments. No table has
keys or indexes while it is loaded: building one over loaded rows costs PostgreSQL far less than keeping
it up to date row by row.
"""

from __future__ import annotations

from psycopg import Cursor
from psycopg.rows import DictRow

from projections import bulk_partitions
from projections import tables as t
from projections import view_sql as v
from projections.batch import Batch, representative_rows
from projections.bulk_copy import copy_rows
from projections.bulk_schema import keys_and_indexes, partitions
from projections.changes import Changes
from projections.state import ViewState
from projections.table_model import Table
from projections.tables import HistoryRow
from storage.settings import channel

OWN_FOLD = frozenset({"representatives", "suggestions", "history"})
"""Tables whose rows are all known when the rebuilding process's fold ends: copied and indexed while the
ballot processes finish theirs (the history's few Ballot rows, their voids', come after)."""
ATTACHED = frozenset({"ballots", "receipts"})
"""The ballots' tables: their partitions are attached, with their keys and indexes, while the departments
are counted."""


def copy_own(curs: Cursor[DictRow], schema: str, state: ViewState, changes: Changes) -> None:
    """The rows of ``OWN_FOLD`` not copied yet, then their keys and indexes; the batch will not write them
    again."""
    copy_rows(curs, schema, t.REPRESENTATIVES, representative_rows(state, changes))
    copy_rows(curs, schema, t.SUGGESTIONS, changes.suggestions.values())
    changes.representatives, changes.suggestions = set(), {}
    for statement in keys_and_indexes(tables(OWN_FOLD)):
        curs.execute(statement.encode())


def attach(curs: Cursor[DictRow], schema: str, ballot_history: list[HistoryRow]) -> None:
    """The history lines of the ballots' voids; the ballot processes' partitions attached, and the keys and
    indexes of their tables (which take the partitions' own)."""
    copy_rows(curs, schema, t.HISTORY, ballot_history)
    bulk_partitions.attach(curs, partitions())
    for statement in keys_and_indexes(tables(ATTACHED)):
        curs.execute(statement.encode())


def copy_batch(curs: Cursor[DictRow], batch: Batch, schema: str) -> None:
    """Every table not copied yet, each with one COPY; then the keys and indexes; then the answers of
    suggestions written earlier, and the NOTIFYs. (The ballot processes wrote the ballots' voids.)"""
    for table in v.WRITES:
        rows = getattr(batch, table.field)
        if table.field not in OWN_FOLD | ATTACHED and rows:
            copy_rows(curs, schema, table, rows)
    for statement in keys_and_indexes(x for x in t.TABLES if x.field not in OWN_FOLD | ATTACHED):
        curs.execute(statement.encode())
    if batch.answers:
        curs.executemany(v.answer_statement(schema), batch.answers)
    # the commit that NOTIFYs waits for the WAL's flush after all: a web process reading a hot standby
    # takes the primary's flushed position after a notice as the one to wait for (web/platform/standby.py)
    curs.execute("SET LOCAL synchronous_commit = on")
    notices = channel(v.CHANNEL, schema)
    curs.executemany("SELECT pg_notify(%s, %s)", [(notices, notice) for notice in batch.notices])


def tables(fields: frozenset[str]) -> list[Table]:
    """The tables of these batch fields, in creation order."""
    return [table for table in t.TABLES if table.field in fields]
