"""真实浏览器：平台管理员新建会务组、两个会场的签到员和两名计票员；签到员只能为本会场的代表签到；
一名计票员不能发布，两名（一人提议、另一人确认）才发布；历史记录按姓名显示每个人的操作。"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evaluation.keys import format_code
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_accessibility import AXE, Audit

pytest.importorskip("playwright.sync_api")

SIZES = {"phone": (390, 844), "tablet": (1024, 768), "projector": (1920, 1080)}


def sign_in(page: Any, site: Site, code: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site.url}/login")
    page.get_by_label("请输入评议卡上的登录码").fill(code)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def create(page: Any, site: Site, name: str, role: str, venue: str = "") -> str:
    """Fills the administrator's form; returns the code the next page shows once."""
    page.goto(f"{site.url}/organiser/staff")
    page.get_by_label("姓名").fill(name)
    page.get_by_label("单位").fill("市评议办")
    page.get_by_label("角色").select_option(role)
    page.get_by_label("评议活动").select_option("r2026")
    if venue:
        page.get_by_label("会场（签到员）").select_option(f"r2026:{venue}")
    page.get_by_role("button", name="新建并生成登录码").click()
    code = page.locator("#staff-code").inner_text()
    assert len(code.replace("-", "")) == 10
    return str(code)


def post_button(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).first.click()
    page.wait_for_load_state()


def test_staff_accounts_end_to_end(site: Site, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    sign_in(page, site, format_code(site.commands.issue_administrator_code(by=ORGANISER)))
    codes = {
        "吴刚": create(page, site, "吴刚", "organiser"),
        "刘洋": create(page, site, "刘洋", "checkin", "kdl"),
        "陈静": create(page, site, "陈静", "checkin", "main"),
        "孙敏": create(page, site, "孙敏", "results_officer"),
        "周杰": create(page, site, "周杰", "results_officer"),
    }
    page.goto(f"{site.url}/organiser/staff")
    listed = page.locator("table.staff-accounts tbody").inner_text()
    assert all(name in listed for name in codes) and all(code not in listed for code in codes.values())
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        site.shot(page, f"staff-accounts-{size}")
    page.set_viewport_size({"width": 1024, "height": 768})

    # 签到员 of kdl: 王建国 (kdl) yes; 李秀英 (main) is not even listed, and a forged request is refused
    sign_in(page, site, codes["刘洋"])
    assert page.url.endswith("/organiser/representatives")
    roster = page.locator("table.roster").inner_text()
    assert "王建国" in roster and "李秀英" not in roster
    post_button(page, "签到")
    assert "「王建国」（编号 2）已签到" in page.locator(".flash").inner_text()
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        site.shot(page, f"staff-checkin-desk-{size}")
    page.set_viewport_size({"width": 1024, "height": 768})
    token = page.locator('input[name="csrf"]').first.get_attribute("value")
    forged = page.request.post(
        f"{site.url}/organiser/representatives/{site.round.alice}/check-in",
        form={"csrf": token or ""},
        max_redirects=0,
    )
    assert forged.status == 403 and "只能为本会场的代表签到" in forged.text()
    assert page.request.get(f"{site.url}/organiser/results", max_redirects=0).status == 403
    sign_in(page, site, codes["陈静"])
    roster = page.locator("table.roster").inner_text()
    assert "李秀英" in roster and "王建国" not in roster
    post_button(page, "签到")  # desk.js posts it in the page: its answer replaces the page, with the flash
    page.locator(".flash").filter(has_text="「李秀英」（编号 1）已签到").wait_for()
    assert site.commands.representative(site.round.alice).checked_in

    # 会务组 runs the agenda
    sign_in(page, site, codes["吴刚"])
    for label in ("开始评分", "结束评分"):  # 市发改委's window, from the console
        post_button(page, label)
        site.sync()
        page.goto(f"{site.url}/organiser")
    for department in ("swj", "kjj", "zjj"):
        site.commands.open_window("r2026", department, by=ORGANISER)
        site.commands.close_window("r2026", department, by=ORGANISER)
    site.sync()

    # 计票员: one locks and proposes; he is not offered the confirmation (the domain refuses it:
    # test_staff_accounts); the second confirms
    sign_in(page, site, codes["孙敏"])
    assert page.url.endswith("/organiser/results")
    post_button(page, "锁定结果（之后不能再评分或作废）")
    site.sync()
    page.goto(f"{site.url}/organiser/results")
    post_button(page, "发布结果（各部门可查看）")
    assert "须由另一位计票员在 30 分钟内确认发布" in page.locator(".flash").inner_text()
    assert "您已提议发布，等待另一位计票员确认。" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="确认发布结果（各部门可查看）").count() == 0  # not his to confirm
    assert not site.commands.round("r2026").published
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        site.shot(page, f"staff-results-proposed-{size}")
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, site, codes["周杰"])
    post_button(page, "确认发布结果（各部门可查看）")
    assert "评议结果已发布" in page.locator(".flash").inner_text()
    assert site.commands.round("r2026").published
    site.sync()

    # the history names each person and their role, and filters by person
    sign_in(page, site, codes["吴刚"])
    page.goto(f"{site.url}/organiser/history")
    table = page.locator("table.history tbody").inner_text()
    for who, did in (
        ("刘洋（签到员）", "王建国"),
        ("陈静（签到员）", "李秀英"),
        ("吴刚（会务组）", "开始评分"),
        ("孙敏（计票员）", "提议发布评议结果"),
        ("周杰（计票员）", "发布评议结果"),
    ):
        assert any(who in line and did in line for line in table.splitlines()), (who, did, table)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        site.shot(page, f"staff-history-{size}")
    page.locator("select[name=person]").select_option(label="刘洋（签到员）")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    only = page.locator("table.history tbody").inner_text()
    assert "刘洋" in only and "吴刚" not in only and "孙敏" not in only
    assert errors == []
    context.close()


@pytest.mark.parametrize("size", ["phone", "tablet"])
def test_a_new_code_s_page_prints_its_card_once(site: Site, browser: Any, size: str) -> None:
    """The code page: readable at the size, no serious axe finding, and its button downloads the card."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing")
    audit = Audit(browser, site, size, AXE.read_text(encoding="utf-8"))
    audit.sign_in(site.commands.issue_administrator_code(by=ORGANISER))
    page = audit.page
    page.goto(f"{site.url}/organiser/staff")
    page.get_by_label("姓名").fill(f"王芳{size}")
    page.get_by_label("角色").select_option("checkin")
    page.get_by_label("评议活动").select_option("r2026")
    page.get_by_label("会场（签到员）").select_option("r2026:kdl")
    page.get_by_role("button", name="新建并生成登录码").click()
    page.wait_for_load_state()
    audit.check("/organiser/staff", name=f"staff-code-{size}")
    with page.expect_download() as download:
        page.get_by_role("button", name="打印登录卡（PDF，含二维码）").click()
    card = Path(download.value.path()).read_bytes()
    assert card.startswith(b"%PDF-") and download.value.suggested_filename.endswith(".pdf")
    assert audit.problems == [] and audit.failed_loads == []
    audit.close()
