"""Layouts with Baotou's real names, at phone (390×844), tablet (1024×768) and projector (1920×1080) sizes.

The departments' names are long (「市人民政府国有资产监督管理委员会」, sixteen characters, has no short name),
one department has no valid ballot (无有效票: six 不了解), a reopening's reason is one long word, the staff
accounts' units and departments are long. At every size each page fits the screen's width (it never scrolls
sideways), no table cell breaks its words one character a line, axe finds nothing serious or critical; the
notice's chart shows every label whole (short names where there are) and leaves out the department without
a score, which its table and PDF explain; the projector's names and ranking bars stay readable; on a phone
the organiser's menu leaves the first screen to the page, and its every item is still a link to follow.
Screenshots: test-artifacts/screenshots/layout-{size}-{page}.png."""

from __future__ import annotations

import io
import re
from typing import Any
from uuid import uuid4

import pytest
from pypdf import PdfReader

from evaluation.application import EvaluationApp
from evaluation.keys import format_code
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_accessibility import AXE

pytest.importorskip("playwright.sync_api")

SIZES = {"phone": (390, 844), "tablet": (1024, 768), "projector": (1920, 1080)}
DEPARTMENTS = [  # key, name, short name ("": none), group, sitting
    ("fgw", "市发展和改革委员会", "市发改委", "econ", "s1"),
    ("gzw", "市人民政府国有资产监督管理委员会", "", "econ", "s2"),
    ("kjj", "市科学技术局", "市科技局", "econ", "s1"),
    ("tjj", "市统计局", "", "econ", "s1"),
    ("zjj", "市住房和城乡建设局", "市住建局", "city", "s1"),
    ("cgj", "市城市管理综合执法局", "市城管执法局", "city", "s2"),
    ("sw", "国家税务总局包头市税务局", "市税务局", "city", "s2"),
]
CHOICES = {
    "fgw": ["satisfied"] * 5 + ["fairly_satisfied"],
    "gzw": ["satisfied"] * 3 + ["basically_satisfied"] * 3,
    "kjj": ["unknown"] * 6,  # six ballots, not one valid: 无有效票
    "tjj": ["satisfied"] * 3,  # below k = 5: not published
    "zjj": ["fairly_satisfied"] * 4 + ["dissatisfied"] * 2,
    "cgj": ["satisfied"] * 2 + ["fairly_satisfied"] * 4,  # in the live round, two ballots so far
}
LONG_REASON = "复核依据见" + "https://www.baotou.gov.cn/zwgk/" + "tzgg" * 60 + ".html"
"""A reason with no place to break a line (pasted from an address bar)."""
LONG_UNIT = "内蒙古自治区包头市达尔罕茂明安联合旗人民政府办公室"


def baotou_round(app: EvaluationApp, key: str, publish: bool) -> None:
    """Every department scored and closed (locked and published when ``publish``); else 市城管执法局's
    window is open, 市税务局 pending, and the results are shown on the projector."""
    app.create_round(
        key, "2026年度包头市“向市民报告、听市民意见、请市民评议”活动", by=ORGANISER, check_in_required=False
    )
    app.define_category(key, "npc", "人大代表", by=ORGANISER)
    app.define_category(key, "resident", "社区居民", by=ORGANISER)
    app.define_group(key, "econ", "经济发展组", by=ORGANISER)
    app.define_group(key, "city", "城市建设与执法监管组", by=ORGANISER)
    app.define_venue(key, "main", "包头市会议中心主会场", by=ORGANISER)
    app.define_venue(key, "dmq", "达尔罕茂明安联合旗分会场", by=ORGANISER)
    for dept, name, short, group, _ in DEPARTMENTS:
        app.register_department(key, dept, name, group, by=ORGANISER, short_name=short)
    for sitting, title in (("s1", "第一场"), ("s2", "第二场")):
        agenda = [d for d, *_, s in DEPARTMENTS if s == sitting]
        app.define_sitting(key, sitting, title, agenda, by=ORGANISER)
    people = {
        sitting: [
            app.register_representative(
                key,
                f"{sitting}代表{n}",
                ("npc", "resident")[n % 2],
                ("main", "dmq")[n % 2],
                sitting,
                by=ORGANISER,
            )[0]
            for n in range(6)
        ]
        for sitting in ("s1", "s2")
    }
    for dept, *_, sitting in DEPARTMENTS:
        if dept == "sw" and not publish:
            continue
        app.open_window(key, dept, by=ORGANISER)
        chosen = CHOICES.get(dept, ["satisfied"] * 6)
        for person, choice in zip(
            people[sitting], chosen if publish or dept != "cgj" else chosen[:2], strict=False
        ):
            app.cast_ballot(person, dept, uuid4().hex, choice)
        if dept == "fgw":
            app.close_window(key, dept, by=ORGANISER)
            app.reopen_window(key, dept, by=ORGANISER, reason=LONG_REASON)
        if dept != "cgj" or publish:
            app.close_window(key, dept, by=ORGANISER)
    if publish:
        app.lock_results(key, by=ORGANISER)
        app.publish_results(key, by=ORGANISER)
    else:
        app.reveal_results(key, by=ORGANISER)


def audit(page: Any, axe: str) -> list[str]:
    page.evaluate(axe)  # by the browser's debugger: the page's CSP does not apply
    found = page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
    )
    return [f"{v['id']} {v['nodes']}" for v in found if v["impact"] in ("serious", "critical")]


WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const scrolled = e => { for (let p = e.parentElement; p; p = p.parentElement)
    if (getComputedStyle(p).overflowX !== 'visible') return true; return false; };
  return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !scrolled(e)).slice(-4)
    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width) + 'px');
}"""
BROKEN_A_CHARACTER_A_LINE = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('th, td, .pj-agenda .name, .pj-group .name')) {
    const box = (cell.closest('thead') || cell).getBoundingClientRect();
    if (box.width <= 2 || box.height <= 2) continue;  // not shown (a phone's card has no heads)
    const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let text = texts.nextNode(); text; text = texts.nextNode()) {
      const words = text.textContent.trim();
      if (words.length < 3) continue;
      const range = document.createRange();
      range.selectNodeContents(text);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
      if (lines > words.length / 3) broken.push(words + ': ' + lines + ' lines');
    }
  }
  return broken.slice(0, 4);
}"""
"""Cells (and the projector's names) that fit fewer than three characters a line."""
CHART_LABELS_CUT = """() => [...document.querySelectorAll('figure.notice-chart')].flatMap(chart => {
  const box = chart.getBoundingClientRect();
  return [...chart.querySelectorAll('text, .label')].filter(label => {
    const r = label.getBoundingClientRect();
    return r.left < box.left - 1 || r.right > box.right + 1 || label.scrollWidth > label.clientWidth + 1;
  }).map(label => label.textContent.trim());
})"""


class Visits:
    """One browser context at one size: each page visited is audited, measured and photographed."""

    def __init__(self, browser: Any, site: Site, size: str, axe: str) -> None:
        width, height = SIZES[size]
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        self.page = self.context.new_page()
        self.site, self.size, self.axe = site, size, axe
        self.problems: list[str] = []

    def sign_in(self, code: str) -> None:
        self.page.goto(f"{self.site.url}/login?code={format_code(code)}")
        self.page.wait_for_url(lambda url: "/login" not in url)

    def visit(self, path: str, name: str) -> Any:
        page = self.page
        page.goto(f"{self.site.url}{path}")
        page.wait_for_load_state()
        where = f"{self.size} {path}"
        self.problems += [f"{where}: {p}" for p in audit(page, self.axe)]
        if wide := page.evaluate(WIDER_THAN_THE_SCREEN):
            self.problems.append(f"{where}: the page scrolls sideways: {wide}")
        if broken := page.evaluate(BROKEN_A_CHARACTER_A_LINE):
            self.problems.append(f"{where}: words broken a character a line: {broken}")
        self.site.shot(page, f"layout-{self.size}-{name}")
        return page

    def expect(self, condition: bool, problem: str) -> None:
        if not condition:
            self.problems.append(f"{self.size}: {problem}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def axe() -> str:
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run scripts/setup_test_env.sh")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_public_notice_and_the_projector_read_well_with_long_names(
    site: Site, browser: Any, axe: str, size: str
) -> None:
    baotou_round(site.commands, "bt2026", publish=True)
    baotou_round(site.commands, "lv2026", publish=False)
    site.sync()
    visits = Visits(browser, site, size, axe)

    page = visits.visit("/results/bt2026", "notice")
    expect = visits.expect
    charts = page.locator("figure.notice-chart")
    assert charts.count() == 2
    drawn = " ".join(charts.all_text_contents())
    expect("None" not in drawn, "the chart says None")
    expect("市科技局" not in drawn and "市科学技术局" not in drawn, "a bar for 无有效票")
    assert "市统计局" not in drawn  # not published (k = 5)
    for name in ("市发改委", "市人民政府国有资产监督管理委员会", "市住建局", "市城管执法局", "市税务局"):
        expect(name in drawn, f"{name} not in the chart")  # short names where there are
    expect(not (cut := page.evaluate(CHART_LABELS_CUT)), f"chart labels cut: {cut}")
    kjj = page.locator("table.notice-ranking tr", has_text="市科学技术局").inner_text()
    expect("无有效票" in kjj, f"no explanation in the table: {kjj}")  # it stays there, saying why
    pdf = PdfReader(io.BytesIO(page.request.get(f"{site.url}/results/bt2026/notice.pdf").body()))
    printed = re.sub(r"\s+", "", "".join(p.extract_text() for p in pdf.pages))
    expect("无有效票市科学技术局" in printed, "the PDF does not say why 市科学技术局 has no rank")

    page = visits.visit("/projector/lv2026", "projector")
    agenda = page.locator(".pj-agenda .name").all_inner_texts()
    assert agenda == ["市人民政府国有资产监督管理委员会", "市城管执法局", "市税务局"]
    bars = page.locator(".pj-group svg.bar")
    assert bars.count() == 2  # 市发改委 and 市国资委: ranked (市科技局 无有效票, 市统计局 below k)
    widths = [b.bounding_box()["width"] for b in bars.all()]
    expect(min(widths) >= 40, f"ranking bars {widths} px wide")
    visits.close()
    assert visits.problems == [], "\n".join(visits.problems)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_organiser_s_pages_fit_the_screen_with_long_names_and_reasons(
    site: Site, browser: Any, axe: str, size: str
) -> None:
    commands = site.commands
    baotou_round(commands, "lv2026", publish=False)
    for n, (dept, *_) in enumerate(DEPARTMENTS):
        commands.add_staff(f"部门联络员{n}", "department", ORGANISER, LONG_UNIT, "lv2026", department=dept)
    commands.add_staff("额尔德尼·苏和巴特尔", "checkin", ORGANISER, LONG_UNIT, "lv2026", venue="dmq")
    _, officer = commands.add_staff("孙敏", "results_officer", ORGANISER, round_key="lv2026")
    site.sync()
    height = SIZES[size][1]

    organiser = Visits(browser, site, size, axe)
    organiser.sign_in(commands.keys.organiser_code("lv2026"))
    for path, name in (("/organiser/readiness", "readiness"), ("/organiser", "agenda")):
        page = organiser.visit(path, name)
        menu = page.locator("header.console-head").bounding_box()
        if size == "phone":  # the menu leaves most of the first screen to the page
            organiser.expect(menu["height"] <= height / 5, f"{path}: the menu is {menu['height']} px high")
            h1 = page.locator("h1").bounding_box()["y"]
            organiser.expect(h1 < height / 4, f"{path}: the heading starts {h1} px down")
        else:  # every item of the menu in sight
            assert page.get_by_role("link", name="历史记录").is_visible()
    page.get_by_role("link", name="历史记录").click()  # reachable at every size
    page.wait_for_url(f"{site.url}/organiser/history")
    organiser.visit("/organiser/results", "results")
    page = organiser.visit("/organiser/history", "history")
    assert LONG_REASON in page.locator("table.history").first.inner_text()
    organiser.close()

    officer_visits = Visits(browser, site, size, axe)  # 计票员: with every level's count
    officer_visits.sign_in(officer)
    page = officer_visits.visit("/organiser/results", "results-officer")
    assert "比较满意" in page.locator("table.ranking").first.inner_text()
    officer_visits.close()

    administrator = Visits(browser, site, size, axe)
    administrator.sign_in(commands.issue_administrator_code(by=ORGANISER))
    administrator.visit("/organiser/staff", "staff")
    administrator.close()

    problems = organiser.problems + officer_visits.problems + administrator.problems
    assert problems == [], "\n".join(problems)
