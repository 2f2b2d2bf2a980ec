"""登录限流 — failed sign-ins counted in PostgreSQL, per client address and per attempted code.

Every web process shares the one table (``web_login_throttle``, the web's own, never a read model), so a
guesser gains nothing by spreading attempts over processes. Only failures count: a venue's 2,000 tablets
behind one Wi-Fi address all sign in successfully, so the per-address limit is generous; brute force is
hopeless anyway (codes are 10 characters of 31). The per-code limit is tight. Time is the database's clock.
"""

from __future__ import annotations

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
VALUES ($1, 1, now(), CASE WHEN $3::int <= 1 THEN now() + $4::interval END)
ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN t.window_started < now() - $2::interval THEN 1 ELSE t.failures + 1 END,
    window_started = CASE WHEN t.window_started < now() - $2::interval THEN now() ELSE t.window_started END,
    locked_until = CASE
        WHEN (CASE WHEN t.window_started < now() - $2::interval THEN 1 ELSE t.failures + 1 END) >= $3::int THEN now() + $4::interval
        ELSE t.locked_until END
"""


@dataclass(frozen=True)
class Limit:
    """``failures`` within ``window`` lock the key for ``lockout``."""

    failures: int
    window: timedelta
    lockout: timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    by_address: Limit = field(default=Limit(200, timedelta(minutes=10), timedelta(minutes=10)))
    by_code: Limit = field(default=Limit(5, timedelta(minutes=15), timedelta(minutes=15)))


class LoginThrottle:
    def __init__(self, reads: ReadModels, policy: ThrottlePolicy | None = None) -> None:
        self.reads = reads
        self.policy = policy or ThrottlePolicy()

    async def create_table(self) -> None:
        """At start-up; several processes may start at once, so one at a time under an advisory lock."""
        async with self.reads.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('web_login_throttle'))")
            await conn.execute(TABLE)
            await conn.execute(
                "DELETE FROM web_login_throttle WHERE window_started < now() - interval '1 day'"
            )

    def keys(self, address: str, code_digest: str) -> dict[str, Limit]:
        return {f"ip:{address}": self.policy.by_address, f"code:{code_digest}": self.policy.by_code}

    async def locked_for(self, keys: dict[str, Limit]) -> int:
        """Seconds until every key may try again (0: not locked)."""
        seconds = await self.reads.fetchval(
            "SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int FROM web_login_throttle "
            "WHERE key = ANY($1::text[]) AND locked_until > now()",
            list(keys),
        )
        return int(seconds or 0)

    async def failed(self, keys: dict[str, Limit]) -> None:
        """One more failure for each key; a key reaching its limit is locked."""
        rows = [(key, lim.window, lim.failures, lim.lockout) for key, lim in keys.items()]
        async with self.reads.pool.acquire() as conn:
            await conn.executemany(FAIL, rows)

    async def succeeded(self, keys: dict[str, Limit]) -> None:
        """A right code clears its own count; the address keeps its count (others share the address)."""
        codes = [k for k in keys if k.startswith("code:")]
        await self.reads.execute("DELETE FROM web_login_throttle WHERE key = ANY($1::text[])", codes)
