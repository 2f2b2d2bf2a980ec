"""登录限流 — failed sign-ins counted in PostgreSQL, per attempted code, per client and per address, with
back-off (each further failure doubles the wait), never a hard lock of a shared address.

Every web process shares the one table (``web_login_throttle``, the web's own, never a read model), so a
guesser gains nothing by spreading attempts over processes. Only failures count. Time is the database's clock.

- **per code** (a keyed hash of the typed code): after a few failures the code waits, then twice as long
  after each further failure. A right code never fails, so this only slows someone hammering one code.
- **per client** (the browser: its sign-in session, named by a hash of the session's CSRF token): the
  same back-off. A person who mistypes waits a few seconds; a script that keeps its cookie waits longer
  and longer. A script that drops its cookie starts a new client each time and meets the address's limit.
- **per address** (a venue is one NAT address: 2,000 tablets behind one Wi-Fi): never refuses anyone.
  Beyond a generous number of failures its *failed* answers are held back (at most ``TARPIT`` seconds
  each), so a serial guesser slows down, while a right code from the same address signs in at once.

Brute force is hopeless anyway: codes are 10 characters of 31 (31¹⁰ ≈ 8·10¹⁴), a round issues a few
thousand. A key's count starts again ``window`` after its first failure.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from web.platform.database import ReadModels

TABLE = """
CREATE TABLE IF NOT EXISTS web_login_throttle (
    key            text PRIMARY KEY,
    failures       integer NOT NULL,
    window_started timestamptz NOT NULL,
    locked_until   timestamptz
)
"""

FAIL = """
INSERT INTO web_login_throttle AS t (key, failures, window_started, locked_until)
VALUES ($1, 1, now(), CASE WHEN 1 > $3::int THEN now() + least($5::interval, $4::interval) END)
ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN t.window_started < now() - $2::interval THEN 1 ELSE t.failures + 1 END,
    window_started = CASE WHEN t.window_started < now() - $2::interval THEN now() ELSE t.window_started END,
    locked_until = CASE WHEN t.window_started < now() - $2::interval THEN
            CASE WHEN 1 > $3::int THEN now() + least($5::interval, $4::interval) END
        WHEN t.failures + 1 > $3::int THEN
            now() + least($5::interval, $4::interval * power(2, least(t.failures - $3::int, 30)))
        END
"""
"""One more failure for a key: ``failures`` beyond ``free`` ($3) wait ``first`` ($4) · 2^(failures − free − 1),
at most ``longest`` ($5); a count older than ``window`` ($2) starts again."""

TARPIT = 2.0
"""The longest an address's failed answer is held back, in seconds."""


@dataclass(frozen=True)
class BackOff:
    """``free`` failures within ``window`` cost nothing; the next waits ``first``, each further one twice
    as long as the one before, never more than ``longest``."""

    free: int
    first: timedelta
    longest: timedelta
    window: timedelta

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failures (what the SQL computes, for docs and tests)."""
        if failures <= self.free:
            return 0.0
        doubled: float = self.first.total_seconds() * 2.0 ** min(failures - self.free - 1, 30)
        return min(self.longest.total_seconds(), doubled)


@dataclass(frozen=True)
class ThrottlePolicy:
    by_code: BackOff = field(
        default=BackOff(3, timedelta(seconds=30), timedelta(minutes=15), timedelta(hours=1))
    )
    by_client: BackOff = field(
        default=BackOff(5, timedelta(seconds=2), timedelta(minutes=5), timedelta(hours=1))
    )
    by_address: BackOff = field(
        default=BackOff(200, timedelta(seconds=0.25), timedelta(seconds=TARPIT), timedelta(minutes=10))
    )


@dataclass(frozen=True)
class AttemptKeys:
    """The throttle's names for one attempt: ``code:``, ``client:`` (both may refuse) and ``ip:`` (never does)."""

    code: str
    client: str
    address: str


def client_name(csrf: str) -> str:
    """A browser's sign-in session, named without its token (a hash: the table never holds the token)."""
    return hashlib.sha256(b"sign-in client:" + csrf.encode()).hexdigest()[:32]


class LoginThrottle:
    def __init__(self, reads: ReadModels, policy: ThrottlePolicy | None = None) -> None:
        self.reads = reads
        self.policy = policy or ThrottlePolicy()

    async def create_table(self) -> None:
        """At start-up (several processes may start at once: ``ReadModels.create_own_table``)."""
        await self.reads.create_own_table(
            "web_login_throttle",
            TABLE,
            "DELETE FROM web_login_throttle WHERE window_started < now() - interval '1 day'",
        )

    def keys(self, address: str, code_digest: str, client: str) -> AttemptKeys:
        return AttemptKeys(f"code:{code_digest}", f"client:{client}", f"ip:{address}")

    def limits(self, keys: AttemptKeys) -> dict[str, BackOff]:
        return {
            keys.code: self.policy.by_code,
            keys.client: self.policy.by_client,
            keys.address: self.policy.by_address,
        }

    async def wait_for(self, keys: AttemptKeys) -> int:
        """Seconds until this code and this client may try again (0: now). The address never waits."""
        seconds = await self.reads.fetchval(
            "SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int FROM web_login_throttle "
            "WHERE key = ANY($1::text[]) AND locked_until > now()",
            [keys.code, keys.client],
        )
        return int(seconds or 0)

    async def failed(self, keys: AttemptKeys) -> float:
        """One more failure for each key; returns how long to hold back this failed answer (the address's
        back-off, at most ``TARPIT`` seconds)."""
        rows = [(key, lim.window, lim.free, lim.first, lim.longest) for key, lim in self.limits(keys).items()]
        async with self.reads.pool.acquire() as conn:
            await conn.executemany(FAIL, rows)
            held = await conn.fetchval(
                "SELECT extract(epoch FROM locked_until - now()) FROM web_login_throttle "
                "WHERE key = $1 AND locked_until > now()",
                keys.address,
            )
        return min(TARPIT, float(held or 0.0))

    async def succeeded(self, keys: AttemptKeys) -> None:
        """A right code clears its own count and its client's; the address keeps its count (others share it)."""
        await self.reads.execute(
            "DELETE FROM web_login_throttle WHERE key = ANY($1::text[])", [keys.code, keys.client]
        )
