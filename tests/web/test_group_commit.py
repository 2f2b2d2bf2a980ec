"""Group commit: ballots arriving together are saved together, and each request gets its own answer."""

from __future__ import annotations

import asyncio

import pytest

from evaluation.application import EvaluationApp, Receipt
from evaluation.errors import NotInSitting
from evaluation.voting import CastRequest
from tests.conftest import ORGANISER, SmallRound
from web.group_commit import BallotBox


async def test_concurrent_ballots_are_committed_in_few_transactions_and_each_is_answered(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    reps = [small_round.alice, small_round.bob]
    for i in range(30):
        reps.append(
            app.register_representative("r2026", f"代表{i}", "resident", "main", "s1", by=ORGANISER)[0]
        )
    box = BallotBox(app, writers=1)
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


async def test_a_refused_ballot_in_a_batch_is_refused_alone(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    box = BallotBox(app, writers=1)
    try:
        good, bad = await asyncio.gather(
            box.cast(CastRequest(small_round.alice, "fgw", "group-good-1", "satisfied")),
            box.cast(CastRequest(small_round.carol, "fgw", "group-bad-01", "satisfied")),
            return_exceptions=True,
        )
    finally:
        await box.close()
    assert isinstance(good, Receipt)
    assert isinstance(bad, NotInSitting)
    with pytest.raises(NotInSitting):
        raise bad
