"""一并处理 — the requests of a web process that arrive while its last statement runs go together in the next.

An online ballot takes its shared rate-limit token (web/platform/shared_buckets.py) and sometimes writes its
address's count (web/platform/online_activity.py) in PostgreSQL. One statement each, with its own pool
connection, round trip and the pool's reset of the connection after it, was at thousands of ballots a second
the largest part of the web process's time per online ballot after HTTP itself (py-spy: about a third of
the event loop's samples). ``Together`` gives each request its own answer from a statement that served every
request waiting at once: the first request starts the work, whatever arrives while a statement runs waits
for the next, so the busier the process, the bigger the statements (the ballot box's group commit,
intake/ballot_box.py). A failed statement is the failure of each request it served.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from intake.answering import answer_each

In = TypeVar("In")
Out = TypeVar("Out")


class Together(Generic[In, Out]):
    """``await together(item)``: ``item``'s answer from ``work``, which answers a list of items in order."""

    def __init__(self, work: Callable[[list[In]], Awaitable[list[Out]]]) -> None:
        self.work = work
        self.waiting: list[tuple[In, asyncio.Future[Out]]] = []
        self.running: asyncio.Task[None] | None = None

    async def __call__(self, item: In) -> Out:
        answer: asyncio.Future[Out] = asyncio.get_running_loop().create_future()
        self.waiting.append((item, answer))
        if self.running is None:
            self.running = asyncio.create_task(self._run())
        return await answer

    async def _run(self) -> None:
        """Until none is waiting: everything waiting, at once."""
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                await answer_each(batch, self.work)
        finally:
            self.running = None
