"""The base of the application: the event store, the keyring, and loading aggregates by domain key."""

from __future__ import annotations

import copy
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate

from evaluation.errors import InvalidInput, NotFound
from evaluation.keys import SEATS_REMEMBERED, Keyring
from evaluation.round import Round, round_id

A = TypeVar("A", bound=Aggregate)
KEPT_MAX = 50_000
GIVEN_MAX = SEATS_REMEMBERED
"""Ballots kept between a writer's batches (about 1 KB each): one per seat, as the keyring's pseudonyms."""


class FilePort(Protocol):
    """Where report files live (their own table, not events): put returns the content's sha256."""

    def put(self, content: bytes) -> str: ...

    def get(self, digest: str) -> bytes | None: ...


class ServiceBase(Application[UUID]):
    """Shared by the command groups; holds no state of its own beyond the store."""

    keys: Keyring
    files: FilePort

    def __init__(self, keys: Keyring, files: FilePort, env: dict[str, str] | None = None) -> None:
        super().__init__(env=env)
        self.keys = keys
        self.files = files
        self.kept: dict[UUID, Aggregate] = {}
        self.given: dict[UUID, Aggregate] = {}

    def load(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(what=what) from None
        if not isinstance(aggregate, cls):
            raise NotFound(what=what)
        return aggregate

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    def load_many(self, ids: list[UUID], keep: tuple[type[Aggregate], ...] = ()) -> dict[UUID, Aggregate]:
        """Several aggregates in one read; missing ones are simply absent.

        Aggregates of the ``keep`` types are kept between calls, and only their newer events are read
        (so each read is still as of the store, for every process). The kept objects are shared and must
        never be changed: a caller passes ``keep`` only for aggregates it reads without commanding them.
        An aggregate given back after its save (``give_back``) is handed to the next read of it alone,
        brought up to date in place: that caller owns it, and gives it back once its own save succeeded.
        """
        wanted = list(dict.fromkeys(ids))
        known = {i: self.kept[i] for i in wanted if i in self.kept} if keep else {}
        owned = {i: a for i in wanted if (a := self.given.pop(i, None)) is not None}
        after = [a.version if (a := known.get(i) or owned.get(i)) else 0 for i in wanted]
        stored = self.recorder.select_events_of(wanted, after)  # type: ignore[attr-defined]
        events: dict[UUID, list[Any]] = {}
        for record in stored:
            events.setdefault(record.originator_id, []).append(self.mapper.to_domain_event(record))
        found: dict[UUID, Aggregate] = {**known, **owned}
        for aggregate_id, history in events.items():
            # a kept one is shared, so never changed in place; an owned one is the caller's
            aggregate: Any = owned.get(aggregate_id) or copy.deepcopy(known.get(aggregate_id))
            for event in history:  # the library's project_aggregate, less its per-event Protocol check
                aggregate = event.mutate(aggregate)
            if isinstance(aggregate, Aggregate):
                found[aggregate_id] = aggregate
                if isinstance(aggregate, keep):
                    self._keep(aggregate)
        return found

    def give_back(self, aggregates: list[Aggregate]) -> None:
        """Aggregates just saved (or read and left unchanged) by a command, for its next read to take
        instead of reading their history again. Only after the save succeeded: a failed save leaves
        changes in memory that the store does not have, and those objects are dropped."""
        for aggregate in aggregates:
            if not aggregate.pending_events:
                _remember(self.given, aggregate, GIVEN_MAX)

    def _keep(self, aggregate: Aggregate) -> None:
        _remember(self.kept, aggregate, KEPT_MAX)

    def round(self, key: str) -> Round:
        return self.load(Round, round_id(key), f"评议活动「{key}」")

    def commit(self, *aggregates: Aggregate, **kwargs: Any) -> int:
        """Save in one transaction; returns the last notification id (for read-your-writes)."""
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in aggregates:  # Application.save, less its two Protocol checks per aggregate
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        for event in processing.events:
            refuse_nul(vars(event))
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        return max((r.notification.id for r in recordings), default=0)


def _remember(held: dict[UUID, Aggregate], aggregate: Aggregate, most: int) -> None:
    """Holds ``aggregate`` by its id, letting go of the oldest held when ``most`` are held already."""
    if len(held) >= most:
        held.pop(next(iter(held)), None)
    held[aggregate.id] = aggregate


def refuse_nul(value: object) -> None:
    """PostgreSQL's text cannot hold U+0000: an event carrying one would stop the projection at its row.

    The web strips control characters from what people type; this refuses them from any other caller."""
    if _holds_nul(value):
        raise InvalidInput("文本中不能含有空字符（U+0000）")


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False
