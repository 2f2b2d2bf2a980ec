"""评议结果公示 and 历年对比 in Chromium, at phone (390×844), tablet (1024×768) and projector (1920×1080) sizes:
the public notice of bt2026 with its change from bt2025, the notice of a round not yet published, the
department's portal and the organiser's 历年对比 page; each passes axe without a serious or critical finding,
fits the phone's width, and is photographed (test-artifacts/screenshots/notice-*.png)."""

from __future__ import annotations

from typing import Any

import pytest

from evaluation.keys import format_code
from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.e2e.conftest import SCREENSHOTS, Site
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


@pytest.mark.parametrize("size", ["phone", "projector"])
def test_how_to_check_gives_the_verifier_and_a_command_to_copy_with_the_key(
    site: Site, browser: Any, settings: Settings, size: str
) -> None:
    """如何复核 on the notice and the checkpoint's use on /receipts: the whole command (with the platform's
    key) wraps inside the screen, the verifier's link downloads a zip; both photographed."""
    from storage.signing import public_key_text

    two_years(site.commands)
    site.sync()
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site.url}/results/bt2026")
    page.wait_for_load_state()
    command = page.locator("code.command")
    key = public_key_text(settings.secret)
    assert command.inner_text() == f"python -m sanmin_audit audit-bt2026.zip --public-key {key}"
    box = command.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    tool = page.get_by_role("link", name="核验程序")
    assert tool.is_visible()
    answer = page.request.get(f"{site.url}{tool.get_attribute('href')}")
    assert answer.status == 200 and answer.body()[:2] == b"PK"
    site.shot(page, f"notice-{size}-how")
    page.locator("section.verify").screenshot(path=str(SCREENSHOTS / f"notice-{size}-how-section.png"))
    page.goto(f"{site.url}/receipts")
    page.wait_for_load_state()
    assert "您自己无法单独用它核对" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    site.shot(page, f"receipts-{size}-checkpoint")
    context.close()
