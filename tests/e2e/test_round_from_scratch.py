"""真实浏览器，从空数据库到发布结果：平台管理员用首次启动时的登录码登录，只通过页面新建一个小的评议活动（自定分值的
四个评价等次、两个代表类别及权重、一个场次两个部门）；组织方用新建页面上显示的登录码登录，代部门提交带 PDF 附件的
述职报告，导入 6 名代表的名单，打印评议卡（登录码从 PDF 中读出），逐一签到，在议程页面开始和结束每个部门的评分，
6 名代表在手机上评分；锁定并发布后，签名结果中的得分和满意率与 docs/scoring.md 的规则（按类别权重）逐一相符。"""

from __future__ import annotations

import json
import re
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from evaluation.application import EvaluationApp
from evaluation.keys import format_code
from tests.e2e.conftest import EmptySite, add, create_round, fill_levels, saved, sign_in_as_administrator
from tests.e2e.conftest import shot as site_shot
from tests.report_pdfs import small_pdf

pytest.importorskip("playwright.sync_api")

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
LEVELS = {"很满意": (100, True), "满意": (85, True), "一般": (60, False), "不满意": (20, False)}
SHARES = {"npc": Fraction(3), "resident": Fraction(1)}
CATEGORY_NAMES = {"npc": "人大代表", "resident": "社区居民"}
PEOPLE = [  # name, category
    ("赵一鸣", "npc"),
    ("钱二妹", "npc"),
    ("孙三立", "npc"),
    ("李四海", "resident"),
    ("周五洲", "resident"),
    ("吴六合", "resident"),
]
DEPARTMENTS = {"fgw": "市发展和改革委员会", "swj": "市水务局"}
CHOICES = {  # department -> the level each person in PEOPLE picks, in order
    "fgw": ["很满意", "很满意", "满意", "一般", "不满意", "满意"],
    "swj": ["满意", "一般", "不满意", "很满意", "很满意", "一般"],
}


def shot(page: Any, name: str) -> Path:
    return site_shot(page, f"from-scratch-{name}")


def printed_codes(pdf: Path) -> dict[str, str]:
    """Each card's login code, by the name printed on it. The cards stand two abreast, so pdftotext gives each
    row's two names, then their two numbers, then their two codes: the n-th name, number and code go together."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    names = [n for n in re.findall(r"^(\S+)$", text, re.M) if n in dict(PEOPLE)]
    numbers = re.findall(r"编号：(\d+)", text)
    codes = re.findall(r"登录码 ([A-Z0-9]{5})-([A-Z0-9]{5})", text)
    assert names == [name for name, _ in PEOPLE] and numbers == [str(n) for n in range(1, len(PEOPLE) + 1)]
    assert len(codes) == len(PEOPLE)
    return {name: a + b for name, (a, b) in zip(names, codes, strict=True)}


def expected(department: str) -> tuple[str, str]:
    """docs/scoring.md §3-4: score = Σ s_c·mean_c / Σ s_c, rate = Σ s_c·sat_c / Σ s_c, rounded half up."""
    by_category: dict[str, list[str]] = {}
    for (_, category), level in zip(PEOPLE, CHOICES[department], strict=True):
        by_category.setdefault(category, []).append(level)
    total = sum((SHARES[c] for c in by_category), Fraction(0))
    score = sum(
        (
            SHARES[c] * Fraction(sum(LEVELS[v][0] for v in votes), len(votes))
            for c, votes in by_category.items()
        ),
        Fraction(0),
    )
    rate = sum(
        (
            SHARES[c] * Fraction(sum(LEVELS[v][1] for v in votes), len(votes))
            for c, votes in by_category.items()
        ),
        Fraction(0),
    )

    def half_up(value: Fraction, places: int) -> str:
        scaled = value * 10**places
        whole = int(scaled + Fraction(1, 2))  # non-negative: int() floors
        return f"{whole // 10**places}.{whole % 10**places:0{places}d}"

    return half_up(score / total, 3), half_up(100 * rate / total, 2)  # fgw: 85.000, 83.33


def organiser_clicks(page: Any, url: str, row: str, button: str) -> None:
    page.goto(url)
    page.locator(row).get_by_role("button", name=button).click()
    page.wait_for_load_state()


def reimport_refused(browser: Any, url: str, organiser_code: str, roster: Path, errors: list[str]) -> None:
    """On a phone, the organiser uploads the list again, saved in GBK with one name changed: refused whole,
    each row of someone already registered named with their number; nobody added."""
    again = roster.with_name("代表名单（另存）.csv")
    again.write_bytes(roster.read_text(encoding="utf-8").replace("吴六合", "吴六和").encode("gbk"))
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}/login?code={organiser_code}")
    page.wait_for_url(lambda u: "/login" not in u)
    page.goto(f"{url}/organiser/representatives")
    page.get_by_text("导入名单（Excel .xlsx 或 CSV）").click()
    page.get_by_label("名单文件").set_input_files(str(again))
    page.get_by_role("button", name="上传并导入").click()
    problems = page.locator("section.problems")
    problems.wait_for()
    listed = problems.inner_text()
    assert "请改正以下 5 处错误" in listed
    for number, (name, _) in enumerate(PEOPLE[:5], start=1):
        assert f"第 {number + 1} 行与已登记的代表（编号 {number}）重复：姓名「{name}」" in listed
    assert "代表名单（共 6 人）" in page.inner_text("main") and "吴六和" not in page.inner_text("main")
    shot(page, "roster-imported-again-390x844")
    context.close()


def test_a_round_from_an_empty_database_to_published_numbers_through_the_pages(
    empty_site: EmptySite, app: EvaluationApp, browser: Any, tmp_path: Path
) -> None:
    url = empty_site.url
    code = app.first_administrator_code(by="sanmin run")
    assert code is not None
    errors: list[str] = []

    # 平台管理员: a new round, its instrument, categories, group, venue, one sitting, two departments
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = admin.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_as_administrator(page, url, code)
    create_round(page, "city2027", "2027年度某市三民活动", "2027")
    organiser_code = page.locator(".big-code").inner_text().strip()
    page.get_by_role("link", name="继续设置评议表、类别、部门和场次").click()
    page.wait_for_url(f"{url}/organiser/rounds/city2027/setup")

    form = page.locator("#instrument form")
    fill_levels(form, [(label, str(points), satisfied) for label, (points, satisfied) in LEVELS.items()])
    form.get_by_label("计分方式").select_option(label="按类别")
    form.get_by_label("去掉最高最低分个数").fill("0")
    form.get_by_label("最少有效票数").fill("5")
    form.get_by_role("button", name="保存评议表").click()
    saved(page)

    page.get_by_role("link", name="代表类别、部门组与会场").click()
    for key, name in CATEGORY_NAMES.items():
        add(page, "categories", 代码=key, 名称=name, 权重=str(SHARES[key]))
    add(page, "groups", 代码="all", 名称="综合组")
    add(page, "venues", 代码="main", 名称="主会场")
    page.get_by_role("link", name="被评议部门").click()
    for key, name in DEPARTMENTS.items():
        add(page, "departments", 代码=key, 名称=name, 简称="", 部门组="综合组", 负责人="")
    page.get_by_role("link", name="场次与议程").click()
    add(page, "new-sitting", 代码="s1", 名称="第一场", 日期="2027-03-15", 时段="上午")
    for name in DEPARTMENTS.values():
        section = page.locator("#sitting-s1")
        section.get_by_label("加入议程的部门").select_option(label=name)
        section.get_by_role("button", name="加入议程").click()
        saved(page)
    admin.close()

    # 组织方 (the round's shared code, shown once on the created page)
    # at 1024 px: on a phone the roster's action buttons sit under <main> and cannot be tapped (see the report)
    organiser = browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="zh-CN", accept_downloads=True
    )
    page = organiser.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}/login?code={organiser_code}")
    page.wait_for_url(lambda u: "/login" not in u)

    pdf = tmp_path / "发改委述职报告.pdf"
    pdf.write_bytes(small_pdf("report"))
    page.goto(f"{url}/organiser/reports/fgw")
    page.get_by_label("报告标题").fill("市发改委2027年度述职报告")
    page.get_by_label("摘要").fill("项目为王，服务为先。")
    page.get_by_label("报告全文").fill("全年新开工重大项目42个。")
    page.get_by_label("附件（PDF").set_input_files(str(pdf))
    page.get_by_role("button", name="代为提交").click()
    page.get_by_text("第 1 稿").first.wait_for()
    empty_site.sync()

    roster = tmp_path / "代表名单.csv"
    roster.write_text(
        "姓名,类别,会场,场次\n"
        + "".join(f"{name},{CATEGORY_NAMES[c]},主会场,第一场\n" for name, c in PEOPLE),
        encoding="utf-8",
    )
    page.goto(f"{url}/organiser/representatives")
    page.get_by_text("导入名单（Excel .xlsx 或 CSV）").click()
    page.get_by_label("名单文件").set_input_files(str(roster))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_load_state()
    empty_site.sync()
    page.goto(f"{url}/organiser/representatives")
    assert "代表名单（共 6 人）" in page.inner_text("main")
    reimport_refused(browser, url, organiser_code, roster, errors)

    page.goto(f"{url}/organiser/cards")
    with page.expect_download() as download:
        page.get_by_role("button", name="发卡并下载").click()
    cards = tmp_path / "cards.pdf"
    download.value.save_as(cards)
    codes = printed_codes(cards)
    empty_site.sync()

    for name, _ in PEOPLE:
        page.goto(f"{url}/organiser/representatives")
        page.locator("tr", has_text=name).get_by_role("button", name="签到").click()
        checked_in = page.locator(".flash").filter(has_text=f"「{name}」")
        checked_in.wait_for()  # desk.js: the answer replaces the page
        empty_site.sync()
    page.goto(f"{url}/organiser/representatives")
    assert page.locator("table.roster").inner_text().count("已签到") == len(PEOPLE)
    shot(page, "roster-1024x768")

    # 代表: one phone each, signed in by the printed card's code
    tablets = []
    for name, _ in PEOPLE:
        context = browser.new_context(**PHONE, locale="zh-CN")
        tablet = context.new_page()
        tablet.on("pageerror", lambda e: errors.append(str(e)))
        tablet.goto(f"{url}/login?code={format_code(codes[name])}")
        tablet.wait_for_url(f"{url}/r")
        tablets.append((context, tablet))

    for department in DEPARTMENTS:
        organiser_clicks(page, f"{url}/organiser", f"#dept-{department}", "开始评分")
        empty_site.sync()
        if department == "fgw":
            shot(page, "agenda-open-1024x768")
        for (_, tablet), level in zip(tablets, CHOICES[department], strict=True):
            tablet.wait_for_selector(f'#dept-{department}[data-window="open"] form.ballot:not([hidden])')
            section = tablet.locator(f"#dept-{department}")
            section.get_by_role("button", name=level, exact=True).tap()
            section.get_by_role("button", name="提交评分").tap()
            tablet.wait_for_selector(f"#dept-{department} .outcome.sent")
        if department == "fgw":
            shot(tablets[0][1], "tablet-submitted-390x844")
        empty_site.sync()
        organiser_clicks(page, f"{url}/organiser", f"#dept-{department}", "结束评分")
        empty_site.sync()
    for context, _ in tablets:
        context.close()

    page.goto(f"{url}/organiser/results")
    page.get_by_role("button", name="锁定结果（之后不能再评分或作废）").click()
    page.wait_for_load_state()
    empty_site.sync()
    page.goto(f"{url}/organiser/results")
    page.get_by_role("button", name="发布结果（各部门可查看）").click()
    page.wait_for_load_state()
    empty_site.sync()
    page.goto(f"{url}/organiser/results")
    assert "已发布" in page.inner_text("main")
    shot(page, "results-1024x768")

    answer = page.request.get(f"{url}/results/city2027/signed.json")
    assert answer.status == 200
    payload = json.loads(answer.body())["payload"]
    assert payload["published"] is True
    assert expected("fgw") == ("85.000", "83.33")  # (3 × 95 + 1 × 55) / 4; (3 × 1 + 1 × 1/3) / 4
    for department in DEPARTMENTS:
        entry = next(e for e in payload["departments"] if e["department"] == department)
        score, rate = expected(department)
        assert entry["score"] == score, json.dumps(entry, ensure_ascii=False)
        assert entry["satisfaction_rate"] == rate, (department, entry)
        assert int(entry["valid_votes"]) == len(PEOPLE)
    assert errors == []
    organiser.close()
