"""工作人员操作记录 — the auditor's export holds every staff action of the round, whoever gave it: a personal
account by its name and role, the round's shared organiser code as 「共用会务组登录码」, a department's shared
code as 「部门共用登录码」. Representatives' acts (ballots, signed suggestions) and the system's never appear."""

from __future__ import annotations

import io
from uuid import UUID

from openpyxl import load_workbook

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.test_opinion_pages import opinions, scored_sitting
from tests.web.test_organiser_helpers import Site, running_site

SHARED = "共用会务组登录码"


async def run_the_round_with_the_shared_code(site: Site, round_: SmallRound) -> None:
    """Reopen, reprint a card, issue a department code, handle an opinion, reveal, lock and publish — all
    with the round's shared organiser code (no personal account)."""
    await site.sign_in_organiser()
    await site.post("/organiser/windows/fgw/reopen", {"reason": "主会场网络中断，补评"})
    await site.post("/organiser/windows/fgw/close")
    for department in ("swj", "kjj", "zjj"):
        await site.post(f"/organiser/windows/{department}/open")
        await site.post(f"/organiser/windows/{department}/close")
    card = await site.post(f"/organiser/representatives/{round_.bob}/card.pdf")
    assert card.status_code == 200 and card.headers["content-type"] == "application/pdf"
    await site.post("/organiser/departments/swj/credential")
    await site.post("/organiser/opinions/collect", {"sitting": "s1"})
    slow = str(opinions(site)["审批太慢"]["opinion_id"])
    await site.post("/organiser/opinions/assign", {"ids": slow, "lead": "fgw"})
    site.commands.answer_opinion("r2026", UUID(slow), "fgw", "已开通网上提交", "", "已办结", "department:fgw")
    site.sync()
    await site.post("/organiser/opinions/review", {"ids": slow, "decision": "accept"})
    await site.post("/organiser/opinions/publish")
    await site.post("/organiser/results/reveal")
    await site.post("/organiser/results/lock")
    await site.post("/organiser/results/publish")
    assert site.commands.round("r2026").published


async def exported_actions(site: Site) -> list[list[str]]:
    _, code = site.commands.add_staff("钱伟", "auditor", "operator:test", round_key="r2026")
    await site.sign_in(code)
    answer = await site.get("/organiser/trail.xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content))["操作记录"]
    return [[str(c.value or "") for c in row] for row in sheet.iter_rows()]


async def test_the_shared_organiser_code_s_actions_are_in_the_trail_under_its_name(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    scored_sitting(app, small_round)
    async with running_site(settings, app) as site:
        await run_the_round_with_the_shared_code(site, small_round)
        rows = await exported_actions(site)
    assert rows[0] == ["时间", "姓名", "角色", "操作", "部门", "原因", "序号"]
    shared = {(summary, reason) for _, name, role, summary, _, reason, _ in rows[1:] if name == SHARED}
    assert all(role == "会务组" for _, name, role, *_ in rows[1:] if name == SHARED)
    assert ("重新开始评分", "主会场网络中断，补评") in shared
    done = {summary for summary, _ in shared}
    assert {"大屏显示评议结果", "锁定评议结果", "发布评议结果", "发放部门登录码（第 1 张）"} <= done
    assert {"审核通过意见答复", "公开意见答复", "交办意见：承办 fgw，期限 " + deadline(done)} <= done
    assert "为代表 第 2 号 王建国 发放评议卡（第 2 张）" in done
    department = [row for row in rows[1:] if row[1] == "部门共用登录码"]
    assert [(row[2], row[3], row[4]) for row in department] == [("部门工作人员", "答复意见（已办结）", "fgw")]


async def test_representatives_and_the_system_are_never_in_the_trail(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    scored_sitting(app, small_round)  # two ballots and a signed suggestion
    async with running_site(settings, app) as site:
        await run_the_round_with_the_shared_code(site, small_round)
        rows = await exported_actions(site)
    names = {row[1] for row in rows[1:]}
    assert {SHARED, "部门共用登录码"} <= names
    assert not names & {"代表（匿名）", "代表（留名建议）", "系统"}
    assert not any("评议票" in row[3] or "留名建议" in row[3] for row in rows[1:])
    positions = [int(row[6]) for row in rows[1:]]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


def deadline(done: set[str]) -> str:
    """The assignment's deadline as recorded (a working-day count from today)."""
    found = [s.rsplit("期限 ", 1)[1] for s in done if s.startswith("交办意见：承办 fgw，期限 ")]
    assert len(found) == 1, done
    return found[0]
