"""评议结果公示 and 历年对比 in Chromium, at phone (390×844), tablet (1024×768) and projector (1920×1080) sizes:
the public notice of bt2026 with its change from bt2025, the notice of a round not yet published, the
department's portal and the organiser's 历年对比 page; each passes axe without a serious or critical finding,
fits the phone's width, and is photographed (test-artifacts/screenshots/notice-*.png)."""

from __future__ import annotations

from typing import Any

import pytest

from evaluation.keys import format_code
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_accessibility import AXE
from tests.year_rounds import BAOTOU_2026, scored_round, two_years

SIZES = {"phone": (390, 844), "tablet": (1024, 768), "projector": (1920, 1080)}


def audit(page: Any, axe: str) -> list[str]:
    page.evaluate(axe)  # by the browser's debugger: the page's CSP does not apply
    found = page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
    )
    return [f"{v['id']} {v['nodes']}" for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("size", list(SIZES))
def test_the_notice_the_portal_and_the_organiser_s_years_read_well_at_every_size(
    site: Site, browser: Any, size: str
) -> None:
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run scripts/setup_test_env.sh")
    axe = AXE.read_text(encoding="utf-8")
    commands = site.commands
    two_years(commands)
    scored_round(commands, "bt2027", 2027, BAOTOU_2026, publish=False)
    department_code = commands.issue_department_credential("bt2026", "fgw", by=ORGANISER)
    site.sync()
    width, height = SIZES[size]
    problems: list[str] = []

    def visit(page: Any, path: str, name: str) -> None:
        page.goto(f"{site.url}{path}")
        page.wait_for_load_state()
        problems.extend(f"{size} {path}: {p}" for p in audit(page, axe))
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide = page.evaluate(
                "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
                " document.documentElement.clientWidth + 1).slice(0, 3).map(e => e.tagName + '.' + e.className)"
            )
            problems.append(f"{size} {path}: the page is {overflow}px wider than the screen: {wide}")
        site.shot(page, f"notice-{size}-{name}")

    public = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = public.new_page()
    visit(page, "/results/bt2026", "published")
    assert "评议结果公示" in page.locator("h1").inner_text()
    assert "得分 +20.000" in page.locator("table.notice-ranking").nth(1).inner_text()
    assert page.get_by_role("link", name="公示文件（PDF，可打印）").is_visible()
    visit(page, "/results/bt2027", "pending")
    assert page.get_by_role("heading", name="评议结果尚未公布").is_visible()
    assert page.locator("table").count() == 0
    public.close()

    department = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = department.new_page()
    page.goto(f"{site.url}/login?code={format_code(department_code)}")
    page.wait_for_url(lambda url: "/login" not in url)
    visit(page, "/department", "department")
    assert page.get_by_role("heading", name="历年对比").is_visible()
    assert page.get_by_role("img", name="市发改委：各年度综合得分与满意率柱状图").is_visible()
    department.close()

    organiser = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = organiser.new_page()
    page.goto(f"{site.url}/login?code={format_code(commands.keys.organiser_code('bt2026'))}")
    page.wait_for_url(lambda url: "/login" not in url)
    visit(page, "/organiser/years", "organiser-years")
    assert page.get_by_text("本活动接续「2025年度三民活动」").is_visible()
    organiser.close()

    assert problems == []
