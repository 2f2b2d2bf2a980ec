"""签到员只管本会场 — the rule lives in the commands, not only in the web: check-in staff of one venue can
check in, re-issue or print a card only for the representatives of their own venue (and round); organisers
are not limited, and a refused act records nothing."""

from __future__ import annotations

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import OutsideVenue
from tests.conftest import ORGANISER, SmallRound


def desk(app: EvaluationApp, venue: str, round_key: str = "r2026") -> str:
    account, _ = app.add_staff(f"签到员{venue}", "checkin", ORGANISER, round_key=round_key, venue=venue)
    return app.staff_account(account).actor


def events_of(app: EvaluationApp, small_round: SmallRound) -> int:
    return len(list(app.repository.event_store.get(small_round.alice)))


def test_check_in_staff_of_another_venue_are_refused_by_every_desk_command(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    kdl = desk(app, "kdl")  # 李秀英 (alice) sits in main
    before = events_of(app, small_round)
    with pytest.raises(OutsideVenue, match="签到员只能为本会场的代表签到或补卡"):
        app.check_in(small_round.alice, by=kdl)
    with pytest.raises(OutsideVenue):
        app.reissue_credential(small_round.alice, by=kdl)
    with pytest.raises(OutsideVenue):
        app.print_cards("r2026", [small_round.bob, small_round.alice], kdl, "打印")
    assert events_of(app, small_round) == before
    assert not app.representative(small_round.alice).checked_in


def test_check_in_staff_act_in_their_own_venue_and_organisers_anywhere(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    main = desk(app, "main")
    app.check_in(small_round.alice, by=main)
    assert app.representative(small_round.alice).checked_in
    assert app.reissue_credential(small_round.alice, by=main)
    assert set(app.print_cards("r2026", [small_round.carol], main, "打印")) == {small_round.carol}
    app.check_in(small_round.bob, by=ORGANISER)  # kdl: the organiser is not held to a venue
    assert app.representative(small_round.bob).checked_in


def test_a_desk_of_another_round_with_a_venue_of_the_same_key_is_refused(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.create_round("r2027", "2027年度三民活动", by=ORGANISER)
    app.define_venue("r2027", "main", "主会场", by=ORGANISER)
    with pytest.raises(OutsideVenue):
        app.check_in(small_round.alice, by=desk(app, "main", round_key="r2027"))
