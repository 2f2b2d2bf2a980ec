"""The ballots' counts per address (web/platform/online_activity.py): noted together, written together — the
counts that reach their step while one statement runs are written by the next, and add up as if alone."""

from __future__ import annotations

import asyncio

from evaluation.application import EvaluationApp
from storage.settings import Settings
from web.platform.database import ReadModels
from web.platform.online_activity import OnlineActivity


async def test_counts_noted_together_go_in_one_statement_and_add_up(
    settings: Settings, app: EvaluationApp
) -> None:
    reads = await ReadModels.connect(settings)
    try:
        activity = OnlineActivity(reads)
        await activity.create_table()
        batches: list[int] = []
        work = activity.together.work

        async def counted(noted: list[tuple[str, str]]) -> list[None]:
            batches.append(len(noted))
            return await work(noted)

        activity.together.work = counted  # type: ignore[method-assign]
        sent = [("a", 30), ("b", 20), ("c", 9)]
        await asyncio.gather(*(activity.ballot("r", address) for address, n in sent for _ in range(n)))
        assert batches == [5]  # a's 10th, 20th and 30th ballots and b's 10th and 20th: one statement
        await activity.ballot("r", "c")
        assert batches == [5, 1]
        rows = await reads.fetch("SELECT address, ballots FROM web_online_ballot_counts ORDER BY address")
        assert [(r["address"], r["ballots"]) for r in rows] == [("a", 30), ("b", 20), ("c", 10)]
    finally:
        await reads.close()
