"""备库读取 — the public read path served by a PostgreSQL streaming hot standby, never staler than the last notice.

With ``DATABASE_REPLICA_URL`` set, ``app.state.public_reads`` is a ``StandbyReads``: the projector's and the
tablets' live feeds, the public pages and the department portal read the read models from the standby,
so the primary is left to the ballots and the projection. Everything else (the organiser's pages, sign-in,
sessions) keeps reading ``app.state.reads`` on the primary.

Freshness. NOTIFY does not reach a standby: the notices still come from the primary (web/platform/live.py).
Each notice marks the target stale; the next read asks the primary for its flushed WAL position
(``pg_current_wal_flush_lsn()``: at or past the end of the projection's commit that NOTIFYed, since a notice
is delivered only after that commit, and the commits that NOTIFY wait for their flush — the incremental
projection's always, the bulk rebuild's last one by ``SET LOCAL synchronous_commit = on``; the insert
position would not do, an idle primary may leave its last record unflushed for good) and reads the standby
only once its ``pg_last_wal_replay_lsn()`` has reached it — waiting up to ``WAIT`` seconds — else reads the primary. A page
or snapshot built after a notice therefore never shows data older than that notice.

Failure. A standby that refuses connections, drops one, or cancels a query (a recovery conflict) costs
the request nothing: the same work runs again on the primary, and the standby is left alone for
``REST`` seconds before it is tried again; so is a standby that did not catch up within ``WAIT``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg

from storage.settings import Settings
from web.platform.database import ReadModels, codecs

T = TypeVar("T")
WAIT = 1.0
"""Seconds a read waits for the standby to replay the last notice's position before it reads the primary."""
POLL = 0.01
REST = 2.0
"""Seconds a failed standby, or one more than ``WAIT`` behind, is left alone (its reads go to the primary)
before it is tried again."""
PRIMARY_POSITION = "SELECT (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint"
REPLAYED = "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint"
"""NULL on a server that is not in recovery: then it is as fresh as it gets."""
TROUBLE = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError)
"""What a standby going away raises (a connection it closed is caught by asyncpg in any of these states)."""

log = logging.getLogger(__name__)


class StandbyReads(ReadModels):
    """Reads from the standby pool when it is fresh enough, from ``primary`` otherwise; writes never here."""

    def __init__(self, standby: asyncpg.Pool, primary: ReadModels) -> None:
        super().__init__(standby)
        self.primary = primary
        self.target = 0
        """The primary's WAL position the standby must have replayed (the last notice's)."""
        self.replayed = 0
        """The standby's replay position last seen (it only moves forward)."""
        self.stale = True
        """Set by each notice (and at start): the next read asks the primary for its position."""
        self.resting_until = 0.0
        self.served = {"standby": 0, "primary": 0}
        """How many reads each side served (for tests and the benchmarks)."""
        self._asking = asyncio.Lock()

    @classmethod
    async def open(cls, settings: Settings, primary: ReadModels, size: int = 10) -> StandbyReads:
        pool = await asyncpg.create_pool(
            settings.replica_url,
            min_size=0,  # the standby may be down at start: its reads then go to the primary
            max_size=size,
            timeout=2,
            server_settings={"search_path": settings.schema},
            init=codecs,
        )
        return cls(pool, primary)

    def on_change(self, _payload: str) -> None:
        """A notice from the primary (LiveHub.watch): reads from now on need what it announced."""
        self.stale = True  # RESYNC too: notices may have been missed, the standby must catch up to now

    async def run(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        if time.monotonic() >= self.resting_until:
            try:
                async with self.pool.acquire() as conn:
                    if await self._fresh(conn):
                        result = await work(conn)
                        self.served["standby"] += 1
                        return result
                    # more than WAIT behind: the reads meanwhile go straight to the primary, not each waiting
                    self.resting_until = time.monotonic() + REST
            except TROUBLE as failure:
                log.warning("standby read failed (%r): reading the primary", failure)
                if not isinstance(failure, asyncpg.PostgresError) or _connection_lost(failure):
                    self.resting_until = time.monotonic() + REST
        self.served["primary"] += 1
        return await self.primary.run(work)

    async def execute(self, query: str, *args: Any) -> str:
        """Writes go to the primary: a standby is read-only."""
        return await self.primary.execute(query, *args)

    async def _fresh(self, conn: asyncpg.Connection) -> bool:
        """The standby has replayed the last notice's position, or does within ``WAIT`` seconds."""
        target = await self._target()
        if self.replayed >= target:
            return True
        deadline = time.monotonic() + WAIT
        while True:
            replayed = await conn.fetchval(REPLAYED)
            if replayed is None:  # not a standby at all: nothing to wait for
                return True
            self.replayed = max(self.replayed, int(replayed))
            if self.replayed >= target:
                return True
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(POLL)

    async def _target(self) -> int:
        """The primary's position as of after the last notice (asked once per notice, shared by the reads
        waiting meanwhile; a notice arriving during the question makes the next read ask again)."""
        if self.stale:
            async with self._asking:
                if self.stale:
                    self.stale = False
                    try:
                        position = await self.primary.fetchval(PRIMARY_POSITION)
                    except BaseException:
                        self.stale = True
                        raise
                    self.target = max(self.target, int(position))
        return self.target

    async def close(self) -> None:
        await self.pool.close()


def _connection_lost(failure: asyncpg.PostgresError) -> bool:
    """Class 08 (connection exception) and 57 (operator intervention: shutdown, recovery conflict)."""
    code = str(getattr(failure, "sqlstate", "") or "")
    return code.startswith(("08", "57"))


async def public_reads(settings: Settings, primary: ReadModels) -> ReadModels:
    """The read path of the public pages: the standby's when one is configured, else the primary's."""
    if not settings.replica_url:
        return primary
    return await StandbyReads.open(settings, primary)
