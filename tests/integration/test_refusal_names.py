"""A refusal about a department names it as people know it (市科技局), not by its key (kjj), and keeps its code."""

from __future__ import annotations

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import NotInSitting, WindowAlreadyOpen, WindowNotOpen
from tests.conftest import ORGANISER, SmallRound


def test_opening_or_reopening_an_open_window_names_the_department(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window(small_round.key, "kjj", by=ORGANISER)
    with pytest.raises(WindowAlreadyOpen) as opened:
        app.open_window(small_round.key, "kjj", by=ORGANISER)
    assert opened.value.code == "window_open"
    assert opened.value.message == "「市科技局」的评分已经开始"
    with pytest.raises(WindowAlreadyOpen) as reopened:
        app.reopen_window(small_round.key, "kjj", by=ORGANISER, reason="补评")
    assert reopened.value.code == "window_open"
    assert reopened.value.message == "「市科技局」的评分已经开始"


def test_closing_a_window_that_is_not_open_names_the_department(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    with pytest.raises(WindowNotOpen) as refused:
        app.close_window(small_round.key, "swj", by=ORGANISER)
    assert refused.value.code == "window_closed"
    assert refused.value.message == "「市水务局」的评分已结束或尚未开始"


def test_locking_while_a_window_is_open_names_the_department_to_close(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window(small_round.key, "zjj", by=ORGANISER)
    with pytest.raises(WindowAlreadyOpen) as refused:
        app.lock_results(small_round.key, by=ORGANISER)
    assert refused.value.code == "window_open"
    assert refused.value.message == "「市住建局」的评分已经开始：须先结束所有评分"
    assert not app.round(small_round.key).locked


def test_a_signed_suggestion_for_a_department_of_another_sitting_names_it(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    with pytest.raises(NotInSitting) as refused:
        app.sign_suggestion(small_round.alice, "kjj", "sugg-other-1", "建议公开办事时限")
    assert refused.value.code == "not_in_sitting"
    assert refused.value.message == "「市科技局」不在您参加的场次，不能为其评分"
