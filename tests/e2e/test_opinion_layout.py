"""意见分拣 and 办理跟踪 on a 390 px phone: nothing wider than the screen (the page never scrolls sideways),
the tracking table scrolls inside its own box with each header on one line, not one character a line; and
the same pages at tablet size (1024 × 768). Screenshots: test-artifacts/screenshots/opinion-layout-*.png."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from evaluation.opinion_handling import OpinionSource
from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.integration.test_projection_helpers import query

PAGES = ["/organiser/opinions", "/organiser/opinions/tracking"]
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "tablet": {"viewport": {"width": 1024, "height": 768}, "has_touch": True},
}


LONG_NAME = "包头市住房和城乡建设局（市人民防空办公室）"


def assigned_opinions(site: Site, settings: Settings) -> None:
    """Opinions collected: one assigned overdue, one answered, two left to triage (one long). A department and a
    sitting with the long names real rounds have (they widen the pages' selects and the tracking's column)."""
    app = site.commands
    app.register_department("r2026", "zjw", LONG_NAME, "city", by=ORGANISER)
    app.define_sitting("r2026", "s3", "第三场 · 12月10日下午 · 城市管理组与社会事业组", ["zjw"], by=ORGANISER)
    comments = [
        ("fgw", "审批太慢"),
        ("zjw", "窗口排队时间太长，希望增加自助办理设备"),
        ("fgw", "建议公开审批进度"),
        ("zjw", "老旧小区改造施工期间噪音扰民、道路占用时间过长，建议合理安排施工时段并提前在小区公告栏公示"),
    ]
    sources = [OpinionSource("comment", uuid4().hex, department, text) for department, text in comments]
    app.collect_opinions("r2026", sources, ORGANISER)
    site.sync()
    ids = {r["text"]: r["opinion_id"] for r in query(settings, "SELECT opinion_id, text FROM opinions_view")}
    app.assign_opinions("r2026", [ids[comments[0][1]]], "fgw", ["swj"], ORGANISER, date(2025, 1, 6))
    app.assign_opinions("r2026", [ids[comments[1][1]]], "zjw", [], ORGANISER)
    app.answer_opinion("r2026", ids[comments[1][1]], "zjw", "已增设两台设备", "", "已办结", "department:zjw")
    site.sync()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_triage_and_tracking_pages_fit_the_screen(
    site: Site, browser: Any, settings: Settings, size: str
) -> None:
    assigned_opinions(site, settings)
    context = browser.new_context(**SIZES[size], locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site.url}/login")
    page.fill("#code", site.commands.keys.organiser_code("r2026"))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)
    width = SIZES[size]["viewport"]["width"]
    problems = []
    for path in PAGES:
        page.goto(f"{site.url}{path}")
        page.wait_for_load_state()
        name = path.strip("/").replace("/", "-")
        site.shot(page, f"opinion-layout-{size}-{name}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            problems.append(f"{path} is {wide} px wide on a {width} px screen")
    headers = page.locator("table.tracking thead th")
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('table.tracking th')).fontSize)")
    tallest = max(headers.nth(i).bounding_box()["height"] for i in range(headers.count()))
    if tallest >= 3 * font:
        problems.append(f"a tracking header is {tallest} px high: not on one line")
    page.eval_on_selector(".table-scroll", "box => { box.scrollLeft = box.scrollWidth; }")
    site.shot(page, f"opinion-layout-{size}-tracking-scrolled")  # the department still named at the left
    table = page.locator("table.tracking").inner_text()
    assert "市发改委" in table and LONG_NAME in table
    assert problems == []
    context.close()
