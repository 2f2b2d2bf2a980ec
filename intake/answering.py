"""每个都有答复 — one statement served every request waiting: each waiting request gets its own answer.

Both group commits share it: the ballot box's batches of ballots (intake/ballot_box.py) and the web
process's batched statements for the shared limits (web/platform/together.py). A failure of the work is the
failure of each request it served; an answer that is a refusal is raised to its own request only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


async def answer_each(
    batch: Sequence[tuple[In, asyncio.Future[Out]]],
    work: Callable[[list[In]], Awaitable[Sequence[Out | Exception]]],
) -> None:
    """Gives each waiting future its item's answer from ``work``, which answers the items in order (a future
    already done, its request gone, is left as it is)."""
    try:
        answers = await work([item for item, _ in batch])
    except Exception as failure:  # noqa: BLE001 - every waiting request must hear of it
        for _, future in batch:
            if not future.done():
                future.set_exception(failure)
        return
    for (_, future), answer in zip(batch, answers, strict=True):
        if future.done():
            continue
        if isinstance(answer, Exception):
            future.set_exception(answer)
        else:
            future.set_result(answer)
