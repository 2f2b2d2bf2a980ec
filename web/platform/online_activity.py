"""网络评议的异常情况 — who signed in online from where, kept for the organiser's report of unusual patterns
(many sign-ins or phone verifications from one address or one phone prefix in a short time).

The web's own table (``web_online_activity``, like the sign-in throttle's: never a read model, never in the
event log), shared by every web process. A sign-in's row holds the address, the phone's first 7 digits (a
number segment: carrier and area), the online identity (its keyed hash, never the number or the code) and the
minute. **Ballots leave no row of their own**: each web process counts them per address and 10-minute window in
memory, and an address's count is written in steps of ``NOTED`` (at its 10th, 20th, … ballot in a window),
as a count (``web_online_ballot_counts``): the report shows a lower bound, in tens, and the ballot's path
meets the database once in ten of an address's ballots, not each time. A row per ballot — even without the
identity — would, in insertion order beside the log's order of online ballots, give each ballot its address, and the sign-ins' rows that
address's identity. A count of 10 or more from one address mixes that many ballots. The identity is what the
organiser voids a batch by (``EvaluationApp.void_online_voters``).

Rows older than ``KEPT`` are deleted when new ones are written, at most once every ``FORGET_EVERY`` per process
(a delete per ballot scanned the counts' table on the ballot's path). The counts written while a process's
last one is being written go together in the next statement (web/platform/together.py).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta, timezone

from web.platform.database import ReadModels
from web.platform.together import Together

KEPT = timedelta(days=60)
WINDOW = timedelta(minutes=10)
CHINA = timezone(timedelta(hours=8))
UNUSUAL = 20
"""Sign-ins (or ballots) from one address, or verifications from one phone prefix, within ``WINDOW``."""
NOTED = 10
"""Ballots from one address within a window (in one web process) before the address's count is written."""
FORGET_EVERY = 60.0
"""Seconds between one process's deletions of rows older than ``KEPT``."""

TABLE = """
CREATE TABLE IF NOT EXISTS web_online_activity (
    at           timestamptz NOT NULL,
    round_key    text NOT NULL,
    kind         text NOT NULL,
    address      text NOT NULL,
    phone_prefix text NOT NULL,
    identity     text NOT NULL
);
CREATE INDEX IF NOT EXISTS web_online_activity_round ON web_online_activity (round_key, at);
CREATE TABLE IF NOT EXISTS web_online_ballot_counts (
    round_key    text NOT NULL,
    address      text NOT NULL,
    window_start timestamptz NOT NULL,
    ballots      integer NOT NULL,
    PRIMARY KEY (round_key, address, window_start)
)
"""
COUNT = """
INSERT INTO web_online_ballot_counts AS c (round_key, address, window_start, ballots)
SELECT r, a, to_timestamp(floor(extract(epoch FROM now()) / $3) * $3), n
FROM unnest($1::text[], $2::text[], $4::int[]) AS u(r, a, n) ORDER BY r, a
ON CONFLICT (round_key, address, window_start) DO UPDATE SET ballots = c.ballots + excluded.ballots
"""
"""Adds ``$4`` ballots to each (round ``$1``, address ``$2``)'s count of the current window (no pair twice;
locked in their sorted order, so two processes' statements never wait for each other in a circle)."""
RECORD = """
INSERT INTO web_online_activity (at, round_key, kind, address, phone_prefix, identity)
VALUES (date_trunc('minute', now()), $1, $2, $3, $4, $5)
"""
FORGET = "DELETE FROM web_online_activity WHERE at < now() - $1::interval"
FORGET_COUNTS = "DELETE FROM web_online_ballot_counts WHERE window_start < now() - $1::interval"
REPORT = """
SELECT by_what, key, window_start, count(*)::int AS acts, count(DISTINCT identity)::int AS people,
       array_agg(DISTINCT identity) AS identities
FROM (
    SELECT 'address' AS by_what, address AS key, identity,
           to_timestamp(floor(extract(epoch FROM at) / $2) * $2) AS window_start
    FROM web_online_activity WHERE round_key = $1
    UNION ALL
    SELECT 'phone_prefix', phone_prefix, identity, to_timestamp(floor(extract(epoch FROM at) / $2) * $2)
    FROM web_online_activity WHERE round_key = $1 AND phone_prefix <> ''
) acts
GROUP BY by_what, key, window_start
HAVING count(*) >= $3
UNION ALL
SELECT 'ballots', address, window_start, ballots, 0, NULL
FROM web_online_ballot_counts WHERE round_key = $1 AND ballots >= $3
ORDER BY window_start DESC, acts DESC
"""


@dataclass(frozen=True)
class Unusual:
    """One batch: many acts from one address (or one phone prefix) within one window."""

    by_what: str
    key: str
    window_start: str
    acts: int
    people: int
    identities: tuple[str, ...]

    @property
    def ballots(self) -> bool:
        """A batch of ballots (counted only: no identity to void by)."""
        return self.by_what == "ballots"


class OnlineActivity:
    def __init__(self, reads: ReadModels) -> None:
        self.reads = reads
        self.counts: dict[tuple[str, str], int] = {}
        """(round, address) → ballots counted in this process in ``window``, the current one."""
        self.window = -1
        self.forgotten = float("-inf")
        self.together: Together[tuple[str, str], None] = Together(self._count_all)

    async def create_table(self) -> None:
        """At the first use (several processes and requests may come at once: ``ReadModels.create_own_table``)."""
        await self.reads.create_own_table("web_online_activity", TABLE)

    async def signed_in(
        self, round_key: str, kind: str, address: str, identity: str, phone: str = ""
    ) -> None:
        await self.reads.execute(RECORD, round_key, kind, address, phone[:7], identity)
        await self._forget_old()

    async def ballot(self, round_key: str, address: str) -> None:
        """One more ballot from ``address``: written (as a count) at every ``NOTED``-th of the window."""
        seconds = WINDOW.total_seconds()
        window = int(time.time() // seconds)
        if window != self.window:
            self.window, self.counts = window, {}
        key = (round_key, address)
        counted = self.counts[key] = self.counts.get(key, 0) + 1
        if counted % NOTED == 0:
            await self.together(key)

    async def _count_all(self, noted: list[tuple[str, str]]) -> list[None]:
        """``NOTED`` more ballots for each (round, address) in ``noted``, in one statement."""
        counts = Counter(noted)
        rounds, addresses = zip(*counts, strict=True)
        ballots = [NOTED * n for n in counts.values()]
        await self.reads.execute(COUNT, list(rounds), list(addresses), WINDOW.total_seconds(), ballots)
        await self._forget_old()
        return [None] * len(noted)

    async def _forget_old(self) -> None:
        """Rows older than ``KEPT`` go, at most once every ``FORGET_EVERY`` in a process."""
        if time.monotonic() - self.forgotten < FORGET_EVERY:
            return
        self.forgotten = time.monotonic()
        await self.reads.execute(FORGET, KEPT)
        await self.reads.execute(FORGET_COUNTS, KEPT)

    async def unusual(self, round_key: str, threshold: int = UNUSUAL) -> list[Unusual]:
        rows = await self.reads.fetch(REPORT, round_key, WINDOW.total_seconds(), threshold)
        return [
            Unusual(
                r["by_what"],
                r["key"],
                r["window_start"].astimezone(CHINA).strftime("%Y-%m-%d %H:%M"),
                r["acts"],
                r["people"],
                tuple(r["identities"] or ()),
            )
            for r in rows
        ]


async def online_activity(state: object) -> OnlineActivity:
    """The process's recorder, its table made at the first use (once: the requests arriving meanwhile wait
    for that one creation)."""
    making: asyncio.Task[OnlineActivity] | None = getattr(state, "online_activity", None)
    if making is not None and making.done() and not making.cancelled() and making.exception() is None:
        return making.result()  # every request after the first: no waiting to arrange
    if making is None:
        making = asyncio.ensure_future(_made(OnlineActivity(state.reads)))  # type: ignore[attr-defined]
        state.online_activity = making  # type: ignore[attr-defined]
    try:
        return await asyncio.shield(making)
    except Exception:
        if getattr(state, "online_activity", None) is making:
            state.online_activity = None  # type: ignore[attr-defined]  # the next request tries again
        raise


async def _made(activity: OnlineActivity) -> OnlineActivity:
    await activity.create_table()
    return activity
