"""真实浏览器：签到台（签到员，手机 390×844 与平板 1024×768）。

补发新卡、打印新卡会让代表手上的旧卡作废：点一下只展开确认框，框里写明谁（姓名、编号）的旧卡将作废，
再点确认按钮才补发或打印。名单打开在今天（北京时间）本会场的场次，点「全部场次」列出全部。
Wi-Fi 断了时点「签到」：页面还在，醒目地说签到未保存；网络恢复后再点一次就签上了。截图：test-artifacts/screenshots/desk-*.png。"""

from __future__ import annotations

from typing import Any

import pytest

from evaluation.keys import format_code
from evaluation.round_day import round_today
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site

pytest.importorskip("playwright.sync_api")

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}


def desk(site: Site, browser: Any, viewport: dict[str, int] = PHONE, script: bool = True) -> Any:
    """A page signed in as 刘洋, the check-in desk of 昆都仑区分会场 (王建国's venue), on the roster."""
    _, code = site.commands.add_staff("刘洋", "checkin", ORGANISER, round_key="r2026", venue="kdl")
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", accept_downloads=True, java_script_enabled=script
    )
    page = context.new_page()
    page.goto(f"{site.url}/login")
    page.get_by_label("请输入评议卡上的登录码").fill(format_code(code))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{site.url}/organiser/representatives")
    return page


def serial(site: Site) -> int:
    return int(site.commands.representative(site.round.bob).credential_serial)


def test_one_tap_on_reissue_or_print_leaves_the_card_valid(site: Site, browser: Any) -> None:
    page = desk(site, browser)
    first = serial(site)
    card = page.locator("table.roster tbody tr", has_text="王建国")
    for label in ("补发新卡", "打印新卡"):  # the tap by mistake: the card still works
        card.get_by_text(label, exact=True).click()
        page.wait_for_load_state()
        assert serial(site) == first, f"one tap on 「{label}」 voided 王建国's card"
        assert page.url == f"{site.url}/organiser/representatives"
        confirm = card.get_by_role("button", name=f"确认{label}：「王建国」（编号 2）的旧卡将作废")
        assert confirm.is_visible() and confirm.is_enabled()
        notice = card.locator("details.voids[open]").inner_text()
        assert "「王建国」（编号 2）" in notice and "旧卡将作废" in notice
        assert confirm.bounding_box()["x"] + confirm.bounding_box()["width"] <= PHONE["width"]
        site.shot(page, f"desk-confirm-{'reissue' if label == '补发新卡' else 'print'}-phone")
        page.set_viewport_size(TABLET)
        site.shot(page, f"desk-confirm-{'reissue' if label == '补发新卡' else 'print'}-tablet")
        page.set_viewport_size(PHONE)
        card.get_by_text(label, exact=True).click()  # the same tap again folds it away
        assert not confirm.is_visible()

    with page.expect_download() as download:  # the second, deliberate tap prints
        card.get_by_text("打印新卡", exact=True).click()
        card.get_by_role("button", name="确认打印新卡：「王建国」（编号 2）的旧卡将作废").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert serial(site) == first + 1
    page.goto(f"{site.url}/organiser/representatives")
    card.get_by_text("补发新卡", exact=True).click()
    card.get_by_role("button", name="确认补发新卡：「王建国」（编号 2）的旧卡将作废").click()
    page.wait_for_load_state()
    assert "已为「王建国」（编号 2）补发评议卡，旧卡作废" in page.locator("main").inner_text()
    assert serial(site) == first + 2
    page.context.close()


def test_the_desk_opens_on_todays_sitting(site: Site, browser: Any) -> None:
    """王建国 is in 第一场 (no date), 赵敏 in 第二场, held today: the desk sees 赵敏 first."""
    today = round_today()
    site.commands.define_sitting(
        "r2026", "s2", "第二场", ["kjj", "zjj"], by=ORGANISER, date=today.isoformat()
    )
    site.commands.register_representative("r2026", "赵敏", "resident", "kdl", "s2", by=ORGANISER)
    site.sync()
    page = desk(site, browser)
    names = page.locator("table.roster td[data-label=姓名]")
    assert names.all_inner_texts() == ["赵敏"]
    notice = page.locator(".today-sitting")
    assert (
        f"今天（{today.month}月{today.day}日）本会场的场次是「第二场（{today.isoformat()}）」"
        in notice.inner_text()
    )
    assert page.get_by_label("场次").evaluate("s => s.selectedOptions[0].textContent") == "第二场"
    site.shot(page, "desk-today-phone")
    page.set_viewport_size(TABLET)
    site.shot(page, "desk-today-tablet")
    page.get_by_role("link", name="全部场次").click()
    page.wait_for_load_state()
    assert names.all_inner_texts() == ["王建国", "赵敏"]
    assert page.get_by_label("场次").evaluate("s => s.selectedOptions[0].textContent") == "全部"
    page.context.close()


def test_a_check_in_without_network_says_it_was_not_saved(site: Site, browser: Any) -> None:
    page = desk(site, browser)
    roster = page.url
    card = page.locator("table.roster tbody tr", has_text="王建国")
    page.context.set_offline(True)  # the hall's Wi-Fi drops
    card.get_by_role("button", name="签到").click()
    alert = card.get_by_role("alert")
    alert.wait_for(timeout=5_000)
    assert alert.inner_text() == "网络中断，签到未保存，请恢复网络后重试"
    assert page.url == roster and "王建国" in page.locator("table.roster").inner_text()
    assert card.get_by_role("button", name="签到").is_enabled()
    assert not site.commands.representative(site.round.bob).checked_in
    site.shot(page, "desk-offline-phone")
    page.set_viewport_size(TABLET)
    site.shot(page, "desk-offline-tablet")

    page.context.set_offline(False)  # back: the same button, once more
    card.get_by_role("button", name="签到").click()
    page.locator(".flash").filter(has_text="「王建国」（编号 2）已签到").wait_for(timeout=5_000)
    assert site.commands.representative(site.round.bob).checked_in
    assert page.url == f"{site.url}/organiser/representatives?q=2"
    assert card.get_by_role("alert").count() == 0 and "已签到" in card.inner_text()
    page.context.close()


def test_without_script_a_check_in_is_a_plain_form_post(site: Site, browser: Any) -> None:
    page = desk(site, browser, script=False)
    page.locator("table.roster tbody tr", has_text="王建国").get_by_role("button", name="签到").click()
    page.wait_for_url(f"{site.url}/organiser/representatives?q=2")
    assert "「王建国」（编号 2）已签到" in page.locator(".flash").inner_text()
    assert site.commands.representative(site.round.bob).checked_in
    page.context.close()
