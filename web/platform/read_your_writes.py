"""写后即读 — after a staff form's command, the page it leads to shows what the command did.

A staff form answers 303 to the page that shows the change (``forms.back``); that page reads the read models,
which the projection process writes a moment after the command's commit. Sent at once, the 303 brought the
organiser back to a page that still offered 「开始评分」 for the window just opened, or 「锁定结果」 for
results just locked. ``ReadYourWrites`` holds the 303 of a POST to a staff screen until the views include
every event recorded when the answer was ready, for at most ``WAIT`` seconds, and only while a projector
holds the views' lock (with none running, as during ``sanmin rebuild``, waiting would change nothing).

The tablets' and citizens' requests pass straight through: their pages are live (SSE) or JSON. One citizen's form
is like a staff form and waits too: the signer's rating on 「我的留名建议」 (``/opinions/mine/…/rate``), whose 303
returned them to the page before it held their rating, the form empty again as if none had been given.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from projections.audit import TRACKING_TABLE
from projections.event_log import APPLICATION_NAME
from projections.runner import lock_key

STAFF_SCREENS = ("/organiser", "/department", "/staff")
FORM_SCREENS = (*STAFF_SCREENS, "/opinions/mine/")
"""The paths whose POSTs answer 303 to a page that shows what they did: the staff screens and the signer's rating."""
WAIT = 2.0
"""Seconds a 303 waits at most for the projection (it usually needs a few milliseconds)."""
POLL = 0.02

PROJECTED = f"""
SELECT coalesce((SELECT max(notification_id) FROM {TRACKING_TABLE} WHERE application_name = $1), 0),
       EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
               AND classid = $2::bigint::oid AND objid = $3::bigint::oid
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
"""
"""How far the views are, and whether a projector is running (it holds ``projections.runner.lock_key``)."""


def written(events_table: str) -> str:
    """The position of the last event recorded (the event store's own table)."""
    return f'SELECT coalesce(max(notification_id), 0) FROM "{events_table}"'


class ReadYourWrites:
    """Pure ASGI middleware: a form's 303 (``FORM_SCREENS``) is sent once the views have caught up (at most
    ``WAIT``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith(FORM_SCREENS):
            await self.app(scope, receive, send)
            return

        async def send_when_seen(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 303:
                await caught_up(scope["app"].state)
            await send(message)

        await self.app(scope, receive, send_when_seen)


async def caught_up(state: Any) -> None:
    """Until the views include the last event recorded now, a projector stops running, or ``WAIT`` passes."""
    reads = getattr(state, "reads", None)
    if reads is None:
        return
    key = lock_key(state.settings.schema)
    lock = ((key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF)
    deadline = time.monotonic() + WAIT
    try:
        target = await reads.fetchval(written(state.commands.recorder.events_table_name))
        while True:
            row = await reads.fetchrow(PROJECTED, APPLICATION_NAME, *lock)
            if row is None or row[0] >= target or not row[1] or time.monotonic() >= deadline:
                return
            await asyncio.sleep(POLL)
    except asyncpg.UndefinedTableError:  # no projector has ever run on this store: nothing to wait for
        return
