"""共享节奏 — token buckets kept in PostgreSQL, shared by every web process (``web_rate_buckets``, the web's own
table like the sign-in throttle's: never a read model, never in the event log).

A limit kept in each process's memory (web/platform/buckets.py) is W times weaker behind a load balancer
spreading requests over W processes, and a restart forgets it. These buckets live in one table on the
primary, so ``sanmin run --workers N`` or several machines share each limit exactly, and a restarted process
still knows it. Used by the online channel (web/public/online_pace.py).

A bucket is one row: ``full_at``, the moment it will be full again (GCRA, the generic cell-rate algorithm: a
bucket of ``burst`` that refills one token every ``T`` = 60 s / ``per_minute`` holds
``burst − max(0, full_at − now) / T`` tokens). A take is **one statement** (``TAKE``) that decides in SQL:
there is a token when ``full_at ≤ now + (burst − 1)·T``, and taking it moves ``full_at`` to
``max(full_at, now) + T``. The insert-or-update locks the key's row, so two processes' takes of the last
token are one after the other and only the first finds it (tests/web/test_shared_buckets.py). A refusal
answers 429 ``too_many_submissions`` with ``Retry-After``: the seconds until a token is back.

The takes that arrive in a process while its last statement runs go together in the next
(web/platform/together.py): ``TAKE`` over an array of keys, one statement per limit's pace. Each key's row
is still taken under its lock, a key asked several times in one batch goes into successive statements (its
first request first), and the keys of one statement are locked in their sorted order, so two processes'
statements never wait for each other in a circle.

Keys are keyed hashes (HMAC with the platform's secret) of the limit's name and its key: the table holds no
phone number, address or online identity. The table is ``UNLOGGED`` (no WAL: a take costs no disk flush; a
crash of PostgreSQL, or a failover to the standby, empties it — every bucket full again, which is what a
bucket forgotten means). A row whose bucket is full again says nothing a missing row does not, so such rows
are deleted at start-up and by each process at most once every ``PRUNE_SECONDS``, after a take.

Time is the database's clock, the same for every process.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta
from math import ceil

from web.platform.buckets import Pace
from web.platform.database import ReadModels
from web.platform.errors import TooManySubmissions
from web.platform.together import Together

TABLE = """
CREATE UNLOGGED TABLE IF NOT EXISTS web_rate_buckets (
    key      text PRIMARY KEY,
    full_at  timestamptz NOT NULL,
    admitted boolean NOT NULL
)
"""
"""The one declaration of the buckets' table. ``admitted``: whether the row's last take found a token."""

TAKE = """
INSERT INTO web_rate_buckets AS b (key, full_at, admitted)
SELECT k, now() + $3::interval, true FROM unnest($1::text[]) AS u(k) ORDER BY k
ON CONFLICT (key) DO UPDATE SET
    admitted = b.full_at <= now() + $2::interval,
    full_at = CASE WHEN b.full_at <= now() + $2::interval
        THEN greatest(b.full_at, now()) + $3::interval ELSE b.full_at END
RETURNING key, admitted, extract(epoch FROM full_at - now() - $2::interval)::float8 AS wait
"""
"""One take for each of the keys ``$1`` (no key twice), all of one pace: ``$2`` = (burst − 1)·T, ``$3`` = T.
``wait``: when refused, the seconds until a token is back. (Every SET expression reads the row as it was
before this take.)"""

PRUNE = "DELETE FROM web_rate_buckets WHERE full_at < now()"
PRUNE_SECONDS = 60.0


class RateBuckets:
    """The table and its statements, on the primary's pool (``app.state.rate_buckets``)."""

    def __init__(self, reads: ReadModels, secret: bytes) -> None:
        self.reads = reads
        self.secret = secret
        self.pruned = time.monotonic()
        self.together: Together[tuple[str, Pace], float | None] = Together(self._take_all)

    async def create_table(self) -> None:
        """At start-up (several processes may start at once: ``ReadModels.create_own_table``)."""
        await self.reads.create_own_table("web_rate_buckets", TABLE, PRUNE)

    def limit(self, name: str, pace: Pace) -> SharedBuckets:
        """One limit (``name`` keeps its buckets apart from other limits' with the same key)."""
        return SharedBuckets(self, name, pace)

    def hashed(self, name: str, key: tuple[str, ...]) -> str:
        message = "\x1f".join(("rate-bucket", name, *key)).encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()[:40]

    async def take(self, key: str, pace: Pace) -> float | None:
        """None when a token was taken, else the seconds until the next one. Goes with the other takes
        waiting in this process into the next statement."""
        return await self.together((key, pace))

    async def _take_all(self, takes: list[tuple[str, Pace]]) -> list[float | None]:
        """Each take's answer, in order: one statement per pace and per repeat of a key (a key's second
        take in the batch goes in the statement after its first's)."""
        statements: dict[tuple[int, Pace], dict[str, int]] = {}
        repeats: dict[tuple[str, Pace], int] = {}
        for index, (key, pace) in enumerate(takes):
            repeat = repeats[key, pace] = repeats.get((key, pace), -1) + 1
            statements.setdefault((repeat, pace), {})[key] = index
        waits: list[float | None] = [None] * len(takes)
        async with self.reads.pool.acquire() as conn:
            for (_, pace), keys in sorted(statements.items(), key=lambda s: s[0][0]):
                interval = 60.0 / pace.per_minute
                tolerance = timedelta(seconds=interval * (pace.burst - 1))
                rows = await conn.fetch(TAKE, list(keys), tolerance, timedelta(seconds=interval))
                assert len(rows) == len(keys)  # a row for each key, inserted or updated
                for row in rows:
                    waits[keys[row["key"]]] = None if row["admitted"] else float(row["wait"])
            if time.monotonic() - self.pruned > PRUNE_SECONDS:
                self.pruned = time.monotonic()
                await conn.execute(PRUNE)
        return waits


class SharedBuckets:
    """A limit with a bucket per key: ``burst`` at once, then ``per_minute``."""

    def __init__(self, table: RateBuckets, name: str, pace: Pace) -> None:
        self.table = table
        self.name = name
        self.pace = pace

    async def take(self, *key: str) -> None:
        """One request for ``key``, or ``TooManySubmissions`` saying how many seconds until the next."""
        wait = await self.table.take(self.table.hashed(self.name, key), self.pace)
        if wait is not None:
            raise TooManySubmissions(seconds=max(1, ceil(wait)))
