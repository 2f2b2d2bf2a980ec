"""Casting, amending and voiding ballots: the domain's rules, against the real event store."""

from __future__ import annotations

import pytest

from evaluation.application import EvaluationApp
from evaluation.ballot import Ballot
from evaluation.errors import (
    BallotAlreadyVoided,
    CommentTooLong,
    CredentialRevoked,
    InvalidChoice,
    InvalidInput,
    NotInSitting,
    ReasonRequired,
    WindowNotOpen,
)
from tests.conftest import ORGANISER, SmallRound


def opened(app: EvaluationApp, r: SmallRound, dept: str = "fgw") -> None:
    app.open_window(r.key, dept, by=ORGANISER)


def test_a_representative_cannot_score_before_the_window_opens(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    with pytest.raises(WindowNotOpen) as refused:
        app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied")
    assert refused.value.code == "window_closed"


def test_a_representative_scores_a_department_of_their_sitting_while_its_window_is_open(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    opened(app, small_round)
    receipt = app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied", comment="窗口服务好")
    ballot = app.repository.get(receipt.ballot_id)
    assert isinstance(ballot, Ballot)
    assert (ballot.choice, ballot.comment, ballot.category) == ("satisfied", "窗口服务好", "npc")
    assert not hasattr(ballot, "venue") and not hasattr(ballot, "sitting")
    assert len(receipt.code) == 10 and not receipt.resent and receipt.position > 0


def test_a_representative_cannot_score_a_department_outside_its_sitting(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window(small_round.key, "kjj", by=ORGANISER)
    with pytest.raises(NotInSitting):
        app.cast_ballot(small_round.alice, "kjj", "client-0001", "satisfied")


def test_an_unknown_choice_and_an_overlong_comment_are_refused(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    opened(app, small_round)
    with pytest.raises(InvalidChoice):
        app.cast_ballot(small_round.alice, "fgw", "client-0001", "excellent")
    with pytest.raises(CommentTooLong):
        app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied", comment="长" * 2001)
    with pytest.raises(InvalidInput):
        app.cast_ballot(small_round.alice, "fgw", "bad id!", "satisfied")


def test_text_holding_a_nul_is_refused_from_any_caller_and_nothing_is_recorded(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    opened(app, small_round)
    before = app.recorder.max_notification_id()
    with pytest.raises(InvalidInput, match="空字符"):
        app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied", comment="好\x00")
    with pytest.raises(InvalidInput, match="空字符"):
        app.sign_suggestion(small_round.alice, "fgw", "sugg-nul-1", "建议\x00公开")
    assert app.recorder.max_notification_id() == before
    receipt = app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied", comment="好")
    assert not receipt.resent


def test_an_abstention_is_a_ballot_with_an_optional_comment(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    opened(app, small_round)
    receipt = app.cast_ballot(small_round.alice, "fgw", "client-0001", "unknown", comment="不了解该部门")
    ballot = app.repository.get(receipt.ballot_id)
    assert ballot.choice == "unknown" and ballot.comment == "不了解该部门"


def test_a_representative_may_change_their_ballot_while_the_window_is_open_and_the_last_counts(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    opened(app, small_round)
    first = app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied")
    second = app.cast_ballot(small_round.alice, "fgw", "client-0002", "dissatisfied")
    assert first.ballot_id == second.ballot_id and first.code != second.code
    ballot = app.repository.get(second.ballot_id)
    assert ballot.choice == "dissatisfied" and ballot.version == 2


def test_sending_the_same_client_id_again_returns_the_same_receipt_and_changes_nothing(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    opened(app, small_round)
    first = app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied")
    again = app.cast_ballot(small_round.alice, "fgw", "client-0001", "dissatisfied")
    assert again.code == first.code and again.resent
    ballot = app.repository.get(first.ballot_id)
    assert ballot.version == 1 and ballot.choice == "satisfied"


def test_a_resend_after_the_window_closed_still_gets_its_receipt(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    opened(app, small_round)
    first = app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied")
    app.close_window(small_round.key, "fgw", by=ORGANISER)
    assert app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied").code == first.code
    with pytest.raises(WindowNotOpen):
        app.cast_ballot(small_round.alice, "fgw", "client-0002", "dissatisfied")


def test_ballots_are_refused_after_the_window_closes_and_accepted_again_after_a_reasoned_reopen(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    opened(app, small_round)
    app.close_window(small_round.key, "fgw", by=ORGANISER)
    with pytest.raises(WindowNotOpen):
        app.cast_ballot(small_round.bob, "fgw", "client-0003", "satisfied")
    with pytest.raises(ReasonRequired):
        app.open_window(small_round.key, "fgw", by=ORGANISER)
    with pytest.raises(ReasonRequired):
        app.reopen_window(small_round.key, "fgw", by=ORGANISER, reason=" ")
    app.reopen_window(small_round.key, "fgw", by=ORGANISER, reason="分会场网络中断，补评 5 分钟")
    assert app.cast_ballot(small_round.bob, "fgw", "client-0003", "satisfied").code


def test_a_revoked_credential_cannot_cast(app: EvaluationApp, small_round: SmallRound) -> None:
    opened(app, small_round)
    app.revoke_credential(small_round.alice, by=ORGANISER, reason="评议卡遗失")
    with pytest.raises(CredentialRevoked):
        app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied")


def test_the_organiser_voids_a_ballot_only_with_a_reason_and_only_once(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    opened(app, small_round)
    receipt = app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied")
    with pytest.raises(ReasonRequired):
        app.void_ballot(receipt.ballot_id, by=ORGANISER, reason="")
    app.void_ballot(receipt.ballot_id, by=ORGANISER, reason="经核实为代投")
    assert app.repository.get(receipt.ballot_id).voided
    with pytest.raises(BallotAlreadyVoided):
        app.void_ballot(receipt.ballot_id, by=ORGANISER, reason="重复")
    with pytest.raises(BallotAlreadyVoided):
        app.cast_ballot(small_round.alice, "fgw", "client-0002", "satisfied")
