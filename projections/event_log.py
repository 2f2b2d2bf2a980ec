"""事件记录 — reading the application's events through the library, shared by every reader.

Only *reading* is shared: the projection, the rebuild, the recount and the as-of view each count on
their own. Events are read with ``recorder.select_notifications`` and decoded with the reader's
mapper, the library's with its JSON parsed by orjson (``projections.event_decoding.FastMapper``; a test
checks it decodes every event as the library's does). The one exception is the bulk rebuild's reader (``projections.event_source``): it reads the
same table, read-only, through one server-side cursor, and decodes with the application's transcoder
(a test checks it yields exactly the events the mapper does).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper

from projections.event_decoding import FastMapper

APPLICATION_NAME = "evaluation"
"""The event-sourced application's name: its events table is ``evaluation_events``."""

PAGE = 5_000


class EventReader(Application[UUID]):
    """The application's event store opened for reading only (no commands): same name, same tables."""

    name = APPLICATION_NAME

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=FastMapper)


def kind_of(event: DomainEventProtocol[Any]) -> str:
    """e.g. ``"Ballot.Cast"`` or ``"ScoringWindow.Closed"`` — the aggregate and the event's name."""
    return type(event).__qualname__


def value(event: DomainEventProtocol[Any], name: str, default: Any = None) -> Any:
    """One attribute of an event (the arguments of the command method that triggered it)."""
    return getattr(event, name, default)


def timestamp_of(event: DomainEventProtocol[Any]) -> datetime:
    """When the event was recorded (a Ballot's is cut to the minute)."""
    moment: datetime = getattr(event, "timestamp")  # noqa: B009 - not in the protocol, on every aggregate event
    return moment


def read_events(
    app: Application[UUID],
    start: int = 1,
    stop: int | None = None,
    topics: Sequence[str] = (),
    page: int = PAGE,
) -> Iterator[tuple[int, DomainEventProtocol[UUID]]]:
    """Every event with ``start <= position <= stop``, in order, as (position, domain event)."""
    position = start
    while True:
        notifications = app.recorder.select_notifications(
            start=position, limit=page, stop=stop, topics=topics
        )
        for notification in notifications:
            yield notification.id, app.mapper.to_domain_event(notification)
        if len(notifications) < page:
            return
        position = notifications[-1].id + 1


def position_at(app: Application[UUID], moment: datetime) -> int:
    """The position of the last event recorded at or before ``moment`` (0 if none).

    Ballot events carry their time cut to the minute, so a moment within a minute includes that
    minute's ballots.
    """
    last = 0
    for position, event in read_events(app):
        if timestamp_of(event) > moment:
            return last
        last = position
    return last


def last_position(app: Application[UUID]) -> int:
    """The position of the newest event in the store (0 if empty)."""
    return app.recorder.max_notification_id() or 0
