"""整体读取 — the whole event history for a bulk rebuild, read in large pages and decoded quickly.

Reads the library's events table through one server-side cursor (a single snapshot, fetched in pages
of ``PAGE`` rows) on the event store's own connection pool, and decodes each row as the library's
``Mapper.to_domain_event`` does — the application's transcoder, the same event classes — without
building a ``StoredEvent`` per row. An application with a cipher or a compressor, or an event class
with upcasting, is decoded by the mapper itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import resolve_topic
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

PAGE = 20_000

Decode = Callable[[UUID, int, str, bytes], DomainEventProtocol[UUID]]


def decoder(mapper: Mapper[UUID]) -> Decode:
    """A function turning one stored row into its domain event, as ``mapper.to_domain_event`` would."""
    if mapper.cipher is not None or mapper.compressor is not None:
        return lambda i, version, topic, state: mapper.to_domain_event(StoredEvent(i, version, topic, state))
    decode = mapper.transcoder.decode
    classes: dict[str, type[Any] | None] = {}

    def to_event(originator_id: UUID, version: int, topic: str, state: bytes) -> DomainEventProtocol[UUID]:
        cls = classes.get(topic)
        if cls is None and topic not in classes:
            resolved = resolve_topic(topic)
            classes[topic] = cls = None if getattr(resolved, "class_version", 1) != 1 else resolved
        if cls is None:
            return mapper.to_domain_event(StoredEvent(originator_id, version, topic, state))
        event_state = decode(state)
        event_state["originator_id"] = originator_id
        event_state["originator_version"] = version
        if "class_version" in event_state:
            return mapper.to_domain_event(StoredEvent(originator_id, version, topic, state))
        event: DomainEventProtocol[UUID] = object.__new__(cls)
        object.__setattr__(event, "__dict__", event_state)
        return event

    return to_event


def stored_events(
    app: Application[UUID], stop: int, page: int = PAGE
) -> Iterator[tuple[int, DomainEventProtocol[UUID]]]:
    """Every event with position ≤ ``stop``, in order, as (position, domain event)."""
    recorder: Any = app.recorder
    statement = SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state FROM {}.{}"
        " WHERE notification_id <= %s ORDER BY notification_id"
    ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
    to_event = decoder(app.mapper)
    with recorder.datastore.get_connection() as conn, conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
        with conn.cursor(name="sanmin_rebuild", row_factory=tuple_row) as curs:
            curs.itersize = page
            curs.execute(statement, (stop,))
            while rows := curs.fetchmany(page):
                for position, originator_id, version, topic, state in rows:
                    yield position, to_event(originator_id, version, topic, state)
