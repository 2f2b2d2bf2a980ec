"""真实浏览器，市发改委的办公人员：评分开始后修改述职报告，报告页写明状态，公开预读页注明评分时是哪一稿；组织方把一条意见
改派给市水务局后，意见办理页列出「已改派给市水务局」。手机 390×844 与平板 1024×768 各一遍，不横向溢出。
截图：test-artifacts/screenshots/whereabouts-*.png。"""

from __future__ import annotations

from typing import Any

from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_direct_answer_card import COMMENT, SIZES, sign_in, signed_suggestion_assigned
from tests.integration.test_projection_helpers import query

FGW = "department:fgw"


def fits(page: Any, width: int) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= width)


def test_the_officer_sees_the_reports_state_and_where_a_moved_opinion_went(
    site: Site, browser: Any, settings: Settings
) -> None:
    app = site.commands
    app.submit_report("r2026", "fgw", "发改委2026年度述职报告", "项目为王", "全文", by=FGW)
    signed_suggestion_assigned(site, settings)  # fgw's window opened and closed: scoring began
    app.open_pre_reading("r2026", by=ORGANISER)
    moved = [
        r["opinion_id"]
        for r in query(settings, "SELECT opinion_id, text FROM opinions_view")
        if r["text"] == COMMENT
    ]
    app.assign_opinions("r2026", moved, "swj", [], ORGANISER)
    code = app.issue_department_credential("r2026", "fgw", by=ORGANISER)
    site.sync()
    errors: list[str] = []
    for size in ("phone", "tablet"):
        device = SIZES[size]
        width = device["viewport"]["width"]
        context = browser.new_context(**device, locale="zh-CN")
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(site, page, code)
        page.goto(f"{site.url}/department/report")
        state = page.get_by_role("list", name="报告现在的状态").inner_text()
        assert "公开预读：已公开。" in state and "修改：仍可修改，但会注明。" in state
        if size == "phone":
            page.get_by_label("报告标题").fill("发改委2026年度述职报告（改错字）")
            page.get_by_role("button", name="保存报告").click()
            page.get_by_text("述职报告已保存（第 2 稿）").wait_for()
            site.sync()
        site.shot(page, f"whereabouts-report-{size}")
        assert fits(page, width)
        page.goto(f"{site.url}/rounds/r2026/reports")
        note = page.get_by_role("note").first
        assert "评分开始时的报告为第 1 稿；评分开始后，部门于" in note.inner_text()
        site.shot(page, f"whereabouts-public-{size}")
        assert fits(page, width)
        page.goto(f"{site.url}/department/opinions")
        section = page.get_by_role("region", name="已改派给其他部门")
        assert "已改派给市水务局：" in section.inner_text() and COMMENT in section.inner_text()
        assert page.locator("article.opinion-card", has_text=COMMENT).count() == 0
        section.scroll_into_view_if_needed()
        site.shot(page, f"whereabouts-opinions-{size}")
        assert fits(page, width)
        context.close()
    assert errors == []
