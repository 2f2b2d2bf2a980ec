"""The ballot writer: a web process's ballots are checked and saved in a child process, with the same answers."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
from collections.abc import AsyncIterator

import pytest

from evaluation.application import EvaluationApp, Receipt
from evaluation.errors import NotInSitting, WindowNotOpen
from evaluation.voting import CastRequest
from intake.ballot_writer import BallotWriter
from intake.busy import Busy
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound


def test_a_refusal_crosses_processes_with_its_code_facts_and_message() -> None:
    refusal = pickle.loads(pickle.dumps(WindowNotOpen(department="市发改委")))
    assert isinstance(refusal, WindowNotOpen)
    assert refusal.code == "window_closed" and refusal.facts == {"department": "市发改委"}
    assert refusal.message == str(refusal) == "「市发改委」的评分已结束或尚未开始"


@pytest.fixture
async def writer(settings: Settings) -> AsyncIterator[BallotWriter]:
    writer = BallotWriter(settings)
    yield writer
    await writer.close()


async def test_the_writer_answers_as_cast_ballots_does(
    writer: BallotWriter, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    cast = CastRequest(small_round.alice, "fgw", "writer-good-1", "satisfied")
    good, bad = await writer.cast_ballots(
        [cast, CastRequest(small_round.carol, "fgw", "writer-bad-01", "satisfied")]
    )
    assert isinstance(good, Receipt) and not good.resent
    assert isinstance(bad, NotInSitting) and bad.code == "not_in_sitting"
    [again] = await writer.cast_ballots([cast])
    assert isinstance(again, Receipt) and again.resent and again.code == good.code
    assert app.repository.get(good.ballot_id).choice == "satisfied"


async def test_batches_sent_before_any_answer_are_each_answered_with_their_own_answers(
    writer: BallotWriter, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    app.open_window("r2026", "swj", by=ORGANISER)
    await writer.cast_ballots([CastRequest(small_round.alice, "fgw", "writer-warm-2", "satisfied")])
    first, second, third = await asyncio.gather(
        writer.cast_ballots([CastRequest(small_round.bob, "fgw", "writer-many-1", "satisfied")]),
        writer.cast_ballots(
            [
                CastRequest(small_round.carol, "fgw", "writer-many-2", "satisfied"),
                CastRequest(small_round.alice, "swj", "writer-many-3", "dissatisfied"),
            ]
        ),
        writer.cast_ballots([CastRequest(small_round.bob, "fgw", "writer-many-1", "satisfied")]),
    )
    [bob] = first
    carol, alice = second
    [bob_again] = third
    assert isinstance(bob, Receipt) and bob.department == "fgw" and not bob.resent
    assert isinstance(carol, NotInSitting)
    assert isinstance(alice, Receipt) and alice.department == "swj"
    assert app.repository.get(alice.ballot_id).choice == "dissatisfied"
    assert isinstance(bob_again, Receipt) and bob_again.resent and bob_again.code == bob.code


async def test_a_writer_that_died_is_replaced_before_the_next_batch(
    writer: BallotWriter, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    first = CastRequest(small_round.alice, "fgw", "writer-dies-1", "satisfied")
    [receipt] = await writer.cast_ballots([first])
    assert writer.process is not None and writer.process.pid is not None
    dead = writer.process.pid
    os.kill(dead, signal.SIGKILL)
    await asyncio.to_thread(writer.process.join)
    [resent] = await writer.cast_ballots([first])
    assert isinstance(resent, Receipt) and resent.resent and resent.code == receipt.code
    assert writer.process is not None and writer.process.pid != dead


async def test_batches_whose_writer_dies_are_answered_busy_and_count_once_when_sent_again(
    writer: BallotWriter, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    await writer.cast_ballots([CastRequest(small_round.alice, "fgw", "writer-warm-1", "satisfied")])
    assert writer.process is not None and writer.process.pid is not None
    pid = writer.process.pid
    ballots = [
        CastRequest(small_round.bob, "fgw", "writer-dies-2", "fairly_satisfied"),
        CastRequest(small_round.alice, "fgw", "writer-dies-3", "dissatisfied"),
    ]
    os.kill(pid, signal.SIGSTOP)  # the batches wait in the socket, then the child dies holding them
    sent = [asyncio.ensure_future(writer.cast_ballots([ballot])) for ballot in ballots]
    while writer.link is None or len(writer.link.waiting) < len(ballots):  # both sent, none answered
        await asyncio.sleep(0.001)
    os.kill(pid, signal.SIGKILL)
    answers = await asyncio.gather(*sent, return_exceptions=True)
    assert all(isinstance(a, Busy) and a.code == "busy" for a in answers)
    first, again, amended = await writer.cast_ballots([ballots[0], ballots[0], ballots[1]])
    assert isinstance(first, Receipt) and isinstance(again, Receipt) and again.code == first.code
    assert isinstance(amended, Receipt) and not amended.resent
    ballot_events = [
        n for n in app.recorder.select_notifications(start=1, limit=10_000) if ":Ballot." in n.topic
    ]
    assert len(ballot_events) == 3  # Alice's cast and amendment, Bob's cast
