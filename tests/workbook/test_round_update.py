"""用工作簿更新活动: before the first window opens an edited workbook says what it changes and, confirmed,
applies all of it or nothing; after that it is refused plainly."""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import InvalidInput, StillInUse
from evaluation.round_plan import PlannedDepartment, PlanRejected
from evaluation.round_update import ADDED, CHANGED, KEPT_APART, REMOVED
from tests.conftest import ORGANISER
from tests.workbook.books import Sheets, good_sheets, xlsx
from workbook import (
    WorkbookRejected,
    changes_digest,
    export_workbook,
    import_workbook,
    read_workbook,
    update_from_workbook,
    workbook_changes,
)


def edited() -> Sheets:
    """The good round, edited as an organiser would: a venue renamed, a share changed, a department added
    and placed, one moved to the other sitting, its head changed, the title and a daily score changed."""
    sheets = copy.deepcopy(good_sheets())
    sheets["活动"][2] = ["活动名称", "2027年度三民活动（修订）"]
    sheets["代表类别"][2] = ["resident", "社区居民", 1.5]
    sheets["会场"][2] = ["kdl", "昆都仑区会场"]
    sheets["部门"].append(["wlj", "市文化旅游局", "市文旅局", "city", "赵敏"])
    sheets["部门"][2] = ["swj", "市水务局", "", "econ", "周强"]
    sheets["代表"][2] = ["王建国", "社区居民", "kdl", "第一场", ""]
    sheets["场次"][1] = ["s1", "第一场", "2027-12-15", "上午", "fgw"]
    sheets["场次"][2] = ["s2", "第二场", "2027-12-15", "下午", "kjj, zjj, swj, wlj"]
    sheets["其他得分"][1] = ["daily", 0.3, "fgw", 95]
    sheets["其他得分"].append(["daily", 0.3, "wlj", 80])
    return sheets


def test_an_edited_workbook_lists_its_changes_then_applies_them_all(app: EvaluationApp) -> None:
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    data = xlsx(edited())
    changes = workbook_changes(app, "r2027", data, "r2027-修订.xlsx")
    seen = {(c.sheet, c.kind, c.key) for c in changes}
    assert seen == {
        ("活动", CHANGED, "活动名称"),
        ("代表类别", CHANGED, "resident"),
        ("会场", CHANGED, "kdl"),
        ("部门", ADDED, "wlj"),
        ("部门", CHANGED, "swj"),
        ("场次", CHANGED, "s1"),
        ("场次", CHANGED, "s2"),
        ("其他得分", CHANGED, "daily · fgw"),
        ("其他得分", ADDED, "daily · wlj"),
    }
    venue = next(c for c in changes if c.key == "kdl")
    assert (venue.before, venue.after) == ("名称 昆都仑区分会场", "名称 昆都仑区会场")
    assert app.round("r2027").venues["kdl"] == "昆都仑区分会场"  # listing changes records nothing

    applied = update_from_workbook(app, "r2027", data, "r2027-修订.xlsx", ORGANISER, changes_digest(changes))
    assert applied == len(changes)
    round_ = app.round("r2027")
    assert round_.title == "2027年度三民活动（修订）"
    assert round_.venues["kdl"] == "昆都仑区会场"
    assert round_.categories["resident"]["share"] == "1.5"
    assert round_.sittings["s2"]["agenda"] == ["kjj", "zjj", "swj", "wlj"]
    assert round_.departments["swj"] == "econ"
    assert app.department("r2027", "swj").head == "周强"
    assert round_.components["daily"]["wlj"] == "80"
    assert workbook_changes(app, "r2027", export_workbook(app, "r2027"), "again.xlsx") == []
    assert workbook_changes(app, "r2027", data, "again.xlsx") == []


def test_removals_are_applied_by_a_workbook_but_the_roster_is_only_shown(app: EvaluationApp) -> None:
    """Two departments go (out of their agendas, their daily scores with them), then the group they were in,
    and a sitting nobody sits in; the roster sheet, edited too, is listed but not applied."""
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    app.save_sitting("r2027", "s3", "第三场", "2027-12-16", "上午", by=ORGANISER)  # not in the workbook
    sheets = copy.deepcopy(good_sheets())
    sheets["场次"] = [sheets["场次"][0], ["s1", "第一场", "2027-12-15", "上午", "fgw"], sheets["场次"][2]]
    sheets["场次"][2] = ["s2", "第二场", "2027-12-15", "下午", "kjj"]
    sheets["部门"] = [row for row in sheets["部门"] if row[0] not in ("swj", "zjj")]
    sheets["部门组"] = [row for row in sheets["部门组"] if row[0] != "city"]
    sheets["其他得分"] = [row for row in sheets["其他得分"] if row[2] not in ("swj", "zjj")]
    sheets["代表"].append(["新代表", "npc", "main", "s2", ""])
    data = xlsx(sheets)
    changes = workbook_changes(app, "r2027", data, "x.xlsx")
    assert {(c.sheet, c.kind, c.key, c.applies) for c in changes} == {
        ("场次", CHANGED, "s1", True),
        ("场次", CHANGED, "s2", True),
        ("场次", REMOVED, "s3", True),
        ("部门", REMOVED, "swj", True),
        ("部门", REMOVED, "zjj", True),
        ("部门组", REMOVED, "city", True),
        ("其他得分", REMOVED, "daily · swj", True),
        ("其他得分", REMOVED, "daily · zjj", True),
        ("代表", KEPT_APART, "代表名单", False),
    }
    assert "swj" in app.round("r2027").departments  # listing changes records nothing

    applied = update_from_workbook(app, "r2027", data, "x.xlsx", ORGANISER, changes_digest(changes))
    assert applied == 8
    round_ = app.round("r2027")
    assert round_.departments == {"fgw": "econ", "kjj": "econ"}
    assert round_.groups == {"econ": "经济发展组"}
    assert [s["agenda"] for s in round_.sittings.values()] == [["fgw"], ["kjj"]]
    assert round_.components["daily"] == {"fgw": "90", "kjj": "70"}
    left = workbook_changes(app, "r2027", data, "again.xlsx")
    assert [(c.sheet, c.kind) for c in left] == [("代表", KEPT_APART)]


def test_a_removal_that_something_still_uses_refuses_the_whole_update(app: EvaluationApp) -> None:
    """王建国 sits in 昆都仑区分会场: removing it is refused, in the preview and on confirming, and the other
    changes of the same workbook (a department removed, a venue renamed) are not made either."""
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    sheets = copy.deepcopy(good_sheets())
    sheets["会场"] = [sheets["会场"][0], ["main", "主会场（礼堂）"]]
    sheets["场次"][2] = ["s2", "第二场", "2027-12-15", "下午", "kjj"]
    sheets["部门"] = [row for row in sheets["部门"] if row[0] != "zjj"]
    sheets["其他得分"] = [row for row in sheets["其他得分"] if row[2] != "zjj"]
    sheets["代表"] = [row for row in sheets["代表"] if row[0] != "王建国"]
    with pytest.raises(StillInUse, match="会场「昆都仑区分会场」（还有代表在此会场）"):
        workbook_changes(app, "r2027", xlsx(sheets), "x.xlsx")
    with pytest.raises(StillInUse, match="会场「昆都仑区分会场」"):
        update_from_workbook(app, "r2027", xlsx(sheets), "x.xlsx", ORGANISER)
    round_ = app.round("r2027")
    assert round_.venues == {"main": "主会场", "kdl": "昆都仑区分会场"}
    assert "zjj" in round_.departments and round_.sittings["s2"]["agenda"] == ["kjj", "zjj"]


def test_an_update_is_refused_whole_once_scoring_started_or_for_another_round(app: EvaluationApp) -> None:
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    bad = copy.deepcopy(edited())
    bad["场次"][1] = ["s1", "第一场", "2027-12-15", "上午", "fgw、nosuch"]
    with pytest.raises(WorkbookRejected, match="^工作簿有 1 处错误，未作任何修改$"):
        update_from_workbook(app, "r2027", xlsx(bad), "bad.xlsx", ORGANISER)
    with pytest.raises(WorkbookRejected, match="^工作簿有 1 处错误，未作任何修改$"):
        workbook_changes(app, "r2027", xlsx(bad), "bad.xlsx")
    assert app.round("r2027").title == "2027年度三民活动"
    other = copy.deepcopy(edited())
    other["活动"][1] = ["活动代码", "r2099"]
    with pytest.raises(InvalidInput, match="不是本活动"):
        workbook_changes(app, "r2027", xlsx(other), "other.xlsx")
    stale = changes_digest(workbook_changes(app, "r2027", xlsx(edited()), "a.xlsx"))
    app.define_venue("r2027", "dsq", "东胜区分会场", by=ORGANISER)
    with pytest.raises(InvalidInput, match="预览之后已有变动"):
        update_from_workbook(app, "r2027", xlsx(edited()), "a.xlsx", ORGANISER, stale)
    app.open_window("r2027", "fgw", by=ORGANISER)
    with pytest.raises(InvalidInput, match="第一个评分窗口已经开启"):
        workbook_changes(app, "r2027", xlsx(edited()), "a.xlsx")
    with pytest.raises(InvalidInput, match="第一个评分窗口已经开启"):
        update_from_workbook(app, "r2027", xlsx(edited()), "a.xlsx", ORGANISER)
    assert app.round("r2027").venues["kdl"] == "昆都仑区分会场"


def test_a_plan_with_problems_refuses_the_update_saying_that_nothing_was_changed(app: EvaluationApp) -> None:
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    untitled = replace(app.round_plan("r2027"), title=" ")
    with pytest.raises(PlanRejected) as refused:
        app.update_round_from_plan("r2027", untitled, ORGANISER)
    assert refused.value.code == "plan_rejected"
    assert refused.value.message.startswith("活动方案有 1 处错误，未作任何修改：")
    assert app.round("r2027").title == "2027年度三民活动"


def test_an_update_whose_department_code_has_a_slash_is_refused_whole(app: EvaluationApp) -> None:
    """The edited workbook (a title, a venue, a share … changed) adds 「a/b」: nothing of it is applied, from the
    file or from its plan handed to the domain directly."""
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    sheets = edited()
    sheets["部门"].append(["a/b", "市审计局", "", "econ", ""])
    with pytest.raises(WorkbookRejected) as refusal:
        workbook_changes(app, "r2027", xlsx(sheets), "x.xlsx")
    assert [p.message for p in refusal.value.problems] == [
        "部门代码「a/b」须由 1 到 40 个字母、数字、- 或 _ 组成"
    ]
    with pytest.raises(WorkbookRejected):
        update_from_workbook(app, "r2027", xlsx(sheets), "x.xlsx", ORGANISER)
    plan = read_workbook(xlsx(edited()), "x.xlsx")
    odd = replace(
        plan, departments=(*plan.departments, PlannedDepartment("q?x#y", "市审计局", "", "econ", ""))
    )
    with pytest.raises(PlanRejected, match="部门代码「q\\?x#y」"):
        app.round_update_changes("r2027", odd)
    with pytest.raises(PlanRejected):
        app.update_round_from_plan("r2027", odd, by=ORGANISER)
    round_ = app.round("r2027")
    assert (round_.title, round_.venues["kdl"]) == ("2027年度三民活动", "昆都仑区分会场")
    assert set(round_.departments) == {"fgw", "swj", "kjj", "zjj"}
