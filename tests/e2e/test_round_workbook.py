"""真实浏览器：平台管理员在登录页输入登录码，上传有错的活动工作簿（逐处列出错误，什么也不创建），再上传正确的
（创建活动，显示组织方登录码）；手机、平板、电脑三种屏幕各一遍，页面不横向溢出。"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evaluation.keys import format_code
from evaluation.round import Round, round_id
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site, sign_in_as_administrator
from tests.workbook.books import good_sheets, xlsx

pytest.importorskip("playwright.sync_api")

SCREENS = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1920, 1080)}


def fits_the_width(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_administrator_uploads_a_bad_then_a_good_workbook(
    site: Site, browser: Any, tmp_path: Path, screen: str
) -> None:
    width, height = SCREENS[screen]
    bad_sheets = good_sheets()
    bad_sheets["场次"][2][4] = "kjj、nowhere"
    bad_sheets["代表类别"][1][2] = 0
    bad_sheets["部门"][3][0] = "fgw"
    bad, good = tmp_path / "有错的工作簿.xlsx", tmp_path / "r2027.xlsx"
    bad.write_bytes(xlsx(bad_sheets))
    good.write_bytes(xlsx(good_sheets()))
    code = site.commands.issue_administrator_code(by=ORGANISER)

    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_as_administrator(page, site.url, code)
    assert "2026年度三民活动" in page.locator("table").last.inner_text()

    page.get_by_label("活动工作簿", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="上传并创建活动").click()
    problems = page.locator(".problems")
    problems.wait_for()
    assert "「有错的工作簿.xlsx」未导入" in problems.inner_text()
    rows = [r.split("\t") for r in problems.locator("tbody tr").all_inner_texts()]
    assert ["代表类别", "2", "权重"] in [r[:3] for r in rows]
    assert ["场次", "3", "议程"] in [r[:3] for r in rows]
    assert site.commands.find(Round, round_id("r2027")) is None
    assert fits_the_width(page), "the list of problems runs off the screen"
    site.shot(page, f"workbook-refused-{width}x{height}")

    page.get_by_label("活动工作簿", exact=True).set_input_files(str(good))
    page.get_by_role("button", name="上传并创建活动").click()
    page.get_by_text("已由「r2027.xlsx」创建评议活动 r2027").wait_for()
    organiser_code = format_code(site.commands.keys.organiser_code("r2027"))
    assert page.locator(".big-code").inner_text() == organiser_code
    assert site.commands.round("r2027").title == "2027年度三民活动"
    assert fits_the_width(page)
    site.shot(page, f"workbook-created-{width}x{height}")
    assert errors == []
    context.close()
