"""工作人员账号 — personal accounts with roles, codes kept only as keyed hashes, replaced and disabled;
publishing needs two different results officers within 30 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import InvalidCredential, InvalidInput, ResultsNotLocked
from evaluation.representative import CredentialIndex, credential_index_id
from evaluation.staff import AccountDisabled, SecondOfficerRequired
from tests.conftest import ORGANISER, SmallRound

ADMIN = "staff:administrator-test"


def test_an_account_signs_in_with_its_code_which_is_stored_only_as_a_keyed_hash(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    account_id, code = app.add_staff(
        "王芳", "checkin", ADMIN, unit="市政府办", round_key="r2026", venue="kdl"
    )
    account = app.staff_account(account_id)
    assert (account.name, account.unit, account.role, account.round_key, account.venue) == (
        "王芳",
        "市政府办",
        "checkin",
        "r2026",
        "kdl",
    )
    assert account.code_hash == app.keys.credential_hash(code) and code not in repr(vars(account))
    signed_in = app.staff_sign_in(code)
    assert signed_in is not None and signed_in.id == account_id
    assert [a.name for a in app.staff_accounts()] == ["王芳"]
    assert app.staff_sign_in(small_round.alice_code) is None  # a representative's card is no staff code


def test_a_replaced_code_is_void_at_once_and_its_attempt_is_recorded(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    account_id, old = app.add_staff("赵强", "organiser", ADMIN, round_key="r2026")
    new = app.replace_staff_code(account_id, ADMIN)
    with pytest.raises(InvalidCredential):
        app.staff_sign_in(old)
    assert app.staff_sign_in(new) is not None
    assert app.staff_account(account_id).serial == 2
    index = app.find(CredentialIndex, credential_index_id(app.keys.credential_hash(old)))
    assert index is not None and index.holder_id == account_id
    kinds = [what for _, _, what, _, _ in app.account_trail("r2026")]
    assert kinds == ["新建账号", "发放登录码", "发放登录码", "登录被拒", "登录"]


def test_a_disabled_account_signs_in_no_more(app: EvaluationApp, small_round: SmallRound) -> None:
    account_id, code = app.add_staff("钱伟", "auditor", ADMIN, round_key="r2026")
    app.disable_staff(account_id, ADMIN, "调离")
    with pytest.raises(AccountDisabled):
        app.staff_sign_in(code)
    with pytest.raises(AccountDisabled):
        app.replace_staff_code(account_id, ADMIN)


@pytest.mark.parametrize(
    ("role", "scope", "problem"),
    [
        ("boss", {"round_key": "r2026"}, "没有「boss」这个角色"),
        ("organiser", {}, "会务组须指定评议活动"),
        ("checkin", {"round_key": "r2026"}, "签到员须指定本活动的一个会场"),
        ("checkin", {"round_key": "r2026", "venue": "nowhere"}, "签到员须指定本活动的一个会场"),
        ("department", {"round_key": "r2026", "department": "xxx"}, "部门工作人员须指定本活动的一个部门"),
    ],
)
def test_an_account_needs_a_known_role_and_the_scope_it_names(
    app: EvaluationApp, small_round: SmallRound, role: str, scope: dict[str, str], problem: str
) -> None:
    with pytest.raises(InvalidInput, match=problem):
        app.add_staff("某人", role, ADMIN, **scope)
    assert app.staff_accounts() == []


def test_an_account_without_a_name_is_refused(app: EvaluationApp) -> None:
    with pytest.raises(InvalidInput):
        app.add_staff("  ", "administrator", ADMIN)


def test_department_staff_are_several_per_department(app: EvaluationApp, small_round: SmallRound) -> None:
    a, _ = app.add_staff("甲", "department", ADMIN, round_key="r2026", department="fgw")
    b, _ = app.add_staff("乙", "department", ADMIN, round_key="r2026", department="fgw", venue="main")
    assert a != b and app.staff_account(b).venue == ""  # a venue means nothing for department staff
    assert [x.department for x in app.staff_of_round("r2026", "department")] == ["fgw", "fgw"]


def locked(app: EvaluationApp) -> None:
    for department in ("fgw", "swj", "kjj", "zjj"):
        app.open_window("r2026", department, by=ORGANISER)
        app.close_window("r2026", department, by=ORGANISER)
    app.lock_results("r2026", by=ORGANISER)


NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def test_publishing_takes_two_different_results_officers(app: EvaluationApp, small_round: SmallRound) -> None:
    locked(app)
    assert app.publish_as_officer("r2026", "staff:first", NOW) is False
    assert not app.round("r2026").published
    with pytest.raises(SecondOfficerRequired):
        app.publish_as_officer("r2026", "staff:first", NOW + timedelta(minutes=1))
    assert app.publish_as_officer("r2026", "staff:second", NOW + timedelta(minutes=29)) is True
    assert app.round("r2026").published


def test_a_proposal_older_than_30_minutes_is_void(app: EvaluationApp, small_round: SmallRound) -> None:
    locked(app)
    app.publish_as_officer("r2026", "staff:first", NOW)
    assert app.publish_as_officer("r2026", "staff:second", NOW + timedelta(minutes=31)) is False
    assert app.round("r2026").proposal == ("staff:second", (NOW + timedelta(minutes=31)).isoformat())
    assert app.publish_as_officer("r2026", "staff:first", NOW + timedelta(minutes=40)) is True


def test_nothing_is_proposed_before_the_results_are_locked(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    with pytest.raises(ResultsNotLocked):
        app.publish_as_officer("r2026", "staff:first", NOW)
