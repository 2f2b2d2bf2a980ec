"""公共推送 — one snapshot per change per round, the same bytes sent to every viewer.

A feed is identified by ``(kind, round_key)`` and built by an async function returning the snapshot's
JSON text (or ``None`` when the round does not exist). A change notice for the round marks the feed
stale; one task rebuilds it — at most once per ``min_interval`` (0.1 s) however many notices arrive — and, if
the text changed, hands the same server-sent-event frame to every subscriber. A viewer costs a slot and
an asyncio.Event, never a query: 5,000 projectors cost one query set per change.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from web.platform.live import RESYNC

Builder = Callable[[str], Awaitable[str | None]]
RETRY_AFTER = 2.0
log = logging.getLogger(__name__)


def frame(text: str) -> bytes:
    """One server-sent event whose data is ``text`` (JSON: a single line)."""
    return b"data: " + text.encode() + b"\n\n"


class Subscriber:
    """The latest frame for one viewer; a slow viewer skips to the newest snapshot."""

    def __init__(self, latest: bytes) -> None:
        self.latest = latest
        self.changed = asyncio.Event()
        self.closed = False

    def offer(self, data: bytes) -> None:
        self.latest = data
        self.changed.set()

    def take(self) -> bytes:
        self.changed.clear()
        return self.latest

    def close(self) -> None:
        """The server is stopping: the viewer's stream ends (its browser reconnects later)."""
        self.closed = True
        self.changed.set()


class Feed:
    def __init__(self, round_key: str, build: Builder, min_interval: float) -> None:
        self.round_key = round_key
        self.build = build
        self.min_interval = min_interval
        self.subscribers: set[Subscriber] = set()
        self.text: str | None = None
        self.frame = b""
        self.builds = 0
        self._stale = False
        self._task: asyncio.Task[None] | None = None
        self._building = asyncio.Lock()

    async def refresh(self) -> None:
        """Build the snapshot anew; builds run one at a time, so a later one never finishes first and a
        slow build that read the old state cannot overwrite the newer text."""
        async with self._building:
            self.builds += 1
            text = await self.build(self.round_key)
            if text is not None and text != self.text:
                self.text, self.frame = text, frame(text)
                for subscriber in list(self.subscribers):
                    subscriber.offer(self.frame)

    def invalidate(self) -> None:
        self._stale = True
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._rebuild())

    async def _rebuild(self) -> None:
        while self._stale:
            self._stale = False
            try:
                await self.refresh()
            except Exception:  # noqa: BLE001 - e.g. the database is restarting: try again until it is back
                log.warning("feed %s rebuild failed; retrying", self.round_key, exc_info=True)
                self._stale = True
                await asyncio.sleep(RETRY_AFTER)
            await asyncio.sleep(self.min_interval)

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


class Feeds:
    """Every live feed of this process, by ``(kind, round_key)``; fed by LiveHub's notices."""

    def __init__(self, builders: dict[str, Builder], min_interval: float = 0.1) -> None:
        self.builders = builders
        self.min_interval = min_interval
        self.feeds: dict[tuple[str, str], Feed] = {}
        self.closing = False

    def on_change(self, payload: str) -> None:
        round_key = payload.partition(":")[0]
        for (_kind, key), feed in list(self.feeds.items()):
            if payload == RESYNC or key == round_key:
                feed.invalidate()

    async def subscribe(self, kind: str, round_key: str) -> tuple[Feed, Subscriber] | None:
        """A new viewer of the feed, with the current snapshot; ``None`` if the round does not exist."""
        feed = self.feeds.get((kind, round_key))
        if feed is None:
            feed = self.feeds[(kind, round_key)] = Feed(round_key, self.builders[kind], self.min_interval)
            try:
                await feed.refresh()
            finally:
                if feed.text is None and not feed.subscribers:
                    self.feeds.pop((kind, round_key), None)
            if feed.text is None:
                return None
        subscriber = Subscriber(feed.frame)
        feed.subscribers.add(subscriber)
        if self.closing:
            subscriber.close()
        return feed, subscriber

    def unsubscribe(self, kind: str, feed: Feed, subscriber: Subscriber) -> None:
        feed.subscribers.discard(subscriber)
        if not feed.subscribers and self.feeds.get((kind, feed.round_key)) is feed:
            del self.feeds[(kind, feed.round_key)]
            feed.stop()

    async def snapshot(self, kind: str, round_key: str) -> str | None:
        """The current text (shared when the feed is live; built once otherwise)."""
        feed = self.feeds.get((kind, round_key))
        if feed is not None and feed.text is not None:
            return feed.text
        return await self.builders[kind](round_key)

    def close_streams(self) -> None:
        self.closing = True
        for feed in self.feeds.values():
            for subscriber in list(feed.subscribers):
                subscriber.close()

    async def stop(self) -> None:
        self.close_streams()
        for feed in self.feeds.values():
            feed.stop()
            if feed._task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await feed._task
        self.feeds.clear()
