"""Exactly once: double taps, two devices with one credential, and a ballot racing the close of its window."""

from __future__ import annotations

import threading
from uuid import UUID

import pytest

from evaluation.application import EvaluationApp
from evaluation.ballot import Ballot
from evaluation.errors import WindowNotOpen
from evaluation.voting import Receipt
from storage.settings import Settings
from storage.verify import verify_events
from tests.conftest import ORGANISER, SmallRound


def race(*calls: object) -> list[object]:
    """Runs the calls at the same moment in threads; returns each result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int, call: object) -> None:
        barrier.wait()
        try:
            results[i] = call()  # type: ignore[operator]
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[i] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def ballots_in_store(app: EvaluationApp) -> dict[UUID, list[str]]:
    found: dict[UUID, list[str]] = {}
    for n in app.recorder.select_notifications(start=1, limit=100_000):
        if ":Ballot." in n.topic:
            found.setdefault(n.originator_id, []).append(n.topic.rsplit(".", 1)[1])  # type: ignore[arg-type]
    return found


def test_two_devices_with_one_credential_racing_leave_one_ballot(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window(small_round.key, "fgw", by=ORGANISER)
    results = race(
        *[
            (lambda i=i: app.cast_ballot(small_round.alice, "fgw", f"device-{i:04d}", "satisfied"))
            for i in range(6)
        ]
    )
    assert all(isinstance(r, Receipt) for r in results)
    stored = ballots_in_store(app)
    assert len(stored) == 1
    assert sorted(stored[next(iter(stored))]) == ["Amended"] * 5 + ["Cast"]


def test_a_double_tap_with_one_client_id_records_one_version(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window(small_round.key, "fgw", by=ORGANISER)
    results = race(*[(lambda: app.cast_ballot(small_round.alice, "fgw", "double-tap-1", "satisfied"))] * 4)
    codes = {r.code for r in results if isinstance(r, Receipt)}
    assert len(codes) == 1
    assert list(ballots_in_store(app).values()) == [["Cast"]]


def test_a_ballot_racing_the_close_is_either_acknowledged_before_the_close_or_refused(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window(small_round.key, "fgw", by=ORGANISER)
    reps = [small_round.alice, small_round.bob]
    for i in range(6):
        reps.append(
            app.register_representative(small_round.key, f"代表{i}", "resident", "main", "s1", by=ORGANISER)[
                0
            ]
        )
    for i in range(8):
        calls = [
            (lambda r=r, j=j, i=i: app.cast_ballot(r, "fgw", f"race-{i}-{j}-xx", "fairly_satisfied"))
            for j, r in enumerate(reps)
        ]
        results = race(*calls, lambda: app.close_window(small_round.key, "fgw", by=ORGANISER))
        close_position = max(
            n.id
            for n in app.recorder.select_notifications(start=1, limit=100_000)
            if n.topic.endswith("ScoringWindow.Closed")
        )
        for result in results[:-1]:
            if isinstance(result, Receipt) and not result.resent:
                assert result.position < close_position
            else:
                assert isinstance(result, WindowNotOpen)
        app.reopen_window(small_round.key, "fgw", by=ORGANISER, reason=f"第 {i} 次测试")
    acknowledged = [b for b in ballots_in_store(app)]
    assert all(isinstance(app.repository.get(b), Ballot) for b in acknowledged)


def test_a_batch_of_ballots_is_answered_one_by_one_in_order(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    from evaluation.errors import NotInSitting
    from evaluation.voting import CastRequest

    app.open_window(small_round.key, "fgw", by=ORGANISER)
    first = app.cast_ballot(small_round.bob, "fgw", "earlier-01", "satisfied")
    answers = app.cast_ballots(
        [
            CastRequest(small_round.alice, "fgw", "batch-0001", "satisfied"),
            CastRequest(small_round.alice, "fgw", "batch-0002", "dissatisfied"),
            CastRequest(small_round.carol, "fgw", "batch-0003", "satisfied"),
            CastRequest(small_round.bob, "fgw", "earlier-01", "satisfied"),
            CastRequest(small_round.bob, "swj", "batch-0004", "bogus"),
        ]
    )
    assert isinstance(answers[0], Receipt) and isinstance(answers[1], Receipt)
    assert answers[0].ballot_id == answers[1].ballot_id and answers[0].position == answers[1].position
    assert isinstance(answers[2], NotInSitting)
    assert isinstance(answers[3], Receipt) and answers[3].resent and answers[3].code == first.code
    assert not isinstance(answers[4], Receipt) and answers[4].code == "invalid_choice"
    ballot = app.repository.get(answers[0].ballot_id)
    assert ballot.choice == "dissatisfied" and ballot.version == 2


def test_a_batch_racing_the_close_is_redone_and_refused_as_a_whole(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    from evaluation.voting import CastRequest

    app.open_window(small_round.key, "fgw", by=ORGANISER)
    for i in range(10):
        results = race(
            lambda i=i: app.cast_ballots(
                [
                    CastRequest(small_round.alice, "fgw", f"batch-a-{i:03d}", "satisfied"),
                    CastRequest(small_round.bob, "fgw", f"batch-b-{i:03d}", "satisfied"),
                ]
            ),
            lambda: app.close_window(small_round.key, "fgw", by=ORGANISER),
        )
        close_position = max(
            n.id
            for n in app.recorder.select_notifications(start=1, limit=100_000)
            if n.topic.endswith("ScoringWindow.Closed")
        )
        for answer in results[0]:  # type: ignore[union-attr]
            assert (isinstance(answer, Receipt) and answer.position < close_position) or isinstance(
                answer, WindowNotOpen
            )
        app.reopen_window(small_round.key, "fgw", by=ORGANISER, reason=f"第 {i} 轮")


def test_a_batch_checked_while_the_window_was_open_but_saved_after_it_closed_is_refused_and_leaves_no_trace(
    app: EvaluationApp, small_round: SmallRound, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evaluation.voting import CastRequest

    app.open_window(small_round.key, "fgw", by=ORGANISER)
    app.cast_ballot(small_round.alice, "fgw", "before-close", "satisfied")
    read_for = app._read_for

    def read_then_close(requests: list[CastRequest]) -> dict[object, object]:
        reads = read_for(requests)  # the batch is checked against these: the window still open
        if (window := app.window(small_round.key, "fgw")) is not None and window.is_open:
            app.close_window(small_round.key, "fgw", by=ORGANISER)
        return reads

    monkeypatch.setattr(app, "_read_for", read_then_close)
    answers = app.cast_ballots(
        [
            CastRequest(small_round.alice, "fgw", "late-0001", "satisfied"),
            CastRequest(small_round.bob, "fgw", "late-0002", "dissatisfied"),
        ]
    )
    assert [type(a) for a in answers] == [WindowNotOpen, WindowNotOpen]
    assert list(ballots_in_store(app).values()) == [["Cast"]]  # alice's, from before the close
    checked, findings = verify_events(app, settings)
    assert findings == [] and checked == len(app.recorder.select_notifications(start=1, limit=100_000))


def test_a_ballot_kept_by_one_writer_is_brought_up_to_date_with_another_writers_amendment(
    app: EvaluationApp, small_round: SmallRound, settings: Settings
) -> None:
    from evaluation.voting import CastRequest
    from storage.bootstrap import build_app

    app.open_window(small_round.key, "fgw", by=ORGANISER)
    # kept in the writer's memory after its save
    app.cast_ballots([CastRequest(small_round.alice, "fgw", "writer-a-01", "satisfied")])
    other = build_app(settings)  # a second web process's writer
    try:
        other.cast_ballots([CastRequest(small_round.alice, "fgw", "writer-b-01", "dissatisfied")])
    finally:
        other.close()
    resent, amended = app.cast_ballots(
        [
            CastRequest(small_round.alice, "fgw", "writer-b-01", "dissatisfied"),  # the other's, resent here
            CastRequest(small_round.alice, "fgw", "writer-a-02", "fairly_satisfied"),
        ]
    )
    assert isinstance(resent, Receipt) and resent.resent
    assert isinstance(amended, Receipt) and not amended.resent
    assert list(ballots_in_store(app).values()) == [["Cast", "Amended", "Amended"]]
    ballot = app.find(Ballot, amended.ballot_id)
    assert ballot is not None and ballot.choice == "fairly_satisfied"


def test_a_ballot_whose_save_failed_is_read_again_not_taken_from_the_writers_memory(
    app: EvaluationApp, small_round: SmallRound, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evaluation.voting import CastRequest
    from storage.bootstrap import build_app

    app.open_window(small_round.key, "fgw", by=ORGANISER)
    app.cast_ballots([CastRequest(small_round.alice, "fgw", "kept-0001", "satisfied")])
    other = build_app(settings)
    read_for = app._read_for

    def read_then_race(requests: list[CastRequest]) -> dict[object, object]:
        reads = read_for(requests)  # alice's kept ballot, at its first version
        if requests[0].client_id == "racing-01":  # another writer saves the second version meanwhile
            other.cast_ballots([CastRequest(small_round.alice, "fgw", "other-0001", "dissatisfied")])
        return reads

    monkeypatch.setattr(app, "_read_for", read_then_race)
    try:
        (first,) = app.cast_ballots([CastRequest(small_round.alice, "fgw", "racing-01", "fairly_satisfied")])
    finally:
        other.close()
    assert isinstance(first, Receipt)  # its batch's save conflicted, and it was redone alone
    (again,) = app.cast_ballots([CastRequest(small_round.alice, "fgw", "after-001", "basically_satisfied")])
    assert isinstance(again, Receipt)
    assert list(ballots_in_store(app).values()) == [["Cast", "Amended", "Amended", "Amended"]]
    ballot = app.find(Ballot, again.ballot_id)
    assert ballot is not None and ballot.choice == "basically_satisfied"
    assert set(ballot.receipts) == {"kept-0001", "other-0001", "racing-01", "after-001"}
