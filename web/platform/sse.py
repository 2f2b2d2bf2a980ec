"""服务器推送事件 — an ASGI response streaming a feed to one viewer until it goes away.

It listens for the client's disconnect beside the stream (whatever the ASGI server's spec version), so
the viewer's slot is given back at once, and sends a comment every ``keepalive`` seconds so proxies keep
the connection open. The browser's EventSource reconnects by itself after ``retry`` milliseconds.
"""

from __future__ import annotations

import asyncio
import contextlib

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from web.platform.feeds import Feed, Feeds, Subscriber

HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-store"),
    (b"x-accel-buffering", b"no"),
]


class EventStream(Response):
    def __init__(
        self, feeds: Feeds, kind: str, feed: Feed, subscriber: Subscriber, keepalive: float = 15.0
    ) -> None:
        super().__init__(media_type="text/event-stream")
        self.feeds, self.kind, self.feed, self.subscriber = feeds, kind, feed, subscriber
        self.keepalive = keepalive

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            async with anyio.create_task_group() as group:

                async def until_disconnect() -> None:
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    group.cancel_scope.cancel()

                group.start_soon(until_disconnect)
                with contextlib.suppress(OSError):
                    await self._stream(send)
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                group.cancel_scope.cancel()
        finally:
            self.feeds.unsubscribe(self.kind, self.feed, self.subscriber)

    async def _stream(self, send: Send) -> None:
        await self._body(send, b"retry: 2000\n\n")
        if first := self.subscriber.take():
            await self._body(send, first)
        while not self.subscriber.closed:
            try:
                await asyncio.wait_for(self.subscriber.changed.wait(), self.keepalive)
            except TimeoutError:
                await self._body(send, b": keepalive\n\n")
                continue
            if not self.subscriber.closed:
                await self._body(send, self.subscriber.take())

    @staticmethod
    async def _body(send: Send, data: bytes) -> None:
        await send({"type": "http.response.body", "body": data, "more_body": True})
