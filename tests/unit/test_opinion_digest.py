"""每日办理提醒：按承办部门列出逾期、即将到期、退回重办与改派申请；合并组只算一件；已答复待审核的不算逾期。"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from evaluation.opinion import add_working_days
from projections.opinion_digest import daily_digest, digest_text, working_days_between

MONDAY = date(2026, 12, 7)


def row(lead: str, deadline: date, **kw: Any) -> dict[str, Any]:
    base = {
        "opinion_id": uuid4(),
        "group_id": None,
        "lead": lead,
        "shown": f"{lead} 的意见",
        "answered": False,
    }
    return base | {"deadline": deadline.isoformat(), "review": None, "reassignment": None} | kw


def test_working_days_between_count_only_monday_to_friday() -> None:
    assert working_days_between(MONDAY, MONDAY) == 0
    assert working_days_between(MONDAY, MONDAY + timedelta(days=7)) == 5
    friday = date(2026, 12, 4)
    assert working_days_between(friday, MONDAY) == 1
    for days in range(0, 40):
        assert working_days_between(MONDAY, add_working_days(MONDAY, days)) == days


def test_the_digest_lists_overdue_and_due_soon_per_department_and_a_group_once() -> None:
    group = uuid4()
    rows = [
        row("fgw", MONDAY - timedelta(days=7), opinion_id=group, group_id=group, shown="审批太慢"),
        row("fgw", MONDAY - timedelta(days=7), group_id=group, shown="审批太慢了"),
        row("fgw", MONDAY + timedelta(days=2), shown="停车难"),
        row("fgw", MONDAY + timedelta(days=30), shown="还早"),
        row("swj", MONDAY - timedelta(days=1), answered=True, review="pending", shown="已答复待审"),
        row("swj", MONDAY - timedelta(days=1), answered=True, review="returned", shown="退回的"),
        row("swj", MONDAY + timedelta(days=1), reassignment="不属本部门职责", shown="要改派"),
    ]
    digest = daily_digest(rows, MONDAY)
    fgw, swj = digest.departments
    assert fgw.department == "fgw" and [(i.text, i.count, i.days_late) for i in fgw.overdue] == [
        ("审批太慢", 2, 5)
    ]
    assert [i.text for i in fgw.due_soon] == ["停车难"], "30 days ahead is not due soon"
    assert [i.text for i in swj.overdue] == ["退回的"] and [i.text for i in swj.returned] == ["退回的"]
    assert [i.reason for i in swj.reassignment] == ["不属本部门职责"] and swj.due_soon == []
    assert (digest.overdue, digest.due_soon, digest.to_review, digest.to_reassign) == (2, 1, 1, 1)
    text = digest_text(digest, "2026年度三民活动", {"fgw": "市发改委"})
    assert (
        "【市发改委】" in text and "逾期：审批太慢（合并 2 条） — 期限 2026-11-30，已逾期 5 个工作日" in text
    )
    assert "申请改派：要改派 — 原因：不属本部门职责" in text and "【swj】" in text


def test_a_quiet_day_says_so() -> None:
    digest = daily_digest([row("fgw", MONDAY + timedelta(days=30))], MONDAY)
    assert digest.departments == [] and "今天没有逾期" in digest_text(digest, "活动", {})
