"""The ballot writer's application: batches saved in one transaction, each ballot answered as if cast
alone, and what it keeps between batches read as of the store."""

from __future__ import annotations

import pytest

from evaluation.application import EvaluationApp
from evaluation.ballot import Ballot
from evaluation.errors import CredentialRevoked, InvalidInput, NotInSitting, WindowNotOpen
from evaluation.voting import CastRequest, Receipt
from intake.fast_app import IntakeApp
from storage.bootstrap import build_app
from storage.settings import Settings
from storage.verify import verify_events
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_exactly_once import ballots_in_store, race


def opened(app: IntakeApp, r: SmallRound, dept: str = "fgw") -> None:
    app.open_window(r.key, dept, by=ORGANISER)


def test_a_ballot_holding_a_nul_is_refused_alone_in_its_batch(
    app: IntakeApp, small_round: SmallRound
) -> None:
    opened(app, small_round)
    refused, accepted = app.cast_ballots(
        [
            CastRequest(small_round.alice, "fgw", "batch-nul-01", "satisfied", comment="好\x00"),
            CastRequest(small_round.bob, "fgw", "batch-ok-001", "satisfied", comment="好"),
        ]
    )
    assert isinstance(refused, InvalidInput) and "空字符" in refused.message
    assert not isinstance(accepted, Exception) and not accepted.resent


def test_what_casting_keeps_between_batches_is_read_as_of_the_store_for_every_process(
    app: IntakeApp, small_round: SmallRound, settings: Settings
) -> None:
    """Each web process keeps the representatives, windows and rounds it read (only their newer events
    are read again): a revocation or a close made through another process still stops the next ballot."""
    opened(app, small_round)
    opened(app, small_round, "swj")
    app.cast_ballots([CastRequest(small_round.alice, "fgw", "client-0001", "satisfied")])
    app.cast_ballots([CastRequest(small_round.bob, "swj", "client-0002", "satisfied")])
    other = build_app(settings, create_tables=False, application=IntakeApp)
    try:
        other.close_window(small_round.key, "swj", by=ORGANISER)
        other.revoke_credential(small_round.alice, by=ORGANISER, reason="评议卡遗失")
    finally:
        other.close()
    refused = app.cast_ballots(
        [
            CastRequest(small_round.alice, "fgw", "client-0003", "dissatisfied"),
            CastRequest(small_round.bob, "swj", "client-0004", "dissatisfied"),
        ]
    )
    assert [type(answer) for answer in refused] == [CredentialRevoked, WindowNotOpen]


def test_a_batch_of_ballots_is_answered_one_by_one_in_order(app: IntakeApp, small_round: SmallRound) -> None:

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
    app: IntakeApp, small_round: SmallRound
) -> None:

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
    app: IntakeApp, small_round: SmallRound, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:

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
    app: IntakeApp, small_round: SmallRound, settings: Settings
) -> None:

    app.open_window(small_round.key, "fgw", by=ORGANISER)
    # kept in the writer's memory after its save
    app.cast_ballots([CastRequest(small_round.alice, "fgw", "writer-a-01", "satisfied")])
    other = build_app(settings, application=IntakeApp)  # a second web process's writer
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
    app: IntakeApp, small_round: SmallRound, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:

    app.open_window(small_round.key, "fgw", by=ORGANISER)
    app.cast_ballots([CastRequest(small_round.alice, "fgw", "kept-0001", "satisfied")])
    other = build_app(settings, application=IntakeApp)
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


def test_the_ballot_writers_application_records_in_the_same_store_as_the_plain_one(
    app: IntakeApp, small_round: SmallRound, settings: Settings
) -> None:
    opened(app, small_round)
    (receipt,) = app.cast_ballots([CastRequest(small_round.alice, "fgw", "shared-0001", "satisfied")])
    assert isinstance(receipt, Receipt)
    plain = build_app(settings, create_tables=False)
    try:
        assert type(plain) is EvaluationApp
        ballot = plain.find(Ballot, receipt.ballot_id)
        assert ballot is not None and ballot.choice == "satisfied"
        again = plain.cast_ballot(small_round.alice, "fgw", "shared-0001", "satisfied")
        assert again.resent and again.code == receipt.code
    finally:
        plain.close()
