"""评分窗口推送 — the live feed behind ``GET /r/events``: the state of every window of the round, one snapshot
per change (web/platform/feeds.py), the same bytes to every tablet of the round."""

from __future__ import annotations

import json
from typing import Any

from asyncpg import Connection, Record

from web.platform.database import ReadModels
from web.platform.feeds import Builder
from web.platform.windows import window_state
from web.tablet.reads import ROUND_EXISTS, WINDOWS

KIND = "windows"


async def windows_status(reads: ReadModels, round_key: str) -> dict[str, Any] | None:
    """For tablets: the state of every window of the round (nothing else)."""

    async def read(conn: Connection) -> list[Record] | None:
        if not await conn.fetchval(ROUND_EXISTS, round_key):
            return None
        rows: list[Record] = await conn.fetch(WINDOWS, round_key)
        return rows

    rows = await reads.run(read)
    if rows is None:
        return None
    return {"round": round_key, "windows": {r["department"]: window_state(r) for r in rows}}


def builders(reads: ReadModels) -> dict[str, Builder]:
    """The tablets' feed (web/platform/feeds.py)."""

    async def windows(round_key: str) -> str | None:
        status = await windows_status(reads, round_key)
        return None if status is None else json.dumps(status, ensure_ascii=False, separators=(",", ":"))

    return {KIND: windows}
