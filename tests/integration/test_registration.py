"""报名与发卡: representatives one by one and from roster files, credentials, check-in, signing in."""

from __future__ import annotations

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import CredentialRevoked, InvalidCredential, NotFound, RosterRejected
from evaluation.keys import format_code
from evaluation.representative import Representative
from evaluation.roster_check import AlreadyRegistered
from tests.conftest import ORGANISER, SmallRound, prepare_round

GOOD = "姓名,类别,会场,场次,手机\n刘芳,社区居民,主会场,第一场,13900000011\n赵强,npc,kdl,s2,\n".encode()


def test_a_roster_file_registers_everyone_with_names_or_keys_and_issues_credentials(
    app: EvaluationApp,
) -> None:
    prepare_round(app)
    issued = app.import_representatives("r2026", GOOD, "名单.csv", by=ORGANISER)
    assert len(issued) == 2
    liu = app.representative(issued[0][0])
    assert (liu.name, liu.category, liu.venue, liu.sitting, liu.phone) == (
        "刘芳",
        "resident",
        "main",
        "s1",
        "13900000011",
    )
    assert app.authenticate(issued[1][1]).id == issued[1][0]


def test_a_roster_with_any_bad_row_imports_nobody_and_names_every_problem(app: EvaluationApp) -> None:
    prepare_round(app)
    bad = (
        "姓名,类别,会场,场次\n刘芳,社区居民,主会场,第一场\n赵强,外星人,主会场,第一场\n,npc,main,s1\n".encode()
    )
    with pytest.raises(RosterRejected) as refused:
        app.import_representatives("r2026", bad, "名单.csv", by=ORGANISER)
    lines = [line for line, _ in refused.value.problems]
    assert lines == [3, 4]
    assert "外星人" in refused.value.problems[0][1]
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    assert not any(":Representative." in n.topic for n in notifications)


def test_numbers_continue_across_imports(app: EvaluationApp) -> None:
    prepare_round(app)
    first = app.import_representatives("r2026", GOOD, "a.csv", by=ORGANISER)
    others = GOOD.replace("刘芳".encode(), "陈静".encode()).replace("赵强".encode(), "孙伟".encode())
    second = app.import_representatives("r2026", others, "b.csv", by=ORGANISER)
    numbers = [app.representative(rid).number for rid, _ in first + second]
    assert numbers == [1, 2, 3, 4]


def test_a_representative_signs_in_with_their_code_typed_loosely(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    loose = format_code(small_round.alice_code).lower().replace("-", " - ")
    holder = app.authenticate(loose)
    assert (holder.kind, holder.id, holder.round_key) == ("representative", small_round.alice, "r2026")
    with pytest.raises(InvalidCredential):
        app.authenticate("AAAAA-AAAAA")


def test_a_reissued_credential_replaces_the_old_code(app: EvaluationApp, small_round: SmallRound) -> None:
    new_code = app.reissue_credential(small_round.alice, by=ORGANISER)
    assert new_code != small_round.alice_code
    with pytest.raises(InvalidCredential):
        app.authenticate(small_round.alice_code)
    assert app.authenticate(new_code).id == small_round.alice


def test_a_revoked_credential_cannot_sign_in_until_reissued(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.revoke_credential(small_round.alice, by=ORGANISER, reason="代表因病不能参加")
    with pytest.raises(CredentialRevoked):
        app.authenticate(small_round.alice_code)
    code = app.reissue_credential(small_round.alice, by=ORGANISER)
    assert app.authenticate(code).id == small_round.alice


def test_only_a_hash_of_a_code_is_stored(app: EvaluationApp, small_round: SmallRound) -> None:
    rep = app.representative(small_round.alice)
    assert isinstance(rep, Representative) and rep.credential_hash != small_round.alice_code
    for n in app.recorder.select_notifications(start=1, limit=10_000):
        assert small_round.alice_code.encode() not in n.state


def test_checking_in_is_recorded_once(app: EvaluationApp, small_round: SmallRound) -> None:
    app.check_in(small_round.alice, by="staff:main")
    app.check_in(small_round.alice, by="staff:main")
    rep = app.representative(small_round.alice)
    assert rep.checked_in and rep.version == 3


def test_a_department_signs_in_with_its_own_code(app: EvaluationApp, small_round: SmallRound) -> None:
    code = app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    holder = app.authenticate(code)
    assert holder.kind == "department" and holder.id == app.department("r2026", "fgw").id
    with pytest.raises(NotFound):
        app.issue_department_credential("r2026", "nosuch", by=ORGANISER)


def test_a_file_that_is_not_a_roster_is_refused_with_a_reason(app: EvaluationApp) -> None:
    prepare_round(app)
    with pytest.raises(RosterRejected) as refused:
        app.import_representatives("r2026", b"\x89PNG\r\n\x1a\n....", "photo.png", by=ORGANISER)
    assert refused.value.problems and refused.value.code == "roster_rejected"


def test_a_phone_typed_by_hand_is_normalised_or_refused(app: EvaluationApp) -> None:
    from evaluation.errors import InvalidInput

    prepare_round(app)
    rid, _ = app.register_representative(
        "r2026", "陈明", "npc", "main", "s1", by=ORGANISER, phone="+86 139-0000-0099"
    )
    assert app.representative(rid).phone == "13900000099"
    with pytest.raises(InvalidInput, match="手机号"):
        app.register_representative("r2026", "陈明", "npc", "main", "s1", by=ORGANISER, phone="12345")


def test_a_person_the_round_has_is_not_registered_again_by_hand(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    """The import's rule for one person registered by hand: the same name and phone (with no phone, the same
    name and placement) is the same person; nothing is written. Another phone is another person."""
    before = app.round_plan("r2026").representatives
    with pytest.raises(AlreadyRegistered, match="代表「王建国」已登记（编号 2）"):
        app.register_representative(
            "r2026", "王建国", "社区居民", "kdl", "s2", by=ORGANISER, phone="13900000001"
        )
    with pytest.raises(AlreadyRegistered, match="请填写其手机号以区分"):
        app.register_representative("r2026", "李秀英", "人大代表", "主会场", "s1", by=ORGANISER)
    assert app.round_plan("r2026").representatives == before
    other, _ = app.register_representative(
        "r2026", "李秀英", "npc", "main", "s1", by=ORGANISER, phone="13900000099"
    )
    assert app.representative(other).number == len(before) + 1
