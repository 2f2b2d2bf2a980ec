"""成批入库 (group commit) — the ballots that arrive together are saved in one transaction.

Each web process has one ``BallotBox``. A request puts its ballot in the box and waits; the box takes
everything waiting (up to ``max_batch``) and sends it to its caster, the web process's ballot writer
(intake/ballot_writer.py), at once, without waiting for the answers to the batches sent before: the writer
saves every batch that arrived while its last transaction ran in one transaction (``IntakeApp.cast_ballots``,
each ballot checked by the same rules as alone), so the busier the hall, the bigger the transactions. Each
request is answered only after its ballot's commit.

The web process gives one ballot writer. It gave two until this was measured at the benchmark's
open-loop rate (1,385 ballots/s, 2,000 tablets, 3 interleaved pairs of runs): every transaction has a
fixed cost (its reads and its save, in the writer and in PostgreSQL), and two writers take the waiting
ballots in two smaller ones. One writer used less CPU per ballot (writer 325-329 us against 377-386,
PostgreSQL 169-170 against 185-194), and answered sooner (p99 128 / 304 / 148 ms against 254 / 422 /
351; freshness p99 254 / 244 / 259 ms against 415 / 625 / 550); the closed loop's rate was the same
(1,691-1,721 against 1,696-1,725/s). Several writers, or several web processes, saving side by side stay
safe: the store's version checks keep each ballot once. Nothing is kept across requests: a ballot
waiting in the box belongs to a request still open.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Protocol

from evaluation.application import Receipt
from evaluation.errors import EvaluationError
from intake.answering import answer_each
from intake.wire import BATCH_LIMIT, Request

Waiting = tuple[Request, asyncio.Future[Receipt]]


class Caster(Protocol):
    """The web process's ``BallotWriter`` (intake/ballot_writer.py): ``IntakeApp.cast_ballots``, awaited.
    Several batches may be waiting for their answers at once."""

    async def cast_ballots(self, requests: list[Request]) -> list[Receipt | EvaluationError]: ...


class BallotBox:
    def __init__(self, casters: Sequence[Caster], max_batch: int = BATCH_LIMIT) -> None:
        self.max_batch = max_batch
        self.queue: asyncio.Queue[Waiting] = asyncio.Queue()
        self.tasks = [asyncio.create_task(self._gather(caster)) for caster in casters]
        self.writing: set[asyncio.Task[None]] = set()

    async def cast(self, request: Request) -> Receipt:
        """Returns the receipt once the ballot is committed; raises the domain's refusal otherwise."""
        answer: asyncio.Future[Receipt] = asyncio.get_running_loop().create_future()
        await self.queue.put((request, answer))
        return await answer

    async def _gather(self, caster: Caster) -> None:
        """Sends what has arrived since the last batch went, without waiting for that one's answers."""
        while True:
            batch = [await self.queue.get()]
            while len(batch) < self.max_batch and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            task = asyncio.create_task(self._write(caster, batch))  # started in order: written in order
            self.writing.add(task)
            task.add_done_callback(self.writing.discard)

    async def _write(self, caster: Caster, batch: list[Waiting]) -> None:
        await answer_each(batch, caster.cast_ballots)

    async def close(self) -> None:
        for task in [*self.tasks, *self.writing]:
            task.cancel()
        for task in [*self.tasks, *self.writing]:
            with contextlib.suppress(asyncio.CancelledError):
                await task
