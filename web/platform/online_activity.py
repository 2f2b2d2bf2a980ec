"""网络评议的异常情况 — who signed in online from where, kept for the organiser's report of unusual patterns
(many sign-ins or phone verifications from one address or one phone prefix in a short time).

The web's own table (``web_online_activity``, like the sign-in throttle's: never a read model, never in the
event log), shared by every web process. A sign-in's row holds the address, the phone's first 7 digits (a
number segment: carrier and area), the online identity (its keyed hash, never the number or the code) and the
minute. **A ballot's row holds no identity**: only the address and the minute, counted. The identity is what
the organiser voids a batch by (``EvaluationApp.void_online_voters``); were ballots recorded with it, the
order of these rows beside the log's order of online ballots would link an identity to its ballot.

Rows older than ``KEPT`` are deleted when new ones are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone

from web.platform.database import ReadModels

KEPT = timedelta(days=60)
WINDOW = timedelta(minutes=10)
CHINA = timezone(timedelta(hours=8))
UNUSUAL = 20
"""Sign-ins (or ballots) from one address, or verifications from one phone prefix, within ``WINDOW``."""

TABLE = """
CREATE TABLE IF NOT EXISTS web_online_activity (
    at           timestamptz NOT NULL,
    round_key    text NOT NULL,
    kind         text NOT NULL,
    address      text NOT NULL,
    phone_prefix text NOT NULL,
    identity     text NOT NULL
);
CREATE INDEX IF NOT EXISTS web_online_activity_round ON web_online_activity (round_key, at)
"""
RECORD = """
INSERT INTO web_online_activity (at, round_key, kind, address, phone_prefix, identity)
VALUES (date_trunc('minute', now()), $1, $2, $3, $4, $5)
"""
FORGET = "DELETE FROM web_online_activity WHERE at < now() - $1::interval"
REPORT = """
SELECT by_what, key, window_start, count(*) AS acts, count(DISTINCT identity) FILTER (WHERE identity <> '') AS people,
       array_agg(DISTINCT identity) FILTER (WHERE identity <> '') AS identities
FROM (
    SELECT 'address' AS by_what, address AS key, kind, identity,
           to_timestamp(floor(extract(epoch FROM at) / $2) * $2) AS window_start
    FROM web_online_activity WHERE round_key = $1
    UNION ALL
    SELECT 'phone_prefix', phone_prefix, kind, identity,
           to_timestamp(floor(extract(epoch FROM at) / $2) * $2)
    FROM web_online_activity WHERE round_key = $1 AND phone_prefix <> ''
) acts
GROUP BY by_what, key, window_start, kind = 'ballot'
HAVING count(*) >= $3
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
        return not self.identities


class OnlineActivity:
    def __init__(self, reads: ReadModels) -> None:
        self.reads = reads

    async def create_table(self) -> None:
        await self.reads.execute(TABLE)

    async def signed_in(
        self, round_key: str, kind: str, address: str, identity: str, phone: str = ""
    ) -> None:
        await self.reads.execute(RECORD, round_key, kind, address, phone[:7], identity)
        await self.reads.execute(FORGET, KEPT)

    async def ballot(self, round_key: str, address: str) -> None:
        await self.reads.execute(RECORD, round_key, "ballot", address, "", "")

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
    """The process's recorder, its table made at the first use."""
    found = getattr(state, "online_activity", None)
    if found is None:
        found = OnlineActivity(state.reads)  # type: ignore[attr-defined]
        await found.create_table()
        state.online_activity = found  # type: ignore[attr-defined]
    return found
