"""整体重建 — ``sanmin rebuild``: every read model rebuilt from the events in one pass and one transaction.

The same fold as the incremental projection (``projections.fold``), but over the whole history at
once: the events are streamed in large chunks (``projections.event_source``) and folded into one
``ViewState`` and one ``Changes``; each department is counted once at the end (``build_batch``); every
view table is written with binary COPY (``projections.bulk_copy``), in one transaction with the tracking
position. The ballots are folded by processes of their own, one for each partition of the ballots'
tables (``projections.bulk_ballots``), which load and index their partitions while this process folds
every other event; it then attaches the partitions (``projections.bulk_partitions``) and counts the
departments from the ballot processes' counting ballots. A thread COPYs the history rows while the
events are folded, so they are never all held in memory. Tables get their keys and indexes once their
rows are in (``projections.bulk_schema``), those of the history while the departments are counted.

The events are only read. The transaction drops and recreates the view tables, so readers wait for it
rather than see half a rebuild, and a rebuild that fails leaves the old views in place (the partitions its
ballot processes committed are staging tables no view reads, dropped). Afterwards the
incremental projection (``projections.runner.Projector``) resumes after the tracked position.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.projection import ProjectionRunner
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from projections import bulk_partitions
from projections import view_sql as v
from projections.batch import Batch, build_batch, representative_rows
from projections.bulk_ballots import NOT_BALLOTS, BallotProcess, BallotTotals
from projections.bulk_copy import Streamer, copy_rows, prepare
from projections.bulk_schema import deferred_views
from projections.changes import Changes, HistoryRow
from projections.event_log import APPLICATION_NAME, EventReader, last_position
from projections.event_source import count_events, stored_events
from projections.fold import fold
from projections.projection import ViewsProjection
from projections.runner import ProjectionBusy, lock_key, projection_env
from projections.state import ViewState
from projections.view_store import ViewRecorder
from storage.settings import Settings

TABLES = {table.field: table for table in v.WRITES}
OWN_FOLD = frozenset({"representatives", "suggestions", "history"})
"""Tables whose rows are all known when this process's fold ends: copied and indexed while the ballot
processes finish theirs (the history's few Ballot rows, their voids', come after). No table has keys or
indexes while it is loaded: building one over loaded rows costs PostgreSQL far less than keeping it up to
date row by row."""
ATTACHED = frozenset({"ballots", "receipts"})
"""The ballots' tables: their partitions are attached, with their keys and indexes, while the departments
are counted."""
DRAIN = 10_000
"""Events folded between two hand-overs of their rows to the COPY (here and in the ballot processes)."""


@dataclass(frozen=True)
class Counted:
    """What a bulk rebuild projected: how many events, up to which position."""

    events: int
    position: int


class TrackingOnly(ViewRecorder):
    """The views' recorder as a rebuild opens it: it creates the tracking table only. The rebuild drops and
    creates the view tables; views.sql run on an older version's tables could fail before they are dropped."""

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        super(ViewRecorder, self)._create_table(curs)


@contextmanager
def views_lock(settings: Settings) -> Iterator[None]:
    """The projector's advisory lock on the schema's views (``ProjectionBusy`` if another holds it)."""
    settings.ensure_schema()
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        acquired = conn.execute("SELECT pg_try_advisory_lock(%s)", (lock_key(settings.schema),)).fetchone()
        if not acquired or not acquired[0]:
            raise ProjectionBusy(f"模式 {settings.schema} 的读模型投影已在运行")
        yield


def bulk_rebuild(settings: Settings) -> Counted:
    """Rebuild every view table and the tracking row from the events recorded so far."""
    env = projection_env(settings)
    with views_lock(settings):
        factory = InfrastructureFactory[ViewRecorder].construct(
            env=ProjectionRunner._construct_env(ViewsProjection.name, env)
        )
        reader = EventReader(env=env)
        try:
            recorder = factory.tracking_recorder(TrackingOnly)
            stop = last_position(reader)
            try:
                with recorder.datastore.transaction(commit=True) as curs:
                    _recreate_tables(curs, recorder)
                    with _no_cycle_collection():
                        counted = _project(curs, reader, stop, recorder.datastore.schema, env)
                    recorder._insert_tracking(curs, Tracking(APPLICATION_NAME, counted.position))
            except BaseException:
                with contextlib.suppress(psycopg.Error):  # the failure raised matters more
                    bulk_partitions.drop(settings.database_url, settings.schema, deferred_views().partitions)
                raise
            return counted
        finally:
            reader.close()
            factory.close()


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The fold makes millions of long-lived objects and no cycles: the collector would only re-scan them."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _recreate_tables(curs: Cursor[DictRow], recorder: ViewRecorder) -> None:
    """Drop every view table and the tracking row; create the tables of views.sql without keys or indexes."""
    schema = Identifier(recorder.datastore.schema)
    curs.execute("SET LOCAL lock_timeout = '10s'")
    curs.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
    curs.execute("SET LOCAL maintenance_work_mem = '256MB'")
    # A rebuild lost to a crash right after its commit is simply lost whole (the old views come back,
    # with their tracking row): the commit need not wait for the flush of the last of its WAL.
    curs.execute("SET LOCAL synchronous_commit = off")
    for table in v.view_tables():
        curs.execute(SQL("DROP TABLE IF EXISTS {}.{}").format(schema, Identifier(table)))
    curs.execute(
        SQL("DELETE FROM {}.{} WHERE application_name = %s").format(
            schema, Identifier(recorder.tracking_table_name)
        ),
        (APPLICATION_NAME,),
    )
    curs.execute(SQL("SET LOCAL search_path TO {}").format(schema))
    for statement in deferred_views().tables:
        curs.execute(statement.encode())


def _project(
    curs: Cursor[DictRow], reader: EventReader, stop: int, schema: str, env: dict[str, str]
) -> Counted:
    """Fold every event up to ``stop``; write every view row; returns the events and last position."""
    prepare(curs)
    state, changes, counted, ballot_history = _fold_everything(curs, reader, stop, schema, env)
    keys = _in_thread(_attach, curs, schema, ballot_history)
    batch = build_batch(state, changes, counted.position, counted.events)  # while PostgreSQL attaches
    keys()
    _copy_rows(curs, batch, schema)
    return counted


def _fold_everything(
    curs: Cursor[DictRow], reader: EventReader, stop: int, schema: str, env: dict[str, str]
) -> tuple[ViewState, Changes, Counted, list[HistoryRow]]:
    """This process folds every event but the ballots while the ballot processes fold and write those, and
    the history rows are copied as they come. Returns the state and changes with what the ballot processes
    counted, and the history lines of the ballots' voids."""
    state, changes = ViewState(), Changes()
    streamer = Streamer(curs, schema, [TABLES["history"]])
    sides = [BallotProcess(env, stop, share, DRAIN) for share in range(len(deferred_views().shares()))]
    try:
        for folded, (position, event) in enumerate(stored_events(reader, stop, only=NOT_BALLOTS), 1):
            fold(state, changes, event, position)
            if folded % DRAIN == 0:
                _hand_over(changes, streamer)
        _hand_over(changes, streamer)
        streamer.close()
        own = _in_thread(_copy_own, curs, schema, state, changes)
        events = count_events(reader, stop)  # every one, folded here, there or passed over (``NO_VIEW``)
        totals = [side.totals() for side in sides]
        own()
    finally:
        for side in sides:
            side.close()
        streamer.close()
    for share in totals:
        _add_ballots(state, changes, share)
    return state, changes, Counted(events, stop), [row for share in totals for row in share.history]


def _add_ballots(state: ViewState, changes: Changes, totals: BallotTotals) -> None:
    """What one share of the ballots folded, for counting: each department's counting ballots, what they
    touched."""
    for key, multisets in totals.multisets.items():
        kept = state.rounds[key].multisets
        for department, counted in multisets.items():
            kept[department] = kept.get(department, Counter()) + counted
    changes.tallies |= totals.tallies
    changes.venues |= totals.venues
    changes.touched |= totals.touched


def _hand_over(changes: Changes, streamer: Streamer) -> None:
    """The history rows folded so far go to their COPY; the fold starts a new list."""
    streamer.send(changes.history)
    changes.history = []


def _copy_own(curs: Cursor[DictRow], schema: str, state: ViewState, changes: Changes) -> None:
    """The rows of ``OWN_FOLD`` not copied yet, then their keys and indexes; the batch will not write them
    again."""
    copy_rows(curs, schema, TABLES["representatives"], representative_rows(state, changes))
    copy_rows(curs, schema, TABLES["suggestions"], changes.suggestions.values())
    changes.representatives, changes.suggestions = set(), {}
    for statement in deferred_views().of_tables(_names(OWN_FOLD)):
        curs.execute(statement.encode())


def _attach(curs: Cursor[DictRow], schema: str, ballot_history: list[HistoryRow]) -> None:
    """The history lines of the ballots' voids; the ballot processes' partitions attached, and the keys and
    indexes of their tables (which take the partitions' own)."""
    copy_rows(curs, schema, TABLES["history"], ballot_history)
    deferred = deferred_views()
    bulk_partitions.attach(curs, deferred.partitions)
    for statement in deferred.of_tables(_names(ATTACHED)):
        curs.execute(statement.encode())


def _names(fields: frozenset[str]) -> frozenset[str]:
    return frozenset(TABLES[field].name for field in fields)


def _in_thread(work: Callable[..., None], *args: Any) -> Callable[[], None]:
    """Start ``work`` in a thread; the function returned waits for it and raises what it raised."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work(*args)
        except BaseException as error:  # noqa: BLE001 - raised again by the waiting thread
            failure.append(error)

    thread = threading.Thread(target=run, name="bulk-copy")
    thread.start()

    def wait() -> None:
        thread.join()
        if failure:
            raise failure[0]

    return wait


def _copy_rows(curs: Cursor[DictRow], batch: Batch, schema: str) -> None:
    """Every table not copied yet, each with one COPY; then the keys and indexes; then the answers of
    suggestions written earlier, and the NOTIFYs. (The ballot processes wrote the ballots' voids.)"""
    for table in v.WRITES:
        rows = getattr(batch, table.field)
        if table.field not in OWN_FOLD | ATTACHED and rows:
            copy_rows(curs, schema, table, rows)
    for statement in deferred_views().except_of(_names(OWN_FOLD | ATTACHED)):
        curs.execute(statement.encode())
    if batch.answers:
        answer = "UPDATE suggestions_view SET answer = %s, position = %s WHERE suggestion_id = %s"
        curs.executemany(answer, batch.answers)
    curs.executemany("SELECT pg_notify(%s, %s)", [(v.CHANNEL, notice) for notice in batch.notices])
