"""Exactly once: double taps, two devices with one credential, and a ballot racing the close of its window."""

from __future__ import annotations

import threading
from uuid import UUID

from evaluation.application import EvaluationApp
from evaluation.ballot import Ballot
from evaluation.errors import WindowNotOpen
from evaluation.voting import Receipt
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


def ballots_in_store(app: EvaluationApp, aggregate: str = "Ballot") -> dict[UUID, list[str]]:
    """Each ``aggregate`` (a hall ``Ballot``, or an ``OnlineBallot``) in the store, its events' names in order."""
    found: dict[UUID, list[str]] = {}
    for n in app.recorder.select_notifications(start=1, limit=100_000):
        if f":{aggregate}." in n.topic:
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
