"""真实浏览器：组织方查看准备情况（每项链接到处理的页面），修改一名代表的信息并导出名单，导入日常考核成绩
（先预览综合结果，再确认）；手机、平板、投影三种屏幕各一遍，页面不横向溢出，截图留存。"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from evaluation.keys import format_code
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site

pytest.importorskip("playwright.sync_api")

SCREENS = {"phone": (390, 844), "tablet": (1024, 768), "projector": (1920, 1080)}
SCORES = "部门,得分\n市发改委,92.5\n市水务局,88\n市科技局,90\n市住建局,75\n"


def fits_the_width(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def scored_fgw(site: Site) -> None:
    """李秀英 (人大代表) 满意 and 王建国 (社区居民) 不满意 for 市发改委: its live score is (100 + 0) / 2 = 50."""
    commands, round_ = site.commands, site.round
    commands.open_window("r2026", "fgw", by=ORGANISER)
    commands.cast_ballot(round_.alice, "fgw", "alice-ballot-1", "satisfied")
    commands.cast_ballot(round_.bob, "fgw", "bob-ballot-1", "dissatisfied")
    commands.close_window("r2026", "fgw", by=ORGANISER)
    site.sync()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_organiser_checks_readiness_corrects_the_roster_and_imports_daily_scores(
    site: Site, browser: Any, tmp_path: Path, screen: str
) -> None:
    width, height = SCREENS[screen]
    scored_fgw(site)
    scores = tmp_path / "日常考核.csv"
    scores.write_text(SCORES, encoding="utf-8")
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site.url}/login?code={format_code(site.commands.keys.organiser_code('r2026'))}")
    page.wait_for_url(lambda url: "/login" not in url)

    # 准备情况: what is missing, each with the link to where it is fixed
    page.get_by_role("link", name="准备情况").click()
    page.wait_for_url(f"{site.url}/organiser/readiness")
    reports = page.locator("#check-reports")
    assert "未完成" in reports.inner_text() and "「市发改委」尚未提交述职报告" in reports.inner_text()
    assert "已完成" in page.locator("#check-agenda").inner_text()
    assert "「主会场」的「人大代表」只有 1 人" in page.locator("#check-small").inner_text()
    assert fits_the_width(page)
    site.shot(page, f"readiness-checklist-{width}x{height}")
    page.locator("#check-cards").get_by_role("link", name="打印评议卡").click()
    page.wait_for_url(f"{site.url}/organiser/cards")

    # 修改代表信息, with a reason
    page.goto(f"{site.url}/organiser/representatives")
    page.locator("tr", has_text="王建国").get_by_role("link", name="修改").click()
    page.get_by_label("姓名").fill("王建军")
    page.get_by_label("修改原因（必填）").fill("报名表录错")
    assert fits_the_width(page)
    site.shot(page, f"readiness-representative-edit-{width}x{height}")
    page.get_by_role("button", name="保存修改").click()
    page.get_by_text("已修改第 2 号代表「王建军」的信息").wait_for()
    assert site.commands.representative(site.round.bob).name == "王建军"

    # 导出名单
    page.goto(f"{site.url}/organiser/representatives")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出名单（Excel）").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    assert rows[0] == ["编号", "姓名", "类别", "会场", "场次", "签到", "评议卡"]
    assert rows[2][:3] == [2, "王建军", "社区居民"] and rows[2][6] == "未打印"

    # 其他得分: upload, preview the composite, confirm
    page.get_by_role("link", name="其他得分").click()
    page.wait_for_url(f"{site.url}/organiser/components")
    page.get_by_label("组成部分名称").fill("日常考核")
    page.get_by_label("权重（%）").fill("20")
    page.get_by_label("成绩表文件").set_input_files(str(scores))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_text("尚未导入").wait_for()
    fgw = page.locator("#composite-fgw").inner_text()
    assert "50.000" in fgw or "50" in fgw
    assert "58.500" in fgw  # 0.8 × 50 + 0.2 × 92.5, per docs/scoring.md §6
    assert site.commands.round("r2026").components == {}
    assert fits_the_width(page)
    site.shot(page, f"readiness-component-preview-{width}x{height}")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入「日常考核」4 个部门的得分，权重 20%").wait_for()
    site.sync()  # the views follow the events (the page is read from them)
    page.reload()
    assert "58.500" in page.locator("#composite-fgw").inner_text()
    assert site.commands.round("r2026").components["日常考核"]["fgw"] == "92.5"
    assert fits_the_width(page)
    site.shot(page, f"readiness-components-{width}x{height}")
    assert errors == []
    context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_organiser_updates_the_round_from_its_edited_workbook(
    site: Site, browser: Any, tmp_path: Path, screen: str
) -> None:
    from workbook import export_workbook

    width, height = SCREENS[screen]
    book = openpyxl.load_workbook(io.BytesIO(export_workbook(site.commands, "r2026")))
    book["会场"].cell(row=3, column=2).value = "昆都仑区会场"
    book["部门"].cell(row=2, column=5).value = "张建华"
    book["部门"].append(["wlj", "市文旅局", "市文旅局", "city", "赵敏"])
    book["场次"].cell(row=3, column=5).value = "kjj、zjj、wlj"
    edited = tmp_path / "r2026-修订.xlsx"
    book.save(edited)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site.url}/login?code={format_code(site.commands.keys.organiser_code('r2026'))}")
    page.wait_for_url(lambda url: "/login" not in url)
    page.get_by_role("link", name="更新活动工作簿").click()
    page.get_by_label("活动工作簿", exact=True).set_input_files(str(edited))
    page.get_by_role("button", name="上传并查看变动").click()
    page.get_by_text("尚未生效").wait_for()
    rows = [r.split("\t") for r in page.locator("table.changes tbody tr").all_inner_texts()]
    assert ["会场", "修改", "kdl", "名称 昆都仑区分会场", "名称 昆都仑区会场"] in rows
    assert ["部门", "新增", "wlj"] in [r[:3] for r in rows]
    assert site.commands.round("r2026").venues["kdl"] == "昆都仑区分会场"
    assert fits_the_width(page)
    site.shot(page, f"readiness-workbook-preview-{width}x{height}")
    page.get_by_role("button", name="确认更新（4 项）").click()
    page.get_by_text("已按工作簿「r2026-修订.xlsx」更新活动设置（4 项）").wait_for()
    assert site.commands.round("r2026").sittings["s2"]["agenda"] == ["kjj", "zjj", "wlj"]
    assert errors == []
    context.close()
