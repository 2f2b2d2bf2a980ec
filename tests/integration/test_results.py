"""结果: revealing, importing other components, locking and publishing."""

from __future__ import annotations

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import (
    EvaluationOver,
    InvalidInput,
    ResultsNotLocked,
    RoundNotEditable,
    WindowAlreadyOpen,
    WindowNotOpen,
)
from evaluation.instrument import Instrument
from tests.conftest import ORGANISER, SmallRound, deliver_suggestions


def test_results_can_be_revealed_and_hidden_on_the_projector(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.reveal_results("r2026", by=ORGANISER)
    assert app.round("r2026").revealed
    app.hide_results("r2026", by=ORGANISER)
    assert not app.round("r2026").revealed


def test_results_are_published_only_after_locking_and_locking_waits_for_closed_windows(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    with pytest.raises(ResultsNotLocked):
        app.publish_results("r2026", by=ORGANISER)
    app.open_window("r2026", "fgw", by=ORGANISER)
    with pytest.raises(WindowAlreadyOpen):
        app.lock_results("r2026", by=ORGANISER)
    app.close_window("r2026", "fgw", by=ORGANISER)
    app.lock_results("r2026", by=ORGANISER)
    app.publish_results("r2026", by=ORGANISER)
    assert app.round("r2026").published


def test_nothing_that_changes_the_tally_is_accepted_after_locking(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "fgw", by=ORGANISER)
    receipt = app.cast_ballot(small_round.alice, "fgw", "client-0001", "satisfied")
    app.close_window("r2026", "fgw", by=ORGANISER)
    app.lock_results("r2026", by=ORGANISER)
    with pytest.raises(RoundNotEditable):
        app.reopen_window("r2026", "fgw", by=ORGANISER, reason="补评")
    with pytest.raises(RoundNotEditable):
        app.void_ballot(receipt.ballot_id, by=ORGANISER, reason="迟到的举报")
    with pytest.raises(RoundNotEditable):
        app.define_category("r2026", "media", "媒体", by=ORGANISER)
    with pytest.raises(WindowNotOpen):
        app.cast_ballot(small_round.bob, "fgw", "client-0002", "satisfied")


def test_once_the_results_are_locked_a_new_signed_suggestion_is_refused_because_the_evaluation_is_over(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    taken = app.sign_suggestion(small_round.bob, "fgw", "sugg-before", "建议延长办事大厅周末开放时间")
    app.lock_results("r2026", by=ORGANISER)
    with pytest.raises(EvaluationOver) as refused:
        app.sign_suggestion(small_round.bob, "fgw", "sugg-after", "建议增设夜间窗口")
    assert refused.value.code == "evaluation_over"
    assert refused.value.message == "本次评议已结束，不能再提交留名建议"
    # the one taken before the lock was recorded with it, and its resend still gets its id
    assert app.sign_suggestion(small_round.bob, "fgw", "sugg-before", "建议延长办事大厅周末开放时间") == taken


def test_an_imported_component_must_be_declared_and_between_0_and_100(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    with pytest.raises(InvalidInput):
        app.import_component("r2026", "daily", {"fgw": "90"}, by=ORGANISER, reason="日常评议")
    from decimal import Decimal

    app.change_instrument(
        "r2026",
        Instrument(components={"live": Decimal("0.8"), "daily": Decimal("0.2")}),
        by=ORGANISER,
        reason="8:2",
    )
    with pytest.raises(InvalidInput):
        app.import_component("r2026", "daily", {"fgw": "101"}, by=ORGANISER, reason="日常评议")
    with pytest.raises(InvalidInput):
        app.import_component("r2026", "daily", {"fgw": "九十"}, by=ORGANISER, reason="日常评议")
    app.import_component("r2026", "daily", {"fgw": "91.5", "swj": "88"}, by=ORGANISER, reason="日常评议")
    assert app.round("r2026").components["daily"] == {"fgw": "91.5", "swj": "88"}


def test_a_signed_suggestion_is_kept_apart_from_the_ballot_and_answered_by_its_department(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    from evaluation.suggestion import Suggestion

    first = app.sign_suggestion(small_round.bob, "fgw", "sugg-0001", "建议延长办事大厅周末开放时间")
    again = app.sign_suggestion(small_round.bob, "fgw", "sugg-0001", "建议延长办事大厅周末开放时间")
    assert first == again
    deliver_suggestions(app, "r2026", "fgw")
    suggestion = app.repository.get(first)
    assert isinstance(suggestion, Suggestion) and suggestion.name == "王建国"
    app.answer_suggestion(first, "fgw", "已于12月起试行周六上午开放", by="department:fgw")
    assert app.repository.get(first).answer == "已于12月起试行周六上午开放"
    from evaluation.errors import NotFound

    with pytest.raises(NotFound):
        app.answer_suggestion(first, "swj", "不是我们的", by="department:swj")
