"""网络评议 in the domain: the period, invitations (one identity each, signing in again during the period),
verified phones, one online ballot per identity
and department (amendable, exactly once under resends), voids by batch, and no identity in a ballot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from evaluation.application import EvaluationApp, Receipt
from evaluation.errors import InvalidCredential, InvalidInput, ReasonRequired
from evaluation.online import OnlineCast
from evaluation.online_ballot import ONLINE_CATEGORY, OnlineBallot
from evaluation.online_channel import NotOnline, OnlineClosed, WayNotOffered
from evaluation.online_voters import (
    Invitation,
    OnlineVoterVoided,
    SmsCodeWrong,
    SmsDailyLimit,
    SmsTooSoon,
    voter_id,
)
from tests.conftest import ORGANISER, SmallRound

OPENS = datetime(2026, 12, 1, tzinfo=UTC)
CLOSES = datetime(2026, 12, 24, tzinfo=UTC)
DURING = datetime(2026, 12, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def online(app: EvaluationApp, small_round: SmallRound) -> str:
    app.set_online_period(small_round.key, OPENS, CLOSES, ["fgw", "swj", "kjj"], by=ORGANISER, reason="")
    return small_round.key


def invited(app: EvaluationApp, round_key: str) -> str:
    [code] = app.invite_online(round_key, 1, by=ORGANISER)
    return app.redeem_invitation(round_key, code, DURING)


def cast(
    app: EvaluationApp, key: str, who: str, dept: str, client: str, choice: str, when: datetime = DURING
) -> Receipt:
    return app.cast_online_ballot(OnlineCast(key, who, dept, client, choice), when)


def test_an_invited_citizen_scores_a_department_once_and_may_amend_it(
    app: EvaluationApp, online: str
) -> None:
    citizen = invited(app, online)
    first = cast(app, online, citizen, "fgw", "phone-0001", "satisfied")
    amended = cast(app, online, citizen, "fgw", "phone-0002", "dissatisfied")
    ballot: object = app.repository.get(first.ballot_id)
    assert isinstance(ballot, OnlineBallot) and amended.ballot_id == first.ballot_id
    assert (ballot.choice, ballot.category, ballot.version) == ("dissatisfied", ONLINE_CATEGORY, 2)


def test_a_resend_with_the_same_client_id_is_the_same_ballot(app: EvaluationApp, online: str) -> None:
    citizen = invited(app, online)
    first = cast(app, online, citizen, "fgw", "phone-0001", "satisfied")
    again = cast(app, online, citizen, "fgw", "phone-0001", "satisfied")
    assert again.resent and again.code == first.code
    assert app.repository.get(first.ballot_id).version == 1


def test_an_invitation_signs_its_holder_in_again_during_the_period_as_one_identity_whose_ballot_is_replaced(
    app: EvaluationApp, online: str
) -> None:
    [code] = app.invite_online(online, 1, by=ORGANISER)
    first = app.redeem_invitation(online, code, DURING)
    before = cast(app, online, first, "fgw", "phone-0001", "satisfied")
    recorded = app.recorder.max_notification_id()
    again = app.redeem_invitation(online, code, DURING + timedelta(days=3))  # the session lost, another phone
    assert again == first and app.recorder.max_notification_id() == recorded, "a later use records nothing"
    after = cast(app, online, again, "fgw", "other-phone-0001", "dissatisfied")
    ballot: object = app.repository.get(after.ballot_id)
    assert after.ballot_id == before.ballot_id and isinstance(ballot, OnlineBallot)
    assert (ballot.version, ballot.choice) == (2, "dissatisfied"), "replaced, not added"
    invitation = app.repository.get(voter_id(online, first))
    assert isinstance(invitation, Invitation) and invitation.version == 2  # Issued, Redeemed: once
    with pytest.raises(InvalidCredential):
        app.redeem_invitation(online, "AAAAAAAAAAAA", DURING)


def test_after_the_period_or_once_voided_the_link_signs_nobody_in(app: EvaluationApp, online: str) -> None:
    [code, voided] = app.invite_online(online, 2, by=ORGANISER)
    app.redeem_invitation(online, code, DURING)
    with pytest.raises(OnlineClosed):
        app.redeem_invitation(online, code, CLOSES)
    identity = app.redeem_invitation(online, voided, DURING)
    app.void_online_voters(online, [identity], by=ORGANISER, reason="同一地址短时大量登录")
    with pytest.raises(OnlineVoterVoided):
        app.redeem_invitation(online, voided, DURING)


def test_only_the_keyed_hash_of_an_invitation_is_stored(app: EvaluationApp, online: str) -> None:
    codes = app.invite_online(online, 3, by=ORGANISER)
    stored = [n.state for n in app.recorder.select_notifications(start=1, limit=100_000)]
    assert not any(code.encode() in state for code in codes for state in stored)


def test_a_ballot_outside_the_period_or_its_departments_is_refused(app: EvaluationApp, online: str) -> None:
    citizen = invited(app, online)
    with pytest.raises(OnlineClosed):
        cast(app, online, citizen, "fgw", "phone-0001", "satisfied", when=OPENS - timedelta(seconds=1))
    with pytest.raises(OnlineClosed):
        cast(app, online, citizen, "fgw", "phone-0001", "satisfied", when=CLOSES)
    with pytest.raises(NotOnline):
        cast(app, online, citizen, "zjj", "phone-0001", "satisfied")


def test_a_period_for_every_department_takes_no_ballot_for_a_department_the_round_lacks(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.set_online_period(small_round.key, OPENS, CLOSES, None, by=ORGANISER, reason="")
    citizen = invited(app, small_round.key)
    with pytest.raises(NotOnline):
        cast(app, small_round.key, citizen, "nosuch", "phone-0001", "satisfied")
    assert cast(app, small_round.key, citizen, "fgw", "phone-0002", "satisfied").ballot_id
    [stored] = [e for e in app.recorder.select_notifications(1, 10_000) if "OnlineBallot.Cast" in e.topic]
    assert b"nosuch" not in stored.state and b"fgw" in stored.state


def test_a_session_identity_that_was_never_issued_cannot_cast(app: EvaluationApp, online: str) -> None:
    with pytest.raises(Exception) as refused:
        cast(app, online, "inv:" + "0" * 64, "fgw", "phone-0001", "satisfied")
    assert getattr(refused.value, "code", "") == "not_found"


def test_a_volunteer_verifies_a_phone_by_the_code_sent_last(app: EvaluationApp, online: str) -> None:
    code = app.send_phone_code(online, "139 0000 0002", DURING)
    with pytest.raises(SmsCodeWrong):
        app.verify_phone(online, "13900000002", "000000" if code != "000000" else "111111", DURING)
    volunteer = app.verify_phone(online, "+86 13900000002", code, DURING + timedelta(minutes=1))
    receipt = cast(app, online, volunteer, "swj", "phone-0003", "fairly_satisfied")
    assert receipt.code


def test_a_phone_gets_a_code_at_most_once_a_minute_and_five_times_a_day(
    app: EvaluationApp, online: str
) -> None:
    app.send_phone_code(online, "13900000003", DURING)
    with pytest.raises(SmsTooSoon):
        app.send_phone_code(online, "13900000003", DURING + timedelta(seconds=30))
    for minute in range(1, 5):
        app.send_phone_code(online, "13900000003", DURING + timedelta(minutes=minute))
    with pytest.raises(SmsDailyLimit):
        app.send_phone_code(online, "13900000003", DURING + timedelta(minutes=9))


def test_a_phone_s_five_codes_a_day_are_counted_by_beijing_s_day(app: EvaluationApp, online: str) -> None:
    """「请明天再试」 means Beijing's tomorrow: at 00:30 there (16:30 UTC, still the same UTC day) a phone that
    used its five codes the evening before gets one again."""
    evening = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)  # 22:00 in Beijing
    for minute in range(5):
        app.send_phone_code(online, "13900000005", evening + timedelta(minutes=minute))
    with pytest.raises(SmsDailyLimit):
        app.send_phone_code(online, "13900000005", evening + timedelta(minutes=30))
    assert app.send_phone_code(online, "13900000005", evening + timedelta(hours=2, minutes=30))


def test_a_code_expires_after_ten_minutes_and_after_five_wrong_tries(app: EvaluationApp, online: str) -> None:
    code = app.send_phone_code(online, "13900000004", DURING)
    with pytest.raises(SmsCodeWrong):
        app.verify_phone(online, "13900000004", code, DURING + timedelta(minutes=11))
    code = app.send_phone_code(online, "13900000004", DURING + timedelta(minutes=12))
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(SmsCodeWrong):
            app.verify_phone(online, "13900000004", wrong, DURING + timedelta(minutes=13))
    with pytest.raises(SmsCodeWrong):
        app.verify_phone(online, "13900000004", code, DURING + timedelta(minutes=13))


def test_a_bad_phone_number_is_refused(app: EvaluationApp, online: str) -> None:
    with pytest.raises(InvalidInput):
        app.send_phone_code(online, "12345", DURING)


def test_a_second_verification_of_the_same_phone_reaches_the_same_ballot(
    app: EvaluationApp, online: str
) -> None:
    first = app.verify_phone(
        online, "13900000005", app.send_phone_code(online, "13900000005", DURING), DURING
    )
    later = DURING + timedelta(hours=2)
    again = app.verify_phone(online, "13900000005", app.send_phone_code(online, "13900000005", later), later)
    one = cast(app, online, first, "fgw", "phone-0005", "satisfied")
    two = cast(app, online, again, "fgw", "phone-0006", "dissatisfied")
    assert one.ballot_id == two.ballot_id


def test_the_organiser_chooses_the_ways_and_a_change_needs_a_reason(app: EvaluationApp, online: str) -> None:
    with pytest.raises(ReasonRequired):
        app.set_online_period(online, OPENS, CLOSES, None, by=ORGANISER, reason=" ")
    app.set_online_period(online, OPENS, CLOSES, None, by=ORGANISER, reason="只邀请", volunteers=False)
    with pytest.raises(WayNotOffered):
        app.send_phone_code(online, "13900000006", DURING)
    with pytest.raises(InvalidInput):
        app.set_online_period(online, CLOSES, OPENS, None, by=ORGANISER, reason="倒置")


def test_voiding_a_batch_of_identities_voids_their_ballots_and_their_sign_in(
    app: EvaluationApp, online: str
) -> None:
    a, b = invited(app, online), invited(app, online)
    ballots = [cast(app, online, a, d, f"phone-a-{d}", "satisfied") for d in ("fgw", "swj")]
    kept = cast(app, online, b, "fgw", "phone-b-fgw", "satisfied")
    assert app.void_online_voters(online, [a], by=ORGANISER, reason="同一地址短时大量投票") == 2
    assert all(app.repository.get(r.ballot_id).voided for r in ballots)
    assert not app.repository.get(kept.ballot_id).voided
    with pytest.raises(OnlineVoterVoided):
        cast(app, online, a, "kjj", "phone-a-kjj", "satisfied")


def test_no_online_ballot_event_carries_an_identity_and_none_is_a_live_ballot(
    app: EvaluationApp, online: str
) -> None:
    citizen = invited(app, online)
    receipt = cast(app, online, citizen, "fgw", "phone-0001", "satisfied")
    cast(app, online, citizen, "fgw", "phone-0002", "dissatisfied")
    app.void_online_voters(online, [citizen], by=ORGANISER, reason="测试")
    digest = citizen.split(":", 1)[1]
    ballot_events = [
        n
        for n in app.recorder.select_notifications(start=1, limit=100_000)
        if n.originator_id == receipt.ballot_id
    ]
    assert len(ballot_events) == 3 and not any(digest.encode() in n.state for n in ballot_events)
    assert all(n.topic.startswith("evaluation.online_ballot:OnlineBallot.") for n in ballot_events)
    assert not any(n.topic.startswith("evaluation.ballot:Ballot.") for n in ballot_events)
