"""代表评议页面：提交后该部门的状态框留在视野里并告知读屏软件；大字开关每台平板记住。"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.conftest import ORGANISER
from tests.e2e.conftest import SCREENSHOTS, Site
from tests.e2e.test_browser import PHONE, receipt_shown, sign_in_by_qr

IN_VIEW = """selector => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}"""


def test_after_submitting_the_status_box_stays_in_view_and_is_announced(site: Site, browser: Any) -> None:
    site.commands.open_window("r2026", "fgw", by=ORGANISER)
    site.commands.open_window("r2026", "swj", by=ORGANISER)
    site.sync()
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in_by_qr(site, page)
    fgw = page.locator("#dept-fgw")
    fgw.locator("textarea[name=comment]").fill("希望加快审批")
    fgw.get_by_role("button", name="基本满意").tap()
    page.evaluate(
        "document.querySelector('#dept-fgw form.ballot button.submit').scrollIntoView({block: 'end'})"
    )
    # the department's name just off the top, its submit button still on the screen
    page.evaluate(
        "window.scrollBy(0, document.querySelector('#dept-fgw .dept-head').getBoundingClientRect().bottom + 1)"
    )
    assert not page.evaluate(IN_VIEW, "#dept-fgw .dept-head")  # the department's name scrolled off the top
    fgw.get_by_role("button", name="提交评分").tap()
    page.wait_for_selector("#dept-fgw .outcome.sent")
    page.wait_for_function(IN_VIEW, arg="#dept-fgw .outcome", timeout=5_000)
    receipt = receipt_shown(page, "fgw")
    announced = page.locator("#announce")
    assert announced.get_attribute("aria-live") == "polite"
    assert announced.inner_text() == f"「市发改委」已提交，回执码 {receipt[:5]} {receipt[5:]}。"
    page.screenshot(path=str(SCREENSHOTS / "tablet-answer-in-view.png"))  # what the screen shows
    context.close()


def test_the_large_text_switch_is_remembered_by_the_tablet(site: Site, browser: Any) -> None:
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in_by_qr(site, page)
    switch = page.get_by_role("button", name="大字")
    assert switch.get_attribute("aria-pressed") == "false"
    normal = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.dept h2')).fontSize)")
    switch.tap()
    page.reload()
    assert page.get_by_role("button", name="大字").get_attribute("aria-pressed") == "true"
    large = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.dept h2')).fontSize)")
    assert large >= normal * 1.25
    page.get_by_role("button", name="大字").tap()
    assert page.evaluate("document.documentElement.classList.contains('large-text')") is False
    context.close()


def test_a_signed_suggestion_is_its_own_submission_held_until_the_close(site: Site, browser: Any) -> None:
    """Hole 2: the ballot's button sends the ballot only; the suggestion's own button sends the suggestion,
    which the server holds (no event) until the department's window closes."""
    site.commands.open_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    for size, viewport in (("phone", PHONE), ("tablet", {"viewport": {"width": 1024, "height": 768}})):
        context = browser.new_context(**viewport, locale="zh-CN")
        page = context.new_page()
        sign_in_by_qr(site, page)
        fgw = page.locator("#dept-fgw")
        fgw.locator("details.signed summary").click()
        assert "不随评分提交" in fgw.locator("details.signed .warn").inner_text()
        fgw.locator("details.signed textarea[name=suggestion]").fill(f"建议公开审批进度（{size}）")
        fgw.get_by_role("button", name="提交留名建议").click()
        expect(fgw.locator(".suggestion-note")).to_contain_text("将在该部门评分结束后交给部门", timeout=5_000)
        page.screenshot(path=str(SCREENSHOTS / f"tablet-signed-suggestion-{size}.png"))
        context.close()
    topics = [t for t in event_topics(site) if "Suggestion" in t]
    assert topics == []  # held, not in the log
    site.commands.close_window("r2026", "fgw", by=ORGANISER)
    assert [t for t in event_topics(site) if "Suggestion" in t] == [
        "evaluation.suggestion:Suggestion.Submitted"
    ] * 2


def event_topics(site: Site) -> list[str]:
    return [n.topic for n in site.commands.recorder.select_notifications(start=1, limit=100_000)]
