"""意见办理，在浏览器里走一遍：一个场次的评议留言和留名建议 → 收集、合并、脱敏、交办两个部门 → 部门答复 → 退回重办
→ 审核通过 → 公开 → 留名代表查看答复并评价；办理跟踪的答复率、办结率与事件一致。每个新页面在三种尺寸下截图并跑 axe。"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from evaluation.opinion import Opinion
from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_accessibility import SIZES, Audit, axe_source  # noqa: F401 - axe_source is a fixture
from tests.integration.test_projection_helpers import query

SIGNED = "我是李秀英，手机13812345678，建议审批材料可以网上提交"


def opinion_rows(settings: Settings) -> dict[str, dict[str, Any]]:
    return {r["text"]: r for r in query(settings, f"SELECT * FROM {settings.schema}.opinions_view")}


def test_the_opinion_loop_end_to_end(site: Site, settings: Settings, browser: Any, axe_source: str) -> None:  # noqa: F811
    commands, round_ = site.commands, site.round
    for department in ("fgw", "swj"):
        commands.open_window("r2026", department, by=ORGANISER)
    commands.cast_ballot(round_.alice, "fgw", uuid4().hex, "satisfied", comment="审批太慢")
    commands.cast_ballot(round_.bob, "fgw", uuid4().hex, "dissatisfied", comment="审批太慢了！")
    commands.cast_ballot(round_.bob, "swj", uuid4().hex, "satisfied", comment="停水前要提前通知")
    commands.sign_suggestion(round_.alice, "fgw", uuid4().hex, SIGNED)
    for department in ("fgw", "swj"):  # a signed suggestion is recorded when its department's window closes
        commands.close_window("r2026", department, by=ORGANISER)
    fgw_code = commands.issue_department_credential("r2026", "fgw", by=ORGANISER)
    site.sync()

    organiser = Audit(browser, site, "projector", axe_source)
    organiser.sign_in(commands.keys.organiser_code("r2026"))
    page = organiser.page
    page.goto(f"{site.url}/organiser/opinions")
    page.get_by_label("场次").select_option("s1")
    page.get_by_role("button", name="收集意见").click()
    page.wait_for_selector("text=已收集 4 条新意见")
    site.sync()
    page.reload()
    organiser.check("/organiser/opinions", name="opinions-triage")

    # the merge suggestion: 审批太慢 ×2, accepted with its suggested theme
    merge = page.locator("form.merge").first
    assert "2 条" in merge.inner_text() and merge.locator("select[name=theme]").input_value() == "办事效率"
    merge.get_by_role("button", name="合并").click()
    page.wait_for_selector("text=已合并")
    site.sync()
    page.reload()
    # the redaction found in the signed suggestion, confirmed as proposed
    redact = page.locator("form.redact")
    assert "手机号「13812345678」" in redact.inner_text() and "姓名「李秀英」" in redact.inner_text()
    redact.get_by_role("button", name="确认脱敏").click()
    page.wait_for_selector("text=已确认脱敏")
    site.sync()

    # keyboard: j moves, x ticks; everything of fgw to fgw with swj co-operating
    page.goto(f"{site.url}/organiser/opinions?department=fgw")
    rows = page.locator("tr.opinion")
    assert rows.count() == 3
    for _ in range(3):
        page.keyboard.press("j")
        page.keyboard.press("x")
    assert page.locator("tr.opinion input:checked").count() == 3
    page.keyboard.press("a")
    assert page.evaluate("document.activeElement.id") == "lead"
    page.select_option("#lead", "fgw")
    page.locator("form.bulk details summary").click()
    page.locator("form.bulk details").get_by_label("市水务局").check()
    page.get_by_role("button", name="交办").click()
    page.wait_for_selector("text=已交办 3 条意见")
    page.goto(f"{site.url}/organiser/opinions?department=swj")
    page.locator("tr.opinion input[type=checkbox]").check()
    page.select_option("#lead", "swj")
    page.get_by_role("button", name="交办").click()
    page.wait_for_selector("text=已交办 1 条意见")
    site.sync()
    found = opinion_rows(settings)
    assert {found[t]["lead"] for t in found} == {"fgw", "swj"} and found["审批太慢"]["cooperating"] == ["swj"]

    department = Audit(browser, site, "tablet", axe_source)
    department.sign_in(fgw_code)
    dpage = department.page
    dpage.goto(f"{site.url}/department/opinions")
    body = dpage.inner_text("main")
    assert "13812345678" not in body and "李秀英" not in body and "合并 2 条" in body
    cards = dpage.locator("article.opinion-card")
    group = cards.filter(has_text="审批太慢")
    group.get_by_label("答复", exact=True).fill("已推行网上预审，材料一次告知")
    group.get_by_label("已办结").check()
    group.get_by_role("button", name="提交答复").click()
    dpage.wait_for_selector("text=答复已提交")
    signed = dpage.locator("article.opinion-card").filter(has_text="网上提交")
    signed.get_by_label("答复", exact=True).fill("正在建设网上提交系统")
    signed.get_by_label("办理中").check()
    signed.get_by_role("button", name="提交答复").click()
    dpage.wait_for_selector("text=答复已提交")
    site.sync()

    page.goto(f"{site.url}/organiser/opinions/review")
    organiser.check("/organiser/opinions/review", name="opinions-review-pending")
    review = page.locator("article.answer-card").filter(has_text="正在建设网上提交系统")
    review.get_by_label("退回原因").fill("请写明完成时间")
    review.get_by_role("button", name="退回重办").click()
    page.wait_for_selector("text=已退回重办")
    site.sync()
    dpage.goto(f"{site.url}/department/opinions")
    signed = dpage.locator("article.opinion-card").filter(has_text="网上提交")
    assert "组织方退回重办：请写明完成时间" in signed.inner_text()
    signed.locator("textarea[name=text]").fill("网上提交系统将于年底前上线")
    signed.get_by_role("button", name="提交答复").click()
    dpage.wait_for_selector("text=答复已提交")
    site.sync()
    department.check("/department/opinions", name="opinions-department")

    page.goto(f"{site.url}/organiser/opinions/review")
    while page.locator("article.answer-card").count():
        page.locator("article.answer-card").first.get_by_role("button", name="审核通过").click()
        page.wait_for_selector("text=已审核通过")
        site.sync()
        page.goto(f"{site.url}/organiser/opinions/review")
    page.get_by_role("button", name="公开全部已审核的答复").click()
    page.wait_for_selector("text=已公开 3 条答复")
    site.sync()

    citizen = Audit(browser, site, "phone", axe_source)
    citizen.sign_in(round_.alice_code)
    cpage = citizen.page
    cpage.goto(f"{site.url}/opinions/mine")
    assert "网上提交系统将于年底前上线" in cpage.inner_text("main")
    cpage.get_by_label("满意", exact=True).check()
    cpage.get_by_role("button", name="提交评价").click()
    cpage.wait_for_selector("text=感谢您的评价：满意")
    assert "您的评价：满意" in cpage.inner_text("main"), "the page came back with the rating just given"
    assert cpage.get_by_role("button", name="修改评价").is_visible()
    site.sync()
    citizen.check("/opinions/mine", name="opinions-mine")
    citizen.check("/opinions/round/r2026", name="opinions-public")
    assert "同类意见 2 条" in cpage.inner_text("main")

    # the dashboard's rates are the events' own
    opinions = [commands.opinion(r["opinion_id"]) for r in opinion_rows(settings).values()]
    led: list[Opinion] = [o for o in opinions if o.lead == "fgw"]
    answered = sum(o.answer is not None for o in led)
    completed = sum(o.answer is not None and o.answer["state"] == "已办结" for o in led)
    page.goto(f"{site.url}/organiser/opinions/tracking")
    line = page.locator("table.tracking tr").filter(has_text="市发改委")
    assert line.locator("td.answer-rate").inner_text() == f"{100 * answered / len(led):.1f}%" == "100.0%"
    assert line.locator("td.completion-rate").inner_text() == f"{100 * completed / len(led):.1f}%" == "66.7%"
    assert [o.rating for o in led if o.rating] == ["满意"]
    organiser.check("/organiser/opinions/tracking", name="opinions-tracking")
    organiser.check("/organiser/opinions/review", name="opinions-review")

    for size in SIZES:  # every new screen at the three sizes, with its content
        for code, paths in [
            (commands.keys.organiser_code("r2026"), ["/organiser/opinions", "/organiser/opinions/review", "/organiser/opinions/tracking"]),
            (fgw_code, ["/department/opinions"]),
            (round_.alice_code, ["/opinions/mine", "/opinions/round/r2026"]),
        ]:  # fmt: skip
            audit = Audit(browser, site, size, axe_source)
            audit.sign_in(code)
            for path in paths:
                audit.check(path, name=f"opinions-{size}-{path.strip('/').replace('/', '-')}")
            audit.close()
            assert audit.problems == [] and audit.failed_loads == []

    landscape = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    view = landscape.new_page()
    view.goto(f"{site.url}/login?code={commands.keys.organiser_code('r2026')}")
    for path in ("/organiser/opinions", "/organiser/opinions/tracking"):
        view.goto(f"{site.url}{path}")
        site.shot(view, f"opinions-1024x768-{path.strip('/').replace('/', '-')}")
    landscape.close()

    audits = [organiser, department, citizen]
    for audit in audits:
        audit.close()
    assert [p for a in audits for p in a.problems] == []
    assert [f for a in audits for f in a.failed_loads] == []
