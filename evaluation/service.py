"""The base of the application: the event store, the keyring, and loading aggregates by domain key."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import Recording

from evaluation.department import Department, department_id
from evaluation.errors import InvalidInput, NotFound
from evaluation.keys import Keyring
from evaluation.round import Round, round_id

A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")


def in_process(reader: Callable[..., T], *args: Any) -> T:
    """Reads an uploaded file here; the web process replaces it with ``storage.confined.run_confined``."""
    return reader(*args)


ManyReader = Callable[[Sequence[UUID]], dict[UUID, Aggregate]]
"""Several aggregates read at once (the absent ones left out): ``storage.many_reads`` gives the wiring one."""


class FilePort(Protocol):
    """Where report files live (their own table, not events): put returns the content's sha256."""

    def put(self, content: bytes) -> str: ...

    def get(self, digest: str) -> bytes | None: ...

    def readable_pdf(self, content: bytes) -> bool:
        """The bytes parse as a PDF with at least one page (not only its header)."""
        ...

    def readable_image(self, content: bytes, media_type: str) -> bool:
        """The bytes are a well-formed image of ``media_type`` (image/png or image/jpeg)."""
        ...


class ServiceBase(Application[UUID]):
    """Shared by the command groups; holds no state of its own beyond the store."""

    keys: Keyring
    files: FilePort
    parse: Callable[..., Any] = staticmethod(in_process)
    """Runs a reader of uploaded bytes (roster, score table, workbook, PDF): ``parse(reader, *args)``."""
    read_many: ManyReader | None = None

    def __init__(self, keys: Keyring, files: FilePort, env: dict[str, str] | None = None) -> None:
        super().__init__(env=env)
        self.keys = keys
        self.files = files

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

    def find_many(self, cls: type[A], ids: Sequence[UUID]) -> list[A]:
        """Those of ``ids`` that are ``cls`` aggregates, in their order: in one read where the wiring gave
        ``read_many`` (a round's 6,000 representatives), else one by one."""
        if self.read_many is None:
            return [a for i in ids if (a := self.find(cls, i)) is not None]
        read = self.read_many(ids)
        return [r for i in ids if isinstance(r := read.get(i), cls)]

    def round(self, key: str) -> Round:
        return self.load(Round, round_id(key), f"评议活动「{key}」")

    def department_name(self, round_key: str, key: str) -> str:
        """What a refusal calls a department: its name (e.g. 市教育局), or its key when none is registered.

        One read: for the organiser's and the results officer's commands, never a ballot's (its refusals
        name the key: nothing the ballot path holds in memory knows the name, evaluation/voting.py)."""
        found = self.find(Department, department_id(round_key, key))
        return found.name if found is not None else key

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        """The library's save, in one transaction, once no new event carries a text PostgreSQL cannot hold."""
        for obj in objs:
            if isinstance(obj, Aggregate):
                for event in obj.pending_events:
                    refuse_nul(vars(event))
        return super().save(*objs, **kwargs)


def last_position(recordings: Sequence[Recording[UUID]]) -> int:
    """The notification id of a save's last event: what a reader waits for to see the save (read-your-writes)."""
    return max((r.notification.id for r in recordings), default=0)


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
