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
rows are in (``projections.bulk_schema``); which are written when is ``projections.bulk_writes``; the lock
and the tables dropped and created again, ``projections.bulk_tables``.

The events are only read. The transaction drops and recreates the view tables, so readers wait for it
rather than see half a rebuild, and a rebuild that fails leaves the old views in place (the partitions its
ballot processes committed are staging tables no view reads, dropped). Afterwards the
incremental projection (``projections.runner.Projector``) resumes after the tracked position.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.projection import ProjectionRunner
from psycopg import Cursor
from psycopg.rows import DictRow

from projections import bulk_partitions
from projections.batch import build_batch
from projections.bulk_ballot_process import BallotProcess
from projections.bulk_ballots import NOT_BALLOTS, BallotTotals
from projections.bulk_copy import Streamer, in_thread, prepare
from projections.bulk_schema import partition_sets, partitions
from projections.bulk_tables import TrackingOnly, recreate_tables, views_lock
from projections.bulk_writes import attach, copy_batch, copy_own
from projections.changes import Changes
from projections.event_log import APPLICATION_NAME, EventReader, last_position
from projections.event_source import count_events, stored_events
from projections.fold import fold
from projections.projection import ViewsProjection
from projections.runner import projection_env
from projections.state import ViewState
from projections.tables import HISTORY, HistoryRow
from projections.view_store import ViewRecorder
from storage.settings import Settings

DRAIN = 10_000
"""Events folded between two hand-overs of their rows to the COPY (here and in the ballot processes)."""


@dataclass(frozen=True)
class Counted:
    """What a bulk rebuild projected: how many events, up to which position."""

    events: int
    position: int


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
                    prepare(curs)
                    recreate_tables(curs, recorder)
                    with _no_cycle_collection():
                        counted = _project(curs, reader, stop, recorder.datastore.schema, env)
                    recorder._insert_tracking(curs, Tracking(APPLICATION_NAME, counted.position))
            except BaseException:
                with contextlib.suppress(psycopg.Error):  # the failure raised matters more
                    bulk_partitions.drop(settings.database_url, settings.schema, partitions())
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


def _project(
    curs: Cursor[DictRow], reader: EventReader, stop: int, schema: str, env: dict[str, str]
) -> Counted:
    """Fold every event up to ``stop``; write every view row; returns the events and last position."""
    state, changes, counted, ballot_history = _fold_everything(curs, reader, stop, schema, env)
    keys = in_thread(attach, curs, schema, ballot_history)
    batch = build_batch(state, changes, counted.position, counted.events)  # while PostgreSQL attaches
    keys()
    copy_batch(curs, batch, schema)
    return counted


def _fold_everything(
    curs: Cursor[DictRow], reader: EventReader, stop: int, schema: str, env: dict[str, str]
) -> tuple[ViewState, Changes, Counted, list[HistoryRow]]:
    """This process folds every event but the ballots while the ballot processes fold and write those, and
    the history rows are copied as they come. Returns the state and changes with what the ballot processes
    counted, and the history lines of the ballots' voids."""
    state, changes = ViewState(), Changes()
    streamer = Streamer(curs, schema, [HISTORY])
    sides = [BallotProcess(env, stop, partition, DRAIN) for partition in range(len(partition_sets()))]
    try:
        for folded, (position, event) in enumerate(stored_events(reader, stop, only=NOT_BALLOTS), 1):
            fold(state, changes, event, position)
            if folded % DRAIN == 0:
                _hand_over(changes, streamer)
        _hand_over(changes, streamer)
        streamer.close()
        own = in_thread(copy_own, curs, schema, state, changes)
        events = count_events(reader, stop)  # every one, folded here, there or passed over (``NO_VIEW``)
        totals = [side.totals() for side in sides]
        own()
    finally:
        for side in sides:
            side.close()
        streamer.close()
    for partial in totals:
        _add_ballots(state, changes, partial)
    return state, changes, Counted(events, stop), [row for partial in totals for row in partial.history]


def _add_ballots(state: ViewState, changes: Changes, totals: BallotTotals) -> None:
    """What the ballots of one partition folded, for counting: each department's counting ballots, what they
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
