"""On a phone (390×844) and a tablet a refused ballot's message is where the person is looking: when the
answer to 提交评分 comes while the person is on another department's card (the ballot waited offline as
待发送), the 「未能提交」 box at the top of its card is scrolled into view, has the focus and is an alert for a
screen reader. The refusal is caused for real: the window is closed on the server while the ballot waits.
Screenshots: test-artifacts/screenshots/tablet-refusal-in-view-{phone,tablet}[-viewport].png."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ORGANISER
from tests.e2e.conftest import SCREENSHOTS, Site
from tests.e2e.test_browser import PHONE, sign_in_by_qr

TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}


def in_view(page: Any, selector: str) -> bool:
    """The element's top and its first lines are inside the window."""
    return bool(
        page.eval_on_selector(
            selector,
            "e => { const r = e.getBoundingClientRect();"
            " return r.height > 0 && r.top >= 0 && r.top + Math.min(r.height, 80) <= window.innerHeight; }",
        )
    )


def refusal_shown(site: Site, page: Any, department: str, said: str, name: str) -> None:
    """Once the network is back: the department's refusal says ``said``, is inside the window, is an alert
    and has the focus; the viewport's screenshot first (what the eye sees), then the whole page."""
    box = f"#dept-{department} .outcome"
    page.wait_for_selector(f"{box}.refused", timeout=20_000)
    page.wait_for_timeout(800)  # any scrolling of the page has ended
    outcome = page.locator(box)
    assert said in outcome.inner_text()
    assert in_view(page, box), "the refusal is out of view"
    assert outcome.get_attribute("role") == "alert"
    assert page.evaluate(f"document.activeElement === document.querySelector('{box}')")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-viewport.png"))
    site.shot(page, name)


def refused_in_view(site: Site, browser: Any, device: dict[str, Any], name: str) -> None:
    """The hall's Wi-Fi drops as 市水务局 is scored: the ballot waits (待发送); the person scrolls up to
    市发改委; the window closes meanwhile; the network comes back and the queued ballot is refused."""
    context = browser.new_context(**device, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_by_qr(site, page)
    section = page.locator("#dept-swj")
    section.locator("form.ballot:not([hidden])").wait_for()
    context.set_offline(True)
    section.get_by_role("button", name="满意", exact=True).tap()
    section.locator("textarea[name=comment]").fill("希望供水管网改造按时完工，停水前提前通知。")
    section.get_by_role("button", name="提交评分").tap()
    page.wait_for_selector("#dept-swj .outcome.pending")
    page.evaluate("window.scrollTo(0, 0)")  # back to 市发改委, at the top of the page
    page.locator("#dept-fgw").get_by_role("button", name="比较满意", exact=True).tap()
    site.commands.close_window("r2026", "swj", by=ORGANISER)
    site.sync()
    context.set_offline(False)
    refusal_shown(site, page, "swj", "「市水务局」的评分已结束，这次评分没有被接收。", name)
    assert errors == []
    context.close()


@pytest.mark.parametrize("size", ["phone", "tablet"])
def test_a_refusal_after_submitting_is_in_view(site: Site, browser: Any, size: str) -> None:
    for department in ("fgw", "swj"):
        site.commands.open_window("r2026", department, by=ORGANISER)
    site.sync()
    refused_in_view(site, browser, PHONE if size == "phone" else TABLET, f"tablet-refusal-in-view-{size}")
