"""事件解码 — a stored event's row turned into its domain event, as the library's mapper would, quickly.

Each row is decoded as ``Mapper.to_domain_event`` does — the application's transcoder, the same event
classes — without building a ``StoredEvent`` per row, and with the JSON parsed by orjson. An event of an
older class version is upcast as the mapper does it (each ``upcast_vN_vN+1`` in turn: ``Ballot.Cast``
version 1 loses its venue and sitting). An application with a cipher or a compressor is decoded by the
mapper itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Cipher, Compressor, JSONTranscoder, Mapper, StoredEvent, Transcoder
from eventsourcing.utils import resolve_topic

MOMENTS = 10_000
"""Timestamps decoded once and kept, at most (``json_decoder``)."""

Decode = Callable[[UUID, int, str, bytes], DomainEventProtocol[UUID]]


def decoder(mapper: Mapper[UUID]) -> Decode:
    """A function turning one stored row into its domain event, as ``mapper.to_domain_event`` would."""
    if mapper.cipher is not None or mapper.compressor is not None:
        return lambda i, version, topic, state: mapper.to_domain_event(StoredEvent(i, version, topic, state))
    decode = json_decoder(mapper.transcoder)
    classes: dict[str, type[Any]] = {}

    def to_event(originator_id: UUID, version: int, topic: str, state: bytes) -> DomainEventProtocol[UUID]:
        cls = classes.get(topic)
        if cls is None:
            cls = classes[topic] = resolve_topic(topic)
        event_state = decode(state)
        event_state["originator_id"] = originator_id
        event_state["originator_version"] = version
        class_version = getattr(cls, "class_version", 1)
        if class_version != 1 or "class_version" in event_state:  # as Mapper.to_domain_event
            stored_version = event_state.pop("class_version", 1)
            while stored_version < class_version:
                getattr(cls, f"upcast_v{stored_version}_v{stored_version + 1}")(event_state)
                stored_version += 1
        event: DomainEventProtocol[UUID] = object.__new__(cls)
        object.__setattr__(event, "__dict__", event_state)
        return event

    return to_event


class FastMapper(Mapper[UUID]):
    """The library's mapper, its events decoded by ``decoder``: the incremental projection's runner
    decodes every event it hands on through its application's mapper (``projections.event_log.EventReader``),
    and ``json``'s parse was a tenth of that process's time. Encoding is the library's."""

    def __init__(
        self, transcoder: Transcoder, compressor: Compressor | None = None, cipher: Cipher | None = None
    ) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self._decode = decoder(Mapper(transcoder, compressor=compressor, cipher=cipher))

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        s = stored_event
        return self._decode(s.originator_id, s.originator_version, s.topic, s.state)  # type: ignore[arg-type]


def json_decoder(transcoder: Transcoder) -> Callable[[bytes], Any]:
    """The library's JSON transcoding, parsed by orjson: the transcoder's own hook is then applied to
    every object, innermost first, as ``json``'s ``object_hook`` does. Anything orjson refuses (an
    integer beyond 64 bits, NaN) and any other transcoder are decoded by the transcoder itself."""
    if type(transcoder) is not JSONTranscoder:
        return transcoder.decode
    hook = transcoder._decode_obj

    def restore(value: Any) -> Any:
        if type(value) is dict:
            for key, item in value.items():
                if type(item) is dict or type(item) is list:
                    value[key] = restore(item)
            return hook(value) if len(value) == 2 else value  # the hook changes only {"_type_", "_data_"}
        return [restore(item) if type(item) is dict or type(item) is list else item for item in value]

    moments: dict[Any, Any] = {}

    def timestamp(moment: dict[str, Any]) -> Any:
        """The hook's value, kept for the next event of the same moment (ballots' are cut to the minute;
        what it makes of one moment, a datetime, cannot be changed)."""
        key = moment.get("_data_")
        if moment["_type_"] != "datetime_iso" or type(key) is not str:
            return hook(moment)
        found = moments.get(key)
        if found is None:
            if len(moments) > MOMENTS:
                moments.clear()
            found = moments[key] = hook(moment)
        return found

    def decode(data: bytes) -> Any:
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:
            return transcoder.decode(data)
        if (
            data.count(b'"_type_"') == 1
            and type(moment := parsed.get("timestamp")) is dict
            and "_type_" in moment
        ):
            # the only transcoded object (a quote in a string is escaped)
            parsed["timestamp"] = timestamp(moment)
            return parsed
        return restore(parsed)

    return decode
