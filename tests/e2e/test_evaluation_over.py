"""评议结束 on the representative's page in Chromium, at phone (390×844), tablet (1024×768) and projector
(1920×1080) sizes: an open page hears that the results were locked (no reload) and says the evaluation is over,
its 留名建议 forms gone and 我的留名建议 linked; once published, it links the results notice. Each state passes axe
without a serious or critical finding and is photographed (test-artifacts/screenshots/over-*.png)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_browser import sign_in_by_qr
from tests.e2e.test_results_notice import AXE, SIZES, audit


@pytest.mark.parametrize("size", list(SIZES))
def test_an_open_page_says_the_evaluation_is_over_then_links_the_published_results(
    site: Site, browser: Any, size: str
) -> None:
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run scripts/setup_test_env.sh")
    axe = AXE.read_text(encoding="utf-8")
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    sign_in_by_qr(site, page)
    assert page.locator("details.signed").first.is_visible()
    assert page.locator("#over").is_hidden() and page.locator("#none-open").is_visible()

    site.commands.lock_results("r2026", by=ORGANISER)
    site.sync()
    page.wait_for_selector("#over:not([hidden])")  # pushed: no reload
    assert "本次评议已结束" in page.inner_text("#over")
    assert page.locator("#none-open").is_hidden() and page.locator("#intro").is_hidden()
    assert page.locator("details.signed:visible").count() == 0
    assert page.locator("#over-published").is_hidden()
    assert set(page.locator(".window-state").all_inner_texts()) == {
        "本次未评分"
    }  # never opened: not 尚未开始
    assert page.get_by_role("link", name="查看我的留名建议和答复").get_attribute("href") == "/opinions/mine"
    problems = audit(page, axe)
    site.shot(page, f"over-{size}-locked")

    site.commands.publish_results("r2026", by=ORGANISER)
    site.sync()
    page.wait_for_selector("#over-published:not([hidden])")
    assert page.get_by_role("link", name="查看评议结果公示").get_attribute("href") == "/results/r2026"
    problems += audit(page, axe)
    site.shot(page, f"over-{size}-published")

    page.reload()  # and so it stays on the next load
    page.wait_for_selector("#over-published:not([hidden])")
    assert page.locator("form.signed-suggestion").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    context.close()
    assert problems == []
