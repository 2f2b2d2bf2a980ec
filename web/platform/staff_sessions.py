"""工作人员会话 — staff sessions kept server-side: listed per account, ended by the person or an administrator
("退出全部登录"), ended when the account's code is replaced or it is disabled, and over after ``IDLE`` without
a request.

The signed cookie (web/platform/sessions.py) carries the session's random id (``sid``); ``StaffSessionGuard``
checks it against ``web_staff_sessions`` (the web's own table, like the throttle's: never a read model) and
clears the cookie's session when the row is ended or idle. Only staff sessions carry a ``sid``: a tablet's
request (no ``sid``) costs one dictionary look-up here, so ``POST /api/ballots`` is not slowed. A staff
session's answer is cached for ``CACHE_SECONDS`` per process: an ended session may serve that much longer in
another web process, never more.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from web.platform.database import ReadModels
from web.platform.security import DEPARTMENT, ORGANISER
from web.platform.shared_codes import SharedCodes

IDLE = timedelta(minutes=30)
"""A staff session with no request for this long is over (the person signs in again)."""
CACHE_SECONDS = 2.0
TOUCH_SECONDS = 60.0
"""``last_seen`` is written at most this often per session (a console polls and streams)."""

TABLE = """
CREATE TABLE IF NOT EXISTS web_staff_sessions (
    session_id  text PRIMARY KEY,
    account_id  text NOT NULL,
    role        text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz,
    ended_by    text,
    address     text NOT NULL DEFAULT '',
    agent       text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS web_staff_sessions_account ON web_staff_sessions (account_id, started_at DESC)
"""
"""The one declaration of the sessions table."""

START = "INSERT INTO web_staff_sessions (session_id, account_id, role, address, agent) VALUES ($1, $2, $3, $4, $5)"
LIVE = "SELECT ended_at IS NULL AND last_seen > now() - $2::interval FROM web_staff_sessions WHERE session_id = $1"
TOUCH = "UPDATE web_staff_sessions SET last_seen = now() WHERE session_id = $1 AND ended_at IS NULL"
END_ONE = (
    "UPDATE web_staff_sessions SET ended_at = now(), ended_by = $2 WHERE session_id = $1 AND ended_at IS NULL"
)
END_ALL = (
    "UPDATE web_staff_sessions SET ended_at = now(), ended_by = $2 WHERE account_id = $1 AND ended_at IS NULL"
)
LIST = """
SELECT session_id, started_at, last_seen, ended_at, ended_by, address, agent,
       ended_at IS NULL AND last_seen > now() - $2::interval AS live
FROM web_staff_sessions WHERE account_id = $1 ORDER BY started_at DESC LIMIT 50
"""


@dataclass
class Known:
    live: bool
    checked: float
    touched: float


class StaffSessions:
    def __init__(self, reads: ReadModels, idle: timedelta = IDLE) -> None:
        self.reads = reads
        self.idle = idle
        self.known: dict[str, Known] = {}

    async def create_table(self) -> None:
        await self.reads.create_own_table("web_staff_sessions", TABLE)

    async def start(self, account: str, role: str, address: str, agent: str) -> str:
        sid = secrets.token_urlsafe(24)
        await self.reads.execute(START, sid, account, role, address[:100], agent[:200])
        now = time.monotonic()
        self.known[sid] = Known(True, now, now)
        return sid

    async def live(self, sid: str) -> bool:
        """Whether the session may go on (cached ``CACHE_SECONDS``); a live one's ``last_seen`` is kept fresh."""
        now = time.monotonic()
        known = self.known.get(sid)
        if known is None or now - known.checked > CACHE_SECONDS:
            live = bool(await self.reads.fetchval(LIVE, sid, self.idle))
            known = self.known[sid] = Known(live, now, known.touched if known else 0.0)
            if len(self.known) > 10_000:
                self.known.clear()
        if known.live and now - known.touched > TOUCH_SECONDS:
            known.touched = now
            await self.reads.execute(TOUCH, sid)
        return known.live

    async def end(self, sid: str, by: str) -> None:
        await self.reads.execute(END_ONE, sid, by)
        self.known.pop(sid, None)

    async def end_all(self, account: str, by: str) -> None:
        """退出全部登录: every session of the account, in every process (within ``CACHE_SECONDS``)."""
        await self.reads.execute(END_ALL, account, by)
        self.known.clear()

    async def of_account(self, account: str) -> list[Any]:
        return await self.reads.fetch(LIST, account, self.idle)


class StaffSessionGuard:
    """Pure ASGI middleware inside the cookie sessions: a staff session whose row is ended or idle, or a
    session of a retired shared code (a round's organiser code, a department's: ``shared_codes.py``), is
    cleared (the request goes on as a visitor not signed in)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = scope.get("session")
        if session and session.get("account"):
            sid = session.get("sid")
            sessions: StaffSessions | None = getattr(scope["app"].state, "staff_sessions", None)
            if not sid or (sessions is not None and not await sessions.live(str(sid))):
                session.clear()
        elif session and session.get("role") in (
            ORGANISER,
            DEPARTMENT,
        ):  # a round's or department's shared code
            codes: SharedCodes | None = getattr(scope["app"].state, "shared_codes", None)
            department = str(session.get("subject") or "") if session["role"] == DEPARTMENT else ""
            if codes is not None and await codes.retired(str(session.get("round") or ""), department):
                session.clear()
        await self.app(scope, receive, send)
