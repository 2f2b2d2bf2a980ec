"""真实浏览器：代表在手机上评分、断网后再评（待发送）、恢复后只到达一次；大屏不刷新就更新。"""

from __future__ import annotations

from typing import Any

import pytest

from evaluation.keys import format_code
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site

expect = pytest.importorskip("playwright.sync_api").expect

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
HALL = {"viewport": {"width": 1920, "height": 1080}}


def ballot_topics(site: Site) -> list[str]:
    notifications = site.commands.recorder.select_notifications(start=1, limit=100_000)
    return [n.topic.rsplit(".", 1)[-1] for n in notifications if ":Ballot." in n.topic]


def receipt_shown(page: Any, department: str = "fgw") -> str:
    text: str = page.locator(f"#dept-{department} .outcome .receipt strong").inner_text()
    return text.replace(" ", "")


def sign_in_by_qr(site: Site, page: Any) -> None:
    page.goto(f"{site.url}/login?code={format_code(site.round.alice_code)}")
    page.wait_for_url(f"{site.url}/r")


def test_a_phone_ballot_survives_the_network_dropping_and_arrives_exactly_once(
    site: Site, browser: Any
) -> None:
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    console: list[str] = []
    errors: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_by_qr(site, page)
    fgw = page.locator("#dept-fgw")
    assert fgw.get_attribute("data-window") == "pending"
    site.shot(page, "tablet-waiting")

    site.commands.open_window("r2026", "fgw", by=ORGANISER)  # the page learns it by server-sent event
    page.wait_for_selector('#dept-fgw[data-window="open"] form.ballot:not([hidden])')
    fgw.get_by_role("button", name="满意", exact=True).tap()
    fgw.locator("textarea[name=comment]").fill("希望加快审批")
    site.shot(page, "tablet-choosing")
    fgw.get_by_role("button", name="提交评分").tap()
    page.wait_for_selector("#dept-fgw .outcome.sent")
    first = receipt_shown(page)
    assert "已提交" in fgw.locator(".outcome").inner_text()
    site.shot(page, "tablet-submitted")

    context.set_offline(True)
    fgw.get_by_role("button", name="修改评分").tap()
    fgw.get_by_role("button", name="比较满意").tap()
    fgw.get_by_role("button", name="提交评分").tap()
    page.wait_for_selector("#dept-fgw .outcome.pending")
    assert "待发送" in fgw.locator(".outcome").inner_text()
    page.wait_for_selector("#net.alert")
    assert "网络已断开" in page.locator("#net").inner_text()
    site.shot(page, "tablet-offline")
    assert ballot_topics(site) == ["Cast"]

    context.set_offline(False)
    page.wait_for_selector("#dept-fgw .outcome.sent", timeout=20_000)
    second = receipt_shown(page)
    assert second != first
    assert ballot_topics(site) == ["Cast", "Amended"]
    site.sync()
    assert site.commands.cast_ballot(site.round.alice, "fgw", "probe-0001", "satisfied").code
    site.shot(page, "tablet-resent")
    assert not [m for m in console if "Content Security Policy" in m]
    assert errors == []
    context.close()


def test_a_ballot_whose_answer_was_lost_is_resent_with_its_client_id_and_counted_once(
    site: Site, browser: Any
) -> None:
    site.commands.open_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in_by_qr(site, page)
    lost: list[str] = []

    def lose_the_first_answer(route: Any) -> None:
        if not lost:
            answer = route.fetch()  # the server receives and records the ballot…
            lost.append(answer.json()["receipt"])
            route.abort("connectionreset")  # …but the answer never reaches the phone
        else:
            route.continue_()

    page.route("**/api/ballots", lose_the_first_answer)
    fgw = page.locator("#dept-fgw")
    fgw.get_by_role("button", name="基本满意").tap()
    fgw.get_by_role("button", name="提交评分").tap()
    page.wait_for_selector("#dept-fgw .outcome.sent", timeout=20_000)
    assert receipt_shown(page) == lost[0]
    assert ballot_topics(site) == ["Cast"]
    context.close()


def test_a_ballot_held_offline_until_the_window_closed_is_reported_as_not_accepted(
    site: Site, browser: Any
) -> None:
    site.commands.open_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in_by_qr(site, page)
    context.set_offline(True)
    fgw = page.locator("#dept-fgw")
    fgw.get_by_role("button", name="不满意").tap()
    fgw.get_by_role("button", name="提交评分").tap()
    page.wait_for_selector("#dept-fgw .outcome.pending")
    site.commands.close_window("r2026", "fgw", by=ORGANISER)
    context.set_offline(False)
    page.wait_for_selector("#dept-fgw .outcome.refused", timeout=20_000)
    assert "评分已结束" in fgw.locator(".outcome").inner_text()
    site.shot(page, "tablet-window-closed")
    assert ballot_topics(site) == []
    context.close()


def test_the_projector_follows_ballots_and_the_reveal_without_reloading(site: Site, browser: Any) -> None:
    context = browser.new_context(**HALL, locale="zh-CN")
    page = context.new_page()
    site.commands.open_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    page.goto(f"{site.url}/projector/r2026")
    page.evaluate("window.sameDocument = true")
    assert "已评 0 / 2" in page.locator(".pj-current").inner_text()
    site.shot(page, "projector-open")

    site.commands.cast_ballot(site.round.alice, "fgw", "alice-0001", "satisfied")
    expect(page.locator(".pj-count strong")).to_have_text("1", timeout=5_000)
    assert "实时排名" not in page.content()

    site.commands.reveal_results("r2026", by=ORGANISER)
    page.wait_for_selector(".pj-ranking", timeout=5_000)
    ranking = page.locator(".pj-ranking")
    assert "正在评分的部门组" in ranking.inner_text() and "市发改委" not in ranking.inner_text()
    site.commands.close_window("r2026", "fgw", by=ORGANISER)  # one ballot: its score is not shown
    expect(ranking).to_contain_text("不足 5 票，不公布", timeout=5_000)
    assert "100.000" not in ranking.inner_text()
    assert page.evaluate("window.sameDocument") is True
    site.shot(page, "projector-revealed")
    context.close()


def test_the_public_pages_render_in_chinese(site: Site, browser: Any) -> None:
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(f"{site.url}/")
    site.shot(page, "home")
    page.goto(f"{site.url}/login")
    page.fill("#code", "wrong-code1")
    page.click("button[type=submit]")
    page.wait_for_selector(".notice")
    assert "登录码不正确" in page.locator(".notice").inner_text()
    site.shot(page, "login-refused")
    page.goto(f"{site.url}/receipts?code=ABCD-EFGH")
    site.shot(page, "receipt-check")
    assert not [m for m in messages if "Content Security Policy" in m]
    context.close()


def test_at_tablet_width_every_touch_target_is_at_least_48_pixels(site: Site, browser: Any) -> None:
    site.commands.submit_report(
        "r2026", "fgw", "2025年工作报告", "推进重大项目建设，优化营商环境。", "", by="department:fgw"
    )
    site.commands.open_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    context = browser.new_context(viewport={"width": 800, "height": 1280}, has_touch=True, locale="zh-CN")
    page = context.new_page()
    sign_in_by_qr(site, page)
    page.locator("#dept-fgw details.signed summary").click()
    site.shot(page, "tablet-wide")
    targets = page.locator("#dept-fgw button:visible, #dept-fgw summary, #logout button")
    assert targets.count() >= 8
    for i in range(targets.count()):
        box = targets.nth(i).bounding_box()
        assert box is not None and box["height"] >= 48 and box["width"] >= 48, targets.nth(i).inner_text()
    assert "您的姓名和登记的手机号" in page.locator("#dept-fgw details.signed").inner_text()
    context.close()
