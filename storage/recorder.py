"""The event store's recorder, with one addition: a save may be *guarded* by other aggregates' versions.

A ballot must be refused once its department's window has closed, and a ballot that was acknowledged
must count. Checking the window before saving leaves a gap in which the organiser can close it. So the
ballot's save carries ``guards={window_id: version_seen}``; inside the transaction, after the library's
table lock (which serialises every writer), the recorder checks that each guarded aggregate is still at
the version the command saw. If not, the save fails like any other concurrency conflict
(``IntegrityError``), and the command is redone against the new state. The window is read, never
written, so thousands of ballots for one department do not contend on it.
"""

from __future__ import annotations

import select
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composable, Composed, Identifier, Literal

from storage.chain import GENESIS, link
from storage.checkpoints import Checkpoints, reason_of

EVENTS_STATISTICS = {
    "state": 0,
    "originator_id": 10,
    "originator_version": 10,
    "topic": 10,
    "notification_id": 10,
}
"""Per-column statistics targets of the events table: ``state`` is never filtered on; for the planner's
estimates on the other columns (ids, versions, topics, positions) a sample of 3,000 rows (300 × 10) is
enough (the default samples 30,000): the ballot writer's batches took no longer with it."""
CHAIN_STATISTICS = {"link": 0, "notification_id": 10}
"""The chain is analysed once a minute like the events (80-170 ms with the defaults): sampled as lightly."""


def quick_maintenance(schema: str, table: str, statistics: dict[str, int], unthrottled: bool) -> Composed:
    """Keep PostgreSQL's autovacuum and autoanalyze passes over a table that grows with every ballot short.

    Each pass over the events table holds a SHARE UPDATE EXCLUSIVE lock, which conflicts with the
    EXCLUSIVE lock every save takes (docs/operations.md): while a pass runs, no ballot is saved. If a
    pass blocks a save for ``deadlock_timeout`` (1 s), PostgreSQL cancels it, and autovacuum tries again
    at its next round (a minute later).

    Measured on copies of 96,000 and 1,200,000 stored events, the time a pass took (and held saves up):

    * by default (throttled: cost delay 2 ms): a first vacuum 168 ms and 15.5 s; analyze 413 ms and 1,007 ms;
    * unthrottled, 3,000 rows sampled, the events' JSON left out: vacuum 36-53 ms and 706-735 ms;
      analyze 33-35 ms.

    The passes come as often as before: analyze after 1,000 rows and 1 % more (the library's setting, so
    about once a minute, autovacuum's nap time, while ballots arrive), vacuum after 20 % more rows.
    The statement runs at every start that creates tables, so an existing store gets it too.
    """
    changes: list[Composable] = [
        SQL("ALTER COLUMN {} SET STATISTICS {}").format(Identifier(column), Literal(target))
        for column, target in statistics.items()
    ]
    if unthrottled:
        changes.insert(0, SQL("SET (autovacuum_vacuum_cost_delay = 0)"))
    return SQL("ALTER TABLE {}.{} {}").format(Identifier(schema), Identifier(table), SQL(", ").join(changes))


def send_all(curs: Cursor[DictRow]) -> None:
    """Hands PostgreSQL every byte queued on the cursor's connection before the library waits for results.

    The library saves in psycopg's pipeline mode, and psycopg (3.3.9) flushes libpq's output only once
    before it waits for the server's answer: a statement larger than the socket takes at once (a round
    created with 18,000 representatives is 15 MB) stays half-sent, PostgreSQL waits for the rest
    (ClientRead) and the save never ends. libpq's rule for a non-blocking connection is to flush until
    nothing is left, reading whatever arrives meanwhile; a statement that went out whole costs one call.
    """
    pgconn = curs.connection.pgconn
    while pgconn.flush():
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLOUT)
        if any(mask & select.POLLIN for _, mask in poller.poll()):
            pgconn.consume_input()


class GuardedApplicationRecorder(PostgresApplicationRecorder):
    """Adds guarded saves and the write-time hash chain (storage/chain.py) to the library's recorder."""

    chain_key: bytes | None = None
    """Set by ``storage.bootstrap`` from the server secret; a recorder without it refuses to write."""
    checkpoints: Checkpoints | None = None
    """Set by ``storage.bootstrap``: signs the chain's head after a close, a lock or a publication."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chain_table = f"{self.events_table_name}_chain"
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{table} ("
                "notification_id bigint PRIMARY KEY, link bytea NOT NULL)"
            ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.chain_table))
        )
        self.chain_head_statement = SQL(
            "SELECT link FROM {schema}.{table} ORDER BY notification_id DESC LIMIT 1"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.chain_table))
        self.chain_insert_statement = SQL(
            "INSERT INTO {schema}.{table} (notification_id, link) SELECT * FROM unnest(%b::bigint[], %b::bytea[])"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.chain_table))
        schema = self.datastore.schema
        self.sql_create_statements += [
            quick_maintenance(schema, self.events_table_name, EVENTS_STATISTICS, unthrottled=True),
            quick_maintenance(schema, self.chain_table, CHAIN_STATISTICS, unthrottled=False),
        ]
        self.guard_function = f"{self.events_table_name}_guard"[:63]
        self.sql_create_statements.append(
            SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}(ids uuid[], versions int[]) "
                "RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
                "IF EXISTS (SELECT 1 FROM unnest(ids, versions) AS g(id, v) WHERE coalesce(("
                "SELECT max(e.originator_version) FROM {schema}.{table} e WHERE e.originator_id = g.id), 0)"
                " <> g.v) THEN RAISE EXCEPTION 'a guarded aggregate has changed' "
                "USING ERRCODE = 'unique_violation'; END IF; END $$"
            ).format(
                schema=Identifier(self.datastore.schema),
                function=Identifier(self.guard_function),
                table=Identifier(self.events_table_name),
            )
        )
        # One look-up of the primary key per aggregate, whatever the planner estimates. A plain join of
        # the ids with the table was planned, when the sampled statistics put many events on each id, as
        # a hash join over a sequential scan of every event (9-12 ms a batch at 30,000 events, more as the
        # log grows), and the ballot writer runs it every batch. The inner ORDER BY keeps the planner from
        # flattening the LATERAL subquery back into that join.
        self.select_many_statement = SQL(
            "SELECT e.originator_id, e.originator_version, e.topic, e.state "
            "FROM unnest(%b::uuid[], %b::int[]) AS known(id, version) CROSS JOIN LATERAL ("
            "SELECT * FROM {schema}.{table} e WHERE e.originator_id = known.id "
            "AND e.originator_version > known.version ORDER BY e.originator_version) e "
            "ORDER BY e.originator_id, e.originator_version"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        self.insert_arrays_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::uuid[], %b::int[], %b::text[], %b::bytea[]) RETURNING notification_id"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        self.guard_statement = SQL("SELECT {schema}.{function}(%b::uuid[], %b::int[])").format(
            schema=Identifier(self.datastore.schema), function=Identifier(self.guard_function)
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events_of(self, ids: Sequence[UUID], after: Sequence[int] | None = None) -> list[StoredEvent]:
        """Every event of several aggregates in one query (a batch of ballots reads its aggregates at once);
        with ``after``, only each aggregate's events after that version (one per id, 0 for all).

        Retried like the library's own reads: pooled connections are not pinged, so after PostgreSQL
        restarted each one fails once before it is replaced.
        """
        if not ids:
            return []
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            versions = list(after) if after is not None else [0] * len(ids)
            # Binary results: each state arrives as its bytes, not as hex text (200 rows: 0.8 ms less).
            curs.execute(self.select_many_statement, (list(ids), versions), prepare=True, binary=True)
            return [
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
        if self.checkpoints is not None and (reason := reason_of(e.topic for e in stored_events)):
            with self.datastore.get_connection() as conn:
                self.checkpoints.take(conn, reason)
        return ids

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        self._lock_table(curs)
        guards: dict[UUID, int] = kwargs.get("guards") or {}
        if guards:
            curs.execute(self.guard_statement, (list(guards), list(guards.values())), prepare=True)
            curs.fetchone()  # fetching ends the pipeline's batch, so a failed guard raises its own error
        self._notify_channel(curs)
        # The library sends one array of a composite type, dumped as text (each state escaped); four
        # arrays sent binary say the same rows at a fraction of the cost.
        columns = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
        )
        curs.execute(self.insert_arrays_statement, columns, prepare=True)
        send_all(curs)

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if not ids:
            return ids
        if self.chain_key is None:
            raise ProgrammingError("the event chain's key is not set: refusing to write unchained events")
        curs.execute(self.chain_head_statement, prepare=True)
        head = curs.fetchone()
        previous = bytes(head["link"]) if head else GENESIS
        links = []
        for notification_id, e in zip(ids, stored_events, strict=True):
            previous = link(
                self.chain_key,
                previous,
                notification_id,
                e.originator_id,
                e.originator_version,
                e.topic,
                e.state,
            )
            links.append(previous)
        curs.execute(self.chain_insert_statement, (list(ids), links), prepare=True)
        send_all(curs)
        return ids
