"""无障碍：axe-core 4 在每个页面、手机 / 平板 / 大屏三种尺寸下都找不到严重（serious、critical）问题；
页面引用的文件（图标、清单、样式、脚本）都在，浏览器控制台没有 404。

axe-core comes from the npm registry (scripts/setup_test_env.sh puts it in .cache/axe).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evaluation.keys import format_code
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.report_pdfs import small_pdf

AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "tablet": {"viewport": {"width": 820, "height": 1180}, "has_touch": True},
    "projector": {"viewport": {"width": 1920, "height": 1080}},
}
ORGANISER_PAGES = [
    "/organiser",
    "/organiser/turnout",
    "/organiser/results",
    "/organiser/representatives",
    "/organiser/cards",
    "/organiser/ballots",
    "/organiser/departments",
    "/organiser/history",
    # 活动设置: scoring has begun in the audit's round, so every form shows its reason field
    "/organiser/rounds/r2026/setup",
    "/organiser/rounds/r2026/setup/lists",
    "/organiser/rounds/r2026/setup/departments",
    "/organiser/rounds/r2026/setup/sittings",
    "/organiser/reports",
    "/organiser/reports/fgw",
    "/organiser/readiness",
    "/organiser/components",
    "/organiser/workbook",
    "/organiser/opinions",
    "/organiser/opinions/review",
    "/organiser/opinions/tracking",
]
DEPARTMENT_PAGES = ["/department", "/department/suggestions", "/department/report", "/department/opinions"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run scripts/setup_test_env.sh")
    return AXE.read_text(encoding="utf-8")


class Audit:
    """One browser context at one size: visits pages, runs axe on each, notes every failed load."""

    def __init__(self, browser: Any, site: Site, size: str, axe: str) -> None:
        self.context = browser.new_context(**SIZES[size], locale="zh-CN")
        # axe in every document this context opens, put there by the browser's debugger (the pages' CSP does
        # not apply): sent to the browser once, not 650 kB through Playwright before every page's audit
        self.context.add_init_script(script=axe)
        self.page = self.context.new_page()
        self.site, self.size = site, size
        self.problems: list[str] = []
        self.failed_loads: list[str] = []
        self.loaded: set[str] = set()
        """The files this context has fetched with a 200 already (the stylesheet, the scripts, the icons:
        static, the same on every page)."""
        self.page.on("console", self._console)
        self.page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.failed_loads.append(message.text)

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.failed_loads.append(f"{response.status} {response.url}")

    def sign_in(self, code: str) -> None:
        self.page.goto(f"{self.site.url}/login?code={format_code(code)}")
        self.page.wait_for_url(lambda url: "/login" not in url)  # the page moves on to the holder's screen

    def check(self, path: str, name: str | None = None) -> None:
        if path != self.page.url.removeprefix(self.site.url):
            self.page.goto(f"{self.site.url}{path}")
        self.page.wait_for_load_state()
        found = self.page.evaluate(
            "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact,"
            " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary).slice(0, 3)}))"
        )
        for violation in found:
            if violation["impact"] in ("serious", "critical"):
                self.problems.append(f"{self.size} {path}: {violation['id']} {violation['nodes']}")
        self.site.shot(self.page, f"a11y-{self.size}-{name or path.strip('/').replace('/', '-') or 'home'}")
        for href in self.page.eval_on_selector_all(
            "link[rel~=icon], link[rel=manifest], link[rel=stylesheet], script[src]",
            "nodes => nodes.map(n => n.href || n.src)",
        ):
            if href in self.loaded:
                continue
            answer = self.context.request.get(href)
            if answer.status != 200:
                self.failed_loads.append(f"{answer.status} {href}")
            else:
                self.loaded.add(href)

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_screen_passes_axe_without_serious_violations_and_loads_all_its_files(
    site: Site, browser: Any, axe_source: str, size: str
) -> None:
    commands, round_ = site.commands, site.round
    commands.submit_report(
        "r2026",
        "fgw",
        "2025年工作报告",
        "推进重大项目建设，优化营商环境。",
        "一、主要工作\n二、存在问题",
        by="department:fgw",
        file=("2025年工作报告.pdf", small_pdf()),
    )
    commands.open_pre_reading("r2026", by=ORGANISER)
    commands.open_window("r2026", "fgw", by=ORGANISER)
    receipt = commands.cast_ballot(round_.bob, "fgw", "bob-0001", "satisfied", comment="办事更快了")
    commands.sign_suggestion(round_.bob, "fgw", "bob-0002", "建议公开审批进度")
    department_code = commands.issue_department_credential("r2026", "fgw", by=ORGANISER)
    site.sync()

    public = Audit(browser, site, size, axe_source)
    for path in [
        "/",
        "/login",
        "/receipts",
        "/projector/r2026",
        "/rounds/r2026/reports",
        "/opinions/round/r2026",
        "/opinions/mine",
    ]:
        public.check(path)
    public.check(f"/receipts?code={receipt.code}", name="receipts-answer")

    tablet = Audit(browser, site, size, axe_source)
    tablet.sign_in(round_.alice_code)
    tablet.check("/r/reports/fgw", name="tablet-report")
    tablet.check("/r", name="tablet-open")  # fgw open (its chip red), swj 尚未开始
    fgw = tablet.page.locator("#dept-fgw")
    fgw.get_by_role("button", name="满意", exact=True).click()
    fgw.get_by_role("button", name="提交评分").click()
    tablet.page.wait_for_selector("#dept-fgw .outcome.sent")
    tablet.check("/r", name="tablet-submitted")
    tablet.page.get_by_role("button", name="大字").click()
    tablet.check("/r", name="tablet-large-text")
    commands.close_window("r2026", "fgw", by=ORGANISER)
    tablet.page.wait_for_selector('#dept-fgw[data-window="closed"]')
    tablet.check("/r", name="tablet-closed")
    tablet.check("/r/offline", name="tablet-offline-shell")  # the shell, filled from the page's saved copy
    commands.open_window("r2026", "swj", by=ORGANISER)
    tablet.page.goto(f"{site.url}/r")
    tablet.page.route("**/api/ballots", lambda route: None)  # its ballot stays on its way
    swj = tablet.page.locator("#dept-swj")
    swj.get_by_role("button", name="满意", exact=True).click()
    swj.get_by_role("button", name="提交评分").click()
    tablet.page.get_by_role("button", name="交还平板").click()
    tablet.page.wait_for_selector("#handback-cover")
    tablet.check("/r", name="tablet-handed-back")  # the cover while a ballot waits to be sent

    organiser = Audit(browser, site, size, axe_source)
    organiser.sign_in(commands.keys.organiser_code("r2026"))
    for path in ORGANISER_PAGES:
        organiser.check(path)
    organiser.check("/organiser/results?as_of=99999", name="organiser-results-as-of")
    organiser.check(f"/organiser/representatives/{round_.bob}/edit", name="organiser-representative-edit")

    department = Audit(browser, site, size, axe_source)
    department.sign_in(department_code)
    for path in DEPARTMENT_PAGES:
        department.check(path)

    administrator = Audit(browser, site, size, axe_source)
    administrator.sign_in(commands.issue_administrator_code(by=ORGANISER))
    administrator.check("/organiser/rounds", name="administrator-rounds")
    administrator.check("/organiser/rounds/r2026/setup/sittings", name="administrator-setup-sittings")
    administrator.check("/organiser/staff", name="administrator-staff")

    staff = Audit(browser, site, size, axe_source)  # personal accounts (evaluation/staff.py)
    _, desk_code = commands.add_staff("刘洋", "checkin", ORGANISER, round_key="r2026", venue="kdl")
    _, officer_code = commands.add_staff("孙敏", "results_officer", ORGANISER, round_key="r2026")
    staff.sign_in(desk_code)
    staff.check("/organiser/representatives", name="checkin-desk")
    staff.check("/staff/sessions", name="staff-sessions")
    staff.sign_in(officer_code)
    staff.check("/organiser/results", name="results-officer")

    audits = [public, tablet, organiser, department, administrator, staff]
    for audit in audits:
        audit.close()
    assert [p for a in audits for p in a.problems] == []
    assert [f for a in audits for f in a.failed_loads] == []
