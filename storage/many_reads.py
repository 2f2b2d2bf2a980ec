"""Several aggregates in one read — the query ``GuardedApplicationRecorder.select_events_of`` and the fold of
its rows into aggregates, as the library's repository would make them one by one.

A round's representatives are thousands of aggregates: read one query each, checking an import against them
took seconds. ``build_app`` gives every application ``many_reader`` as its ``read_many``. (The ballot writer's
``IntakeApp.load_many`` reads the same way, and keeps some aggregates between its batches.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper, StoredEvent

from evaluation.service import ManyReader

CHUNK = 2000
"""Aggregates per query: a round's roster is read in a few queries of bounded size."""


def fold(records: Iterable[StoredEvent], mapper: Mapper[UUID]) -> dict[UUID, Aggregate]:
    """The aggregates the stored events (every event of each) make, as the library's repository would."""
    histories: dict[UUID, list[Any]] = {}
    for record in records:
        event = mapper.to_domain_event(record)
        histories.setdefault(event.originator_id, []).append(event)
    found: dict[UUID, Aggregate] = {}
    for aggregate_id, history in histories.items():
        aggregate = None
        for event in history:
            aggregate = event.mutate(aggregate)
        if isinstance(aggregate, Aggregate):
            found[aggregate_id] = aggregate
    return found


def many_reader(app: Application[UUID]) -> ManyReader:
    recorder: Any = app.recorder

    def read_many(ids: Sequence[UUID]) -> dict[UUID, Aggregate]:
        wanted = list(dict.fromkeys(ids))
        found: dict[UUID, Aggregate] = {}
        for at in range(0, len(wanted), CHUNK):
            found.update(fold(recorder.select_events_of(wanted[at : at + CHUNK]), app.mapper))
        return found

    return read_many
