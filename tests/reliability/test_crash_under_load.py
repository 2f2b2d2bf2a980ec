"""Crashes under load: the real server and projection on a PostgreSQL of their own, with
hundreds of tablets casting and amending ballots over HTTP while the web server is killed (SIGKILL), the
projection process is killed (SIGKILL) and PostgreSQL is restarted — one fault after another.

The harness (scripts/bench/faults.py) runs once for the module; each test states one promise of the
platform and checks it after every fault.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from scripts.bench.faults import FAULTS, Options, Outcome, harness


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    folder = tmp_path_factory.mktemp("faults")
    with ThreadPoolExecutor(max_workers=1) as thread:  # an event loop of its own, apart from the tests' loop
        yield thread.submit(asyncio.run, harness(folder, Options(tablets=200))).result()


def test_every_fault_was_injected_while_tablets_were_casting(outcome: Outcome) -> None:
    assert [phase.fault for phase in outcome.phases] == list(FAULTS)
    assert all(phase.first_ack_after is not None for phase in outcome.phases)
    assert outcome.ledger.connection_errors + outcome.ledger.server_errors + outcome.ledger.timeouts > 0


def test_no_process_died_that_the_harness_did_not_kill(outcome: Outcome) -> None:
    assert [phase.exited for phase in outcome.phases] == [[], [], []]


def test_every_ballot_sent_was_acknowledged_in_the_end_and_none_refused(outcome: Outcome) -> None:
    ledger = outcome.ledger
    assert ledger.acknowledged == ledger.sent > 0
    assert ledger.abandoned == 0
    assert ledger.refused == 0, ledger.refusals


def test_tablets_that_got_an_error_or_no_answer_were_counted_once_after_retrying(outcome: Outcome) -> None:
    assert outcome.ledger.answered_after_retries > 0
    for phase in outcome.phases:
        assert phase.counted.double_counted == 0, phase.counted.problems[:5]


def test_no_acknowledged_ballot_is_lost_after_any_fault(outcome: Outcome) -> None:
    for phase in outcome.phases:
        assert phase.counted.caught_up, phase.fault
        assert phase.counted.lost == 0, (phase.fault, phase.counted.problems[:5])


def test_the_last_acknowledged_choice_is_the_counted_one_for_every_representative_and_department(
    outcome: Outcome,
) -> None:
    for phase in outcome.phases:
        assert phase.counted.final_not_counted == 0, (phase.fault, phase.counted.problems[:5])


def test_the_events_hold_exactly_the_acknowledged_ballot_versions(outcome: Outcome) -> None:
    assert outcome.phases[-1].counted.ballot_events == outcome.ledger.acknowledged


def test_after_each_fault_the_read_models_equal_a_clean_rebuild_and_the_recount_agrees(
    outcome: Outcome,
) -> None:
    for phase in outcome.phases:
        assert phase.rebuilt.equal, (phase.fault, phase.rebuilt.differing)
        assert phase.rebuilt.recount == 0, phase.fault
        assert phase.rebuilt.rows > 0
