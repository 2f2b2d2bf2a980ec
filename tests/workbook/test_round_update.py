"""用工作簿更新活动: before the first window opens an edited workbook says what it changes and, confirmed,
applies all of it or nothing; after that it is refused plainly."""

from __future__ import annotations

import copy

import pytest

from evaluation.application import EvaluationApp
from evaluation.errors import InvalidInput
from evaluation.round_update import ADDED, CHANGED, KEPT_APART, REMOVED
from tests.conftest import ORGANISER
from tests.workbook.books import Sheets, good_sheets, xlsx
from workbook import (
    WorkbookRejected,
    changes_digest,
    export_workbook,
    import_workbook,
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


def test_removals_and_the_roster_are_shown_but_not_applied_by_a_workbook(app: EvaluationApp) -> None:
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    sheets = copy.deepcopy(good_sheets())
    del sheets["会场"][2]
    sheets["代表"] = [row for row in sheets["代表"] if row[2] not in ("kdl", "昆都仑区分会场")]
    sheets["代表"].append(["新代表", "npc", "main", "s2", ""])
    changes = workbook_changes(app, "r2027", xlsx(sheets), "x.xlsx")
    assert {(c.sheet, c.kind, c.key, c.applies) for c in changes} == {
        ("会场", REMOVED, "kdl", False),
        ("代表", KEPT_APART, "代表名单", False),
    }
    with pytest.raises(InvalidInput, match="工作簿删去了 1 项（会场「kdl」）"):
        update_from_workbook(app, "r2027", xlsx(sheets), "x.xlsx", ORGANISER)
    assert app.round("r2027").venues["kdl"] == "昆都仑区分会场"


def test_an_update_is_refused_whole_once_scoring_started_or_for_another_round(app: EvaluationApp) -> None:
    import_workbook(app, xlsx(good_sheets()), "r2027.xlsx", by=ORGANISER)
    bad = copy.deepcopy(edited())
    bad["场次"][1] = ["s1", "第一场", "2027-12-15", "上午", "fgw、nosuch"]
    with pytest.raises(WorkbookRejected):
        update_from_workbook(app, "r2027", xlsx(bad), "bad.xlsx", ORGANISER)
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
