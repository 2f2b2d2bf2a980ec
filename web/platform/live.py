"""实时推送 — LISTEN on the projection's channel and hand each change to the process's listeners.

One LISTEN connection per process. The projection NOTIFYs ``sanmin_views`` after each batch it commits,
with the payload ``"<round_key>:<position>"`` (a store outside ``public``: its own channel,
``storage.settings.channel``; so is every other channel here). Two kinds of listener:

- ``subscribe()`` gives an asyncio.Queue of raw payloads (for screens that want every notice);
- ``watch(callback)`` calls ``callback(payload)`` in the event loop; after the LISTEN connection was lost
  and came back (e.g. PostgreSQL restarted) it calls ``callback(RESYNC)``: notices may have been missed.

Other channels share the connection: ``start(settings, channels={name: callback})`` (e.g. the ended
representatives' sessions, web/platform/representative_sessions.py).

A supervisor task notices a lost connection (termination callback, or a failed ping every few seconds)
and reconnects with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import asyncpg

from projections.view_sql import CHANNEL
from storage.settings import Settings

RESYNC = "*"
PING_EVERY = 5.0
MAX_BACKOFF = 10.0

log = logging.getLogger(__name__)


class LiveHub:
    def __init__(self, settings: Settings, channels: dict[str, Callable[[str], None]] | None = None) -> None:
        self.settings = settings
        self.channels = dict(channels or {})
        self.connection: asyncpg.Connection | None = None
        self.listeners: set[asyncio.Queue[str]] = set()
        self.watchers: list[Callable[[str], None]] = []
        self.last = ""
        self.reconnects = 0
        self._lost = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls, settings: Settings, channels: dict[str, Callable[[str], None]] | None = None
    ) -> LiveHub:
        hub = cls(settings, channels)
        with contextlib.suppress(OSError, asyncpg.PostgresError, TimeoutError):
            await hub._connect()
        hub._task = asyncio.create_task(hub._supervise(), name="live-hub")
        return hub

    async def _connect(self) -> None:
        connection = await asyncpg.connect(self.settings.database_url, timeout=5)
        await connection.add_listener(self.settings.channel(CHANNEL), self._on_notify)
        for channel, callback in self.channels.items():
            await connection.add_listener(self.settings.channel(channel), _calling(callback))
        connection.add_termination_listener(self._on_terminated)
        self.connection = connection
        self._lost.clear()

    def _on_terminated(self, _conn: object) -> None:
        self._lost.set()

    async def _supervise(self) -> None:
        backoff = 0.25
        while True:
            if self.connection is None or self.connection.is_closed():
                try:
                    await self._connect()
                except (OSError, asyncpg.PostgresError, TimeoutError) as failure:
                    log.warning("LISTEN connection failed (%r); retrying in %.1fs", failure, backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF)
                    continue
                backoff = 0.25
                self.reconnects += 1
                self._announce(RESYNC)
            await self._watch_connection()

    async def _watch_connection(self) -> None:
        """Returns when the connection is gone (terminated, or a ping failed)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._lost.wait(), PING_EVERY)
        connection = self.connection
        if connection is None or self._lost.is_set() or connection.is_closed():
            await self._drop()
            return
        try:
            await connection.execute("SELECT 1", timeout=PING_EVERY)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
            await self._drop()

    async def _drop(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None and not connection.is_closed():
            connection.terminate()

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self.publish(payload)

    def publish(self, payload: str) -> None:
        self.last = payload
        for queue in list(self.listeners):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(payload)
        self._announce(payload)

    def _announce(self, payload: str) -> None:
        for callback in list(self.watchers):
            try:
                callback(payload)
            except Exception:  # noqa: BLE001 - one bad watcher must not silence the others
                log.exception("live watcher failed")

    def watch(self, callback: Callable[[str], None]) -> None:
        self.watchers.append(callback)

    def subscribe(self) -> asyncio.Queue[str]:
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=100)
        self.listeners.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str]) -> None:
        self.listeners.discard(queue)

    def listening(self) -> bool:
        """Whether the LISTEN connection is up (notices sent now will arrive)."""
        return self.connection is not None and not self.connection.is_closed() and not self._lost.is_set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.connection is not None and not self.connection.is_closed():
            await self.connection.close()


def _calling(callback: Callable[[str], None]) -> Callable[[object, int, str, str], None]:
    def on_notify(_conn: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            callback(payload)
        except Exception:  # noqa: BLE001 - a bad listener must not break the connection
            log.exception("listener of another channel failed")

    return on_notify
