"""Group commit: ballots arriving together are saved together, and each request gets its own answer."""

from __future__ import annotations

import asyncio
import threading
from uuid import UUID

from evaluation.application import Receipt
from evaluation.errors import EvaluationError, NotInSitting
from evaluation.voting import CastRequest
from intake.ballot_box import BallotBox
from intake.fast_app import IntakeApp
from tests.conftest import ORGANISER, SmallRound


class InThread:
    """``IntakeApp.cast_ballots`` as a caster, in a worker thread, one batch at a time (the ballot
    writer's child process is tested in test_ballot_writer.py)."""

    def __init__(self, app: IntakeApp) -> None:
        self.app = app
        self.one_at_a_time = asyncio.Lock()
        self.batches = 0

    async def cast_ballots(self, requests: list[CastRequest]) -> list[Receipt | EvaluationError]:
        async with self.one_at_a_time:
            self.batches += 1
            return await asyncio.to_thread(self.app.cast_ballots, requests)


def sitting_with_fgw_open(app: IntakeApp, small_round: SmallRound, more: int) -> list[UUID]:
    """Alice, Bob and ``more`` representatives of their sitting; fgw's window open."""
    app.open_window("r2026", "fgw", by=ORGANISER)
    reps = [small_round.alice, small_round.bob]
    for i in range(more):
        reps.append(
            app.register_representative("r2026", f"代表{i}", "resident", "main", "s1", by=ORGANISER)[0]
        )
    return reps


async def test_concurrent_ballots_are_committed_in_few_transactions_and_each_is_answered(
    app: IntakeApp, small_round: SmallRound
) -> None:
    reps = sitting_with_fgw_open(app, small_round, 30)
    box = BallotBox([InThread(app)])
    try:
        receipts = await asyncio.gather(
            *(box.cast(CastRequest(rep, "fgw", f"group-{i:04d}", "satisfied")) for i, rep in enumerate(reps))
        )
    finally:
        await box.close()
    assert all(isinstance(r, Receipt) and not r.resent for r in receipts)
    positions = {r.position for r in receipts}
    assert len(positions) < len(reps)
    ballots = [n for n in app.recorder.select_notifications(start=1, limit=10_000) if ":Ballot." in n.topic]
    assert len(ballots) == len(reps)


async def test_a_refused_ballot_in_a_batch_is_refused_alone(app: IntakeApp, small_round: SmallRound) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    box = BallotBox([InThread(app)])
    try:
        good, bad = await asyncio.gather(
            box.cast(CastRequest(small_round.alice, "fgw", "group-good-1", "satisfied")),
            box.cast(CastRequest(small_round.carol, "fgw", "group-bad-01", "satisfied")),
            return_exceptions=True,
        )
    finally:
        await box.close()
    assert isinstance(good, Receipt) and not good.resent
    assert isinstance(bad, NotInSitting) and bad.facts == {"department": "fgw"}
    ballots = [n for n in app.recorder.select_notifications(start=1, limit=10_000) if ":Ballot." in n.topic]
    assert len(ballots) == 1  # Alice's: Carol's refusal cost her batch nothing


class Overlapping(InThread):
    """A caster whose first batch waits until the other writer is in a batch too; ``started`` is set when
    either has taken its first batch."""

    def __init__(self, app: IntakeApp, both_busy: threading.Barrier, started: asyncio.Event) -> None:
        super().__init__(app)
        self.both_busy = both_busy
        self.started = started

    async def cast_ballots(self, requests: list[CastRequest]) -> list[Receipt | EvaluationError]:
        if self.batches == 0:
            self.batches += 1
            self.started.set()
            await asyncio.to_thread(self.both_busy.wait)
            return await asyncio.to_thread(self.app.cast_ballots, requests)
        return await super().cast_ballots(requests)


async def test_two_writers_save_batches_side_by_side_and_each_ballot_counts_once(
    app: IntakeApp, small_round: SmallRound
) -> None:
    reps = sitting_with_fgw_open(app, small_round, 20)
    both_busy, started = threading.Barrier(2, timeout=10), asyncio.Event()
    writers = [Overlapping(app, both_busy, started), Overlapping(app, both_busy, started)]
    box = BallotBox(writers)
    try:
        first = asyncio.ensure_future(box.cast(CastRequest(reps[0], "fgw", "side-0000", "satisfied")))
        await asyncio.wait_for(
            started.wait(), timeout=10
        )  # one writer holds this one; the other takes the rest
        rest = [box.cast(CastRequest(rep, "fgw", f"side-{i:04d}", "satisfied")) for i, rep in enumerate(reps)]
        receipts = await asyncio.gather(first, *rest)
    finally:
        await box.close()
    assert all(w.batches >= 1 for w in writers)
    once, again, *others = receipts
    assert sorted([once.resent, again.resent]) == [False, True] and once.code == again.code
    assert not any(r.resent for r in others)
    ballots = [n for n in app.recorder.select_notifications(start=1, limit=10_000) if ":Ballot." in n.topic]
    assert len(ballots) == len(reps)


class Held(InThread):
    """A caster that holds its first batch until a second one has been sent."""

    def __init__(self, app: IntakeApp) -> None:
        super().__init__(app)
        self.sent: list[list[CastRequest]] = []
        self.first_sent = asyncio.Event()
        self.second_sent = asyncio.Event()

    async def cast_ballots(self, requests: list[CastRequest]) -> list[Receipt | EvaluationError]:
        self.sent.append(requests)
        if len(self.sent) == 1:
            self.first_sent.set()
            await asyncio.wait_for(self.second_sent.wait(), timeout=10)
        else:
            self.second_sent.set()
        return await super().cast_ballots(requests)


async def test_the_next_batch_is_sent_while_the_one_before_is_still_being_written(
    app: IntakeApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    caster = Held(app)
    box = BallotBox([caster])
    try:
        first = asyncio.ensure_future(
            box.cast(CastRequest(small_round.alice, "fgw", "held-0001", "satisfied"))
        )
        await asyncio.wait_for(caster.first_sent.wait(), timeout=10)
        second = await box.cast(CastRequest(small_round.bob, "fgw", "held-0002", "satisfied"))
        assert isinstance(await first, Receipt) and isinstance(second, Receipt)
    finally:
        await box.close()
    assert [len(batch) for batch in caster.sent] == [1, 1]
