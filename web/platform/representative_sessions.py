"""代表会话 — a representative's session kept server-side, so that it can be taken back.

A representative's sign-in opens a row in ``web_representative_sessions`` (the web's own table, shared by
every web process, never a read model); the signed cookie carries only its random id (``sid``) beside the
role, and ``RepresentativeSessionGuard`` clears a cookie whose row is over: the request goes on as a visitor
not signed in (401 ``not_signed_in`` on the API, /login for a page, and the tablet clears itself). A session
is over once it is ended —

- 交还平板 / sign-out (``handback``);
- 补卡, a printed new card, or the card revoked (``replaced``, ``revoked``);
- 散会: the organiser closed the last open window of the representative's sitting (``sitting_over``);
- 结束会话 by the organiser or the check-in desk from the roster, for a tablet that was lost (``desk``) —

or after ``IDLE`` without a request (``idle``).

Every representative request but the ballot asks the database. The ballot path asks a per-process cache in
the web process, and the ballot writer asks the database once per batch (storage/representative_sessions.py):
so a ballot sent after an end committed is always refused, and the web's cache only spares the writer the
ballots of sessions it already knows to be over. An end commits the row and a NOTIFY on ``CHANNEL`` in one
transaction, and every process's LISTEN connection (web/platform/live.py) marks the session over as the notice
arrives; the ending request answers once its own process has heard the notice back. While a process's LISTEN
connection is down, or after it reconnected (notices may have been missed), its cached answers are asked
again. The sessions a process served are touched (``last_seen``) together every ``TOUCH_SECONDS``, in one
statement that also tells which of them ended meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from storage.representative_sessions import IDLE, LIVE_WHERE, TABLE
from web.platform.database import ReadModels
from web.platform.errors import DATABASE_GONE, on_database_unavailable

TOUCH_SECONDS = 30.0
STALE_SECONDS = 300.0
"""A cached answer not confirmed by a touch for this long is asked again (a session quiet in this process)."""
HEARD_SECONDS = 1.0
CHANNEL = "sanmin_sessions"
ALL = "*"
REMEMBERED = 50_000
REPRESENTATIVE = "representative"

log = logging.getLogger(__name__)

START = (
    "INSERT INTO web_representative_sessions (session_id, representative_id, round_key) VALUES ($1, $2, $3)"
)
LIVE = f"SELECT {LIVE_WHERE} FROM web_representative_sessions WHERE session_id = $1"
TOUCH = (
    f"UPDATE web_representative_sessions SET last_seen = now() WHERE session_id = ANY($1) AND {LIVE_WHERE} "
    "RETURNING session_id"
)
ENDED = "ended_at = now(), ended_by = $2, ended_why = $3"
END_ONE = f"UPDATE web_representative_sessions SET {ENDED} WHERE session_id = $1 AND ended_at IS NULL RETURNING session_id"
END_OF = (
    f"UPDATE web_representative_sessions SET {ENDED} WHERE representative_id = ANY($1) AND ended_at IS NULL "
    "RETURNING session_id"
)
END_SITTING = f"""
UPDATE web_representative_sessions s SET {ENDED}
FROM representatives_view r
WHERE r.representative_id = s.representative_id AND r.round_key = $1 AND r.sitting = $4 AND s.ended_at IS NULL
RETURNING s.session_id
"""
"""散会: the sessions of the sitting's representatives (their sitting as the roster's view has it)."""
SIGNED_IN = (
    "SELECT DISTINCT representative_id FROM web_representative_sessions "
    "WHERE representative_id = ANY($1) AND ended_at IS NULL AND last_seen > now() - $2::interval"
)


@dataclass
class Known:
    live: bool
    checked: float
    """When the database last said so (``time.monotonic``)."""


class RepresentativeSessions:
    def __init__(self, reads: ReadModels, channel: str, idle: timedelta = IDLE) -> None:
        self.reads = reads
        self.idle = idle
        self.channel = channel
        """``CHANNEL`` as the store's schema names it (``Settings.channel``)."""
        self.known: dict[str, Known] = {}
        self.served: set[str] = set()
        self.listening: Callable[[], bool] = lambda: False
        """Whether this process's LISTEN connection is up (set by ``attach``)."""
        self.heard: dict[str, asyncio.Event] = {}
        self._toucher: asyncio.Task[None] | None = None

    async def create_table(self) -> None:
        await self.reads.create_own_table("web_representative_sessions", TABLE)

    def attach(self, listening: Callable[[], bool]) -> None:
        """Starts the touches; ``listening`` says whether the notices of ends can be trusted to arrive."""
        self.listening = listening
        self._toucher = asyncio.create_task(self._touch_forever(), name="representative-sessions")

    async def stop(self) -> None:
        if self._toucher is not None:
            self._toucher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._toucher

    async def start(self, representative: str, round_key: str) -> str:
        sid = secrets.token_urlsafe(24)
        await self.reads.execute(START, sid, UUID(representative), round_key)
        self._remember(sid, Known(True, time.monotonic()))
        return sid

    async def live(self, sid: str, cached: bool) -> bool:
        """Whether the session may go on: from this process's cache when ``cached`` (the ballot path) and
        the cache can be trusted, from the database otherwise."""
        known = self.known.get(sid)
        now = time.monotonic()
        trusted = known is not None and (
            not known.live or (cached and now - known.checked < STALE_SECONDS and self.listening())
        )
        if not trusted:
            live = bool(await self.reads.fetchval(LIVE, sid, self.idle))
            known = self._remember(sid, Known(live, now))
        assert known is not None
        if known.live:
            self.served.add(sid)
        return known.live

    async def end(self, sid: str, by: str, why: str) -> int:
        """交还平板: this one session."""
        return await self._end(END_ONE, [sid, by, why])

    async def end_of(self, representatives: Iterable[UUID], by: str, why: str) -> int:
        """Every session of these representatives (补卡, card revoked, 结束会话 at the desk)."""
        return await self._end(END_OF, [list(representatives), by, why])

    async def end_sitting(self, round_key: str, sitting: str, by: str) -> int:
        """散会: every session of the sitting's representatives."""
        return await self._end(END_SITTING, [round_key, by, "sitting_over", sitting])

    async def signed_in(self, representatives: list[UUID]) -> set[UUID]:
        """Which of these representatives have a session going on (the roster's 结束会话 button)."""
        return {row[0] for row in await self.reads.fetch(SIGNED_IN, representatives, self.idle)}

    async def _end(self, statement: str, args: list[object]) -> int:
        """Ends the sessions ``statement`` picks and NOTIFYs their ids in the same transaction; answers
        once this process's own LISTEN connection heard the notice (at most ``HEARD_SECONDS``)."""
        nonce = secrets.token_hex(8)
        heard = self.heard[nonce] = asyncio.Event()
        try:
            async with self.reads.pool.acquire() as conn, conn.transaction():
                ended = [row[0] for row in await conn.fetch(statement, *args)]
                if not ended:
                    return 0
                listed = ",".join(ended)
                await conn.execute(
                    "SELECT pg_notify($1, $2)",
                    self.channel,
                    f"{nonce}:{listed if len(listed) < 7000 else ALL}",
                )
            for sid in ended:
                self._remember(sid, Known(False, time.monotonic()))
            if self.listening():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(heard.wait(), HEARD_SECONDS)
            return len(ended)
        finally:
            self.heard.pop(nonce, None)

    def on_notice(self, payload: str) -> None:
        """A notice of ended sessions (from any process, this one included)."""
        nonce, _, listed = payload.partition(":")
        if listed == ALL:
            self.distrust()
        else:
            now = time.monotonic()
            for sid in listed.split(","):
                if sid:
                    self._remember(sid, Known(False, now))
        if (heard := self.heard.get(nonce)) is not None:
            heard.set()

    def distrust(self) -> None:
        """Notices may have been missed (the LISTEN connection came back): ask the database again."""
        for known in self.known.values():
            if known.live:
                known.checked = float("-inf")

    def _remember(self, sid: str, known: Known) -> Known:
        """An ended session never lives again: an answer read before its end but arriving after the notice
        does not bring it back."""
        if (old := self.known.get(sid)) is not None and not old.live:
            return old
        if len(self.known) >= REMEMBERED and sid not in self.known:
            self.known.clear()
        self.known[sid] = known
        return known

    async def touch(self) -> None:
        """``last_seen`` of the sessions served since the last touch, in one statement; those it does not
        find live ended meanwhile (a notice missed) and are over here too."""
        served, self.served = self.served, set()
        if not served:
            return
        live = {row[0] for row in await self.reads.fetch(TOUCH, list(served), self.idle)}
        now = time.monotonic()
        for sid in served:
            self._remember(sid, Known(sid in live, now))

    async def _touch_forever(self) -> None:
        while True:
            await asyncio.sleep(TOUCH_SECONDS)
            try:
                await self.touch()
            except Exception:  # noqa: BLE001 - the database away: the next round tries again
                log.warning("touching the representatives' sessions failed", exc_info=True)


class RepresentativeSessionGuard:
    """Pure ASGI middleware inside the cookie sessions: a representative's session whose row is over (or
    that carries none: signed before sessions were kept) is cleared, and the request goes on as a visitor
    not signed in. ``POST /api/ballots`` asks the process's cache; every other request the database."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = scope.get("session")
        if session and session.get("role") == REPRESENTATIVE:
            sid = session.get("sid")
            sessions: RepresentativeSessions | None = getattr(
                scope["app"].state, "representative_sessions", None
            )
            cached = scope.get("method") == "POST" and scope.get("path") == "/api/ballots"
            try:
                over = not isinstance(sid, str) or (
                    sessions is not None and not await sessions.live(sid, cached)
                )
            except DATABASE_GONE as gone:  # 503: the tablet sends again, as for any request then
                answer = await on_database_unavailable(Request(scope, receive), gone)
                await answer(scope, receive, send)
                return
            if over:
                session.clear()
        await self.app(scope, receive, send)
