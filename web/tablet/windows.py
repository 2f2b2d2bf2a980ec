"""评分窗口推送 — the live feed behind ``GET /r/events``: the state of every window of the round, and whether the
evaluation is over (``over``: the results locked) and its results ``published``, one snapshot per change
(web/platform/feeds.py), the same bytes to every tablet of the round: an open page learns that the evaluation
ended without a reload."""

from __future__ import annotations

import json
from typing import Any

from asyncpg import Connection, Record

from web.platform.database import ReadModels
from web.platform.feeds import Builder
from web.platform.windows import window_state
from web.tablet.reads import ROUND_STAGE, WINDOWS

KIND = "windows"


async def windows_status(reads: ReadModels, round_key: str) -> dict[str, Any] | None:
    """For tablets: the state of every window of the round, and the round's stage (nothing else)."""

    async def read(conn: Connection) -> tuple[Record, list[Record]] | None:
        stage = await conn.fetchrow(ROUND_STAGE, round_key)
        if stage is None:
            return None
        return stage, await conn.fetch(WINDOWS, round_key)

    found = await reads.run(read)
    if found is None:
        return None
    stage, rows = found
    return {
        "round": round_key,
        "windows": {r["department"]: window_state(r) for r in rows},
        "over": stage["locked"],
        "published": stage["published"],
    }


def builders(reads: ReadModels) -> dict[str, Builder]:
    """The tablets' feed (web/platform/feeds.py)."""

    async def windows(round_key: str) -> str | None:
        status = await windows_status(reads, round_key)
        return None if status is None else json.dumps(status, ensure_ascii=False, separators=(",", ":"))

    return {KIND: windows}
