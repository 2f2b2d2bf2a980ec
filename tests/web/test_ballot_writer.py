"""The ballot writer: a web process's ballots are checked and saved in a child process, with the same answers."""

from __future__ import annotations

import os
import pickle
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from evaluation.application import EvaluationApp, Receipt
from evaluation.errors import NotInSitting, WindowNotOpen
from evaluation.voting import Busy, CastRequest
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from web.ballot_writer import BallotWriter


def test_a_refusal_crosses_processes_with_its_code_facts_and_message() -> None:
    refusal = pickle.loads(pickle.dumps(WindowNotOpen(department="市发改委")))
    assert isinstance(refusal, WindowNotOpen)
    assert refusal.code == "window_closed" and refusal.facts == {"department": "市发改委"}
    assert refusal.message == str(refusal) == "「市发改委」的评分已结束或尚未开始"


@pytest.fixture
def writer(settings: Settings) -> Iterator[BallotWriter]:
    writer = BallotWriter(settings)
    yield writer
    writer.close()


def test_the_writer_answers_as_cast_ballots_does(
    writer: BallotWriter, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    cast = CastRequest(small_round.alice, "fgw", "writer-good-1", "satisfied")
    good, bad = writer.cast_ballots(
        [cast, CastRequest(small_round.carol, "fgw", "writer-bad-01", "satisfied")]
    )
    assert isinstance(good, Receipt) and not good.resent
    assert isinstance(bad, NotInSitting) and bad.code == "not_in_sitting"
    [again] = writer.cast_ballots([cast])
    assert isinstance(again, Receipt) and again.resent and again.code == good.code
    assert app.repository.get(good.ballot_id).choice == "satisfied"


def test_a_writer_that_died_is_replaced_before_the_next_batch(
    writer: BallotWriter, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    first = CastRequest(small_round.alice, "fgw", "writer-dies-1", "satisfied")
    [receipt] = writer.cast_ballots([first])
    assert writer.process is not None and writer.process.pid is not None
    dead = writer.process.pid
    os.kill(dead, signal.SIGKILL)
    writer.process.join()
    [resent] = writer.cast_ballots([first])
    assert isinstance(resent, Receipt) and resent.resent and resent.code == receipt.code
    assert writer.process is not None and writer.process.pid != dead


def test_a_batch_whose_writer_dies_is_answered_busy_and_counts_once_when_sent_again(
    writer: BallotWriter, app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    writer.cast_ballots([CastRequest(small_round.alice, "fgw", "writer-warm-1", "satisfied")])
    assert writer.process is not None and writer.process.pid is not None
    pid = writer.process.pid
    ballot = CastRequest(small_round.bob, "fgw", "writer-dies-2", "fairly_satisfied")
    answers: list[object] = []

    def send() -> None:
        try:
            answers.append(writer.cast_ballots([ballot]))
        except Busy as busy:
            answers.append(busy)

    os.kill(pid, signal.SIGSTOP)  # the batch waits in the pipe, then the child dies holding it
    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(0.3)
    os.kill(pid, signal.SIGKILL)
    sender.join(timeout=30)
    assert len(answers) == 1 and isinstance(answers[0], Busy) and answers[0].status == 503
    [first, again] = writer.cast_ballots([ballot, ballot])
    assert isinstance(first, Receipt) and isinstance(again, Receipt) and again.code == first.code
    ballots = [n for n in app.recorder.select_notifications(start=1, limit=10_000) if ":Ballot." in n.topic]
    assert len(ballots) == 2
