"""实时推送 — LISTEN on the projection's channel and fan each change out to every open event stream.

One LISTEN connection per process; each server-sent-event client gets an asyncio.Queue. The
projection NOTIFYs ``sanmin_views`` after each batch it commits.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg

from storage.settings import Settings

CHANNEL = "sanmin_views"


class LiveHub:
    def __init__(self, connection: asyncpg.Connection | None) -> None:
        self.connection = connection
        self.listeners: set[asyncio.Queue[str]] = set()
        self.last = ""

    @classmethod
    async def start(cls, settings: Settings) -> LiveHub:
        connection = await asyncpg.connect(settings.database_url)
        hub = cls(connection)
        await connection.add_listener(CHANNEL, hub._on_notify)
        return hub

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self.publish(payload)

    def publish(self, payload: str) -> None:
        self.last = payload
        for queue in list(self.listeners):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(payload)

    def subscribe(self) -> asyncio.Queue[str]:
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=100)
        self.listeners.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str]) -> None:
        self.listeners.discard(queue)

    async def stop(self) -> None:
        if self.connection is not None:
            await self.connection.close()
