"""述职报告「谁提交」：每一稿写明提交人的姓名和角色（共用登录码写作「部门共用登录码」），部门页和组织方的两个
报告页都不显示内部编号；部门页头写明当前是谁登录。"""

from __future__ import annotations

import re

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.test_organiser_helpers import running_site
from tests.web.test_reports import submit

INTERNAL = re.compile(r"staff:|department:fgw|organiser:")
"""How the history records an actor: never shown to a person."""


def draft(n: int) -> dict[str, str]:
    return {"title": f"发改委述职报告（第 {n} 版）", "summary": "摘要", "text": ""}


async def test_each_revision_names_who_submitted_it_on_the_department_s_and_the_organiser_s_pages(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    organiser_account = app.add_staff("赵会务", "organiser", ORGANISER, round_key="r2026")[1]
    async with running_site(settings, app) as site:
        await site.sign_in_department("fgw")  # 第 1 稿, with the shared code (no personal account yet)
        assert "当前登录：部门共用登录码" in (await site.get("/department")).text
        assert (await submit(site, "/department/report", draft(1))).status_code == 303
        li_ming = app.add_staff("李明", "department", ORGANISER, round_key="r2026", department="fgw")[1]
        wang_fang = app.add_staff("王芳", "department", ORGANISER, round_key="r2026", department="fgw")[1]
        for code, n in ((li_ming, 2), (wang_fang, 3)):
            await site.sign_in(code)
            assert (await submit(site, "/department/report", draft(n))).status_code == 303
        await site.sign_in(organiser_account)
        assert (await submit(site, "/organiser/reports/fgw", draft(4))).status_code == 303

        on_behalf = "组织方代为提交：赵会务（会务组）"
        listed = (await site.get("/organiser/reports")).text
        assert on_behalf in listed and not INTERNAL.search(listed)
        for page in ("/organiser/reports/fgw", "/department/report"):
            if page.startswith("/department"):
                await site.sign_in(li_ming)
            text = (await site.get(page)).text
            lines = re.findall(r"<summary>第 (\d) 稿.*?·\s*([^·<]+?)</summary>", text, re.S)
            assert dict(lines) == {
                "4": on_behalf,
                "3": "王芳（部门工作人员）",
                "2": "李明（部门工作人员）",
                "1": "部门共用登录码",
            }, page
            assert not INTERNAL.search(text), page
        assert "当前登录：李明（部门工作人员）" in text
