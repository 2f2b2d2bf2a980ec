"""代表信息维护: correcting a representative with a reason, and a roster file never imported twice."""

from __future__ import annotations

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import InvalidInput, NotFound, ReasonRequired, RosterAlreadyImported
from evaluation.representative import Representative
from evaluation.roster import Listed
from evaluation.roster_check import AlreadyRegistered
from tests.conftest import ORGANISER, SmallRound, prepare_round

ROSTER = "姓名,类别,会场,场次,手机\n刘芳,社区居民,主会场,第一场,13900000011\n赵强,npc,kdl,s2,\n"


def test_an_edit_changes_name_placement_and_phone_and_records_who_and_why(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.edit_representative(
        "r2026",
        small_round.bob,
        Listed("王建军", "人大代表", "主会场", "s2", "139 0000 0002"),
        ORGANISER,
        "姓名录错",
    )
    bob = app.representative(small_round.bob)
    assert (bob.name, bob.category, bob.venue, bob.sitting, bob.phone) == (
        "王建军",
        "npc",
        "main",
        "s2",
        "13900000002",
    )
    stored = list(app.events.get(small_round.bob))
    last = stored[-1]
    assert type(last).__name__ == "Edited"
    assert (vars(last)["by"], vars(last)["reason"]) == (ORGANISER, "姓名录错")


def test_an_edit_needs_a_reason_a_real_change_and_known_places(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    bob = small_round.bob
    with pytest.raises(ReasonRequired):
        app.edit_representative(
            "r2026", bob, Listed("王建国", "resident", "kdl", "s2", None), ORGANISER, "  "
        )
    with pytest.raises(InvalidInput, match="没有任何修改"):
        app.edit_representative(
            "r2026", bob, Listed("王建国", "resident", "kdl", "s1", "13900000001"), ORGANISER, "x"
        )
    with pytest.raises(InvalidInput, match="火星"):
        app.edit_representative(
            "r2026", bob, Listed("王建国", "resident", "火星", "s1", None), ORGANISER, "x"
        )
    with pytest.raises(InvalidInput, match="手机号"):
        app.edit_representative(
            "r2026", bob, Listed("王建国", "resident", "kdl", "s1", "12345"), ORGANISER, "x"
        )
    with pytest.raises(InvalidInput, match="姓名"):
        app.edit_representative("r2026", bob, Listed("", "resident", "kdl", "s1", None), ORGANISER, "x")
    with pytest.raises(NotFound):
        app.edit_representative("other", bob, Listed("王建国", "resident", "kdl", "s1", None), ORGANISER, "x")
    assert app.representative(bob).version == 2  # registered + first credential: nothing recorded


def test_once_scoring_started_only_name_and_phone_can_be_corrected(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    app.open_window("r2026", "kjj", by=ORGANISER)
    with pytest.raises(InvalidInput, match="评分已经开始"):
        app.edit_representative(
            "r2026", small_round.bob, Listed("王建国", "resident", "kdl", "s2", None), ORGANISER, "x"
        )
    app.edit_representative(
        "r2026", small_round.bob, Listed("王建国", "resident", "kdl", "s1", "13900000009"), ORGANISER, "换号"
    )
    bob: Representative = app.representative(small_round.bob)
    assert (bob.sitting, bob.phone) == ("s1", "13900000009")


def test_the_same_roster_file_or_the_same_rows_are_not_imported_twice(app: EvaluationApp) -> None:
    prepare_round(app)
    assert len(app.import_representatives("r2026", ROSTER.encode(), "名单.csv", by=ORGANISER)) == 2
    with pytest.raises(RosterAlreadyImported, match="名单.csv"):
        app.import_representatives("r2026", ROSTER.encode(), "名单(1).csv", by=ORGANISER)
    reordered = (
        "姓名,类别,会场,场次,手机\n赵强,人大代表,昆都仑区分会场,第二场,\n刘芳,resident,main,s1,13900000011\n"
    )
    with pytest.raises(RosterAlreadyImported, match="未重复导入"):
        app.import_representatives("r2026", reordered.encode("gb18030"), "另存.csv", by=ORGANISER)
    more = ROSTER.replace("刘芳", "陈静").replace("赵强", "周敏") + "孙丽,npc,main,s1,\n"  # three new people
    assert len(app.import_representatives("r2026", more.encode(), "补充名单.csv", by=ORGANISER)) == 3


def test_the_people_a_workbook_registered_are_not_imported_again_from_a_roster_file(
    app: EvaluationApp,
) -> None:
    from tests.workbook.books import good_sheets, xlsx
    from workbook import import_workbook

    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    same = "姓名,类别,会场,场次,手机\n张丽,resident,main,s2,\n李秀英,npc,main,s1,13900000001\n王建国,resident,kdl,s1,\n"
    with pytest.raises(RosterAlreadyImported, match="r2027.xlsx"):
        app.import_representatives("r2027", same.encode(), "名单.csv", by=ORGANISER)


def test_a_correction_that_would_make_one_representative_another_is_refused(
    app: EvaluationApp, small_round: SmallRound
) -> None:
    """张丽 corrected into 李秀英's name and placement would be one person twice; her own phone alone is a
    correction of her."""
    with pytest.raises(AlreadyRegistered, match="代表「李秀英」已登记（编号 1）"):
        app.edit_representative(
            "r2026", small_round.carol, Listed("李秀英", "npc", "main", "s1", None), ORGANISER, "录错"
        )
    carol = app.representative(small_round.carol)
    assert (carol.name, carol.category, carol.sitting) == ("张丽", "resident", "s2")
    app.edit_representative(
        "r2026",
        small_round.carol,
        Listed("张丽", "resident", "main", "s2", "13900000055"),
        ORGANISER,
        "补手机号",
    )
    assert app.representative(small_round.carol).phone == "13900000055"
