"""读模型存储 — the projection's PostgresTrackingRecorder: view rows and tracking row in one transaction.

``write`` commits a whole batch — every view row it changes, the tracking row (the batch's last
notification id) and the NOTIFY to ``sanmin_views`` — or nothing, so a crash or a restart never
counts an event twice or loses one: the runner resumes after the tracked position.
"""

from __future__ import annotations

import time
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier

from projections import view_sql as v
from projections.batch import Batch
from projections.event_log import APPLICATION_NAME
from projections.loading import build_state, stream_views
from projections.state import ViewState
from projections.table_ddl import create_views
from projections.table_model import Table
from projections.tables import view_tables
from storage.settings import channel

ATTEMPTS = 3


class ViewRecorder(PostgresTrackingRecorder):
    """The read-model tables (``projections.tables``), in the event store's schema, with the projection's tracking."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        s = self.datastore.schema
        self.writes = [(table, v.statement(table, s)) for table in v.WRITES]
        self.void_statement = v.void_statement(s)
        self.answer_statement = v.answer_statement(s)

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        super()._create_table(curs)
        curs.execute(SQL("SET LOCAL search_path TO {}").format(Identifier(self.datastore.schema)))
        curs.execute(create_views().encode())

    def load_state(self) -> tuple[ViewState, int]:
        """The state the views hold, and the position they were written at."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            position = self._max_tracking_id(APPLICATION_NAME, curs) or 0
            state = build_state(stream_views(curs, self.datastore.schema))
        return state, position

    def write(self, batch: Batch) -> None:
        """One transaction: every row of the batch, the tracking row, the NOTIFYs."""
        prepared = [  # arrays built before the transaction opens
            (table, statement, rows if table.append_only else v.as_columns(rows, len(table.columns)))
            for table, statement in self.writes
            if (rows := getattr(batch, table.field))
        ]
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self.datastore.transaction(commit=True) as curs:
                    self._write_rows(curs, batch, prepared)
                    self._insert_tracking(curs, Tracking(APPLICATION_NAME, batch.position))
                    self.before_commit(batch)
                return
            except (OperationalError, InterfaceError):
                if attempt == ATTEMPTS:
                    raise
                time.sleep(0.5 * attempt)

    def before_commit(self, batch: Batch) -> None:
        """Called inside the open transaction, after every write (a test raises here to simulate a crash)."""

    def _write_rows(
        self, curs: Cursor[DictRow], batch: Batch, writes: list[tuple[Table, Composed, Any]]
    ) -> None:
        for name, key in batch.removed:
            curs.execute(v.delete_statement(self.datastore.schema, name), key)
        for table, statement, params in writes:
            if table.append_only:
                with curs.copy(statement) as copy:
                    for row in params:
                        copy.write_row(row)
            else:
                curs.execute(statement, params)
        if batch.voids:
            curs.executemany(self.void_statement, batch.voids)
        if batch.answers:
            curs.executemany(self.answer_statement, batch.answers)
        notices = channel(v.CHANNEL, self.datastore.schema)
        curs.executemany("SELECT pg_notify(%s, %s)", [(notices, notice) for notice in batch.notices])

    def drop_views(self) -> None:
        """重建之前 — drop every read-model table and this projection's tracking row."""
        with self.datastore.transaction(commit=True) as curs:
            self.drop_views_in(curs)

    def drop_views_in(self, curs: Cursor[DictRow]) -> None:
        """``drop_views`` in the caller's transaction."""
        schema = Identifier(self.datastore.schema)
        curs.execute(SQL("SET LOCAL lock_timeout = '10s'"))
        for table in view_tables():
            curs.execute(SQL("DROP TABLE IF EXISTS {}.{}").format(schema, Identifier(table)))
        curs.execute(
            SQL("DELETE FROM {}.{} WHERE application_name = %s").format(
                schema, Identifier(self.tracking_table_name)
            ),
            (APPLICATION_NAME,),
        )
