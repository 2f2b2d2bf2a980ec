"""意见办理的后续页面，在浏览器里：部门首页的意见汇总按合并主题显示（计数、代表性语句，组织方认定的非意见不列出）；
部门答复时附上现场照片，组织方审核时看到并下载。
每个页面在手机（390×844）和平板横屏（1024×768）下截图并跑 axe。"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

from PIL import Image

from evaluation.opinion_handling import OpinionSource
from evaluation.round_day import round_today
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_accessibility import SIZES, Audit, axe_source  # noqa: F401 - axe_source is a fixture
from tests.e2e.test_opinions import opinion_rows
from tests.integration.test_projection_helpers import query

SIZES.setdefault("landscape", {"viewport": {"width": 1024, "height": 768}, "has_touch": True})
SAID = [
    "路灯坏了没人修",
    "路灯坏了没人修",
    "路灯坏了没人修！",
    "晚上路灯不亮",
    "全是脏话",
    "窗口排队太久，办事效率低",
]


def scored_and_published(site: Site) -> None:
    """Six representatives of sitting s1 score fgw with ``SAID``; the results are published."""
    commands = site.commands
    reps = [
        commands.register_representative("r2026", f"路灯代表{i}", "resident", "kdl", "s1", by=ORGANISER)[0]
        for i in range(len(SAID))
    ]
    commands.open_window("r2026", "fgw", by=ORGANISER)
    for rep, text in zip(reps, SAID, strict=True):
        commands.cast_ballot(rep, "fgw", uuid4().hex, "dissatisfied", comment=text)
    commands.close_window("r2026", "fgw", by=ORGANISER)
    commands.lock_results("r2026", by=ORGANISER)
    commands.publish_results("r2026", by=ORGANISER)


def test_the_department_summary_shows_merged_themes_with_counts(
    site: Site,
    settings: Any,
    browser: Any,
    axe_source: str,  # noqa: F811
) -> None:
    commands = site.commands
    scored_and_published(site)
    site.sync()
    organiser = Audit(browser, site, "landscape", axe_source)
    organiser.sign_in(commands.keys.organiser_code("r2026"))
    organiser.page.goto(f"{site.url}/organiser/opinions")
    organiser.page.get_by_role("button", name="收集意见").click()
    organiser.page.wait_for_selector("text=已收集 6 条新意见")
    organiser.close()
    site.sync()
    ids = {text: row["opinion_id"] for text, row in opinion_rows(settings).items()}
    commands.merge_opinions("r2026", [ids["晚上路灯不亮"], ids["路灯坏了没人修！"]], by=ORGANISER)
    commands.classify_opinions(
        "r2026", [ids["晚上路灯不亮"], ids["路灯坏了没人修！"]], "夜间照明", by=ORGANISER
    )
    commands.mark_not_opinion("r2026", [ids["全是脏话"]], "辱骂", by=ORGANISER)
    code = commands.issue_department_credential("r2026", "fgw", by=ORGANISER)
    site.sync()

    for size in ("phone", "landscape"):
        audit = Audit(browser, site, size, axe_source)
        audit.sign_in(code)
        audit.check("/department", name=f"opinions-summary-{size}")
        main = audit.page.inner_text("main")
        assert "夜间照明" in main and "全是脏话" not in main and "另有 1 条经组织方认定为非意见" in main
        assert main.count("路灯坏了没人修") == 1
        audit.close()
        assert audit.problems == [] and audit.failed_loads == []


def test_a_department_attaches_a_photo_to_its_answer_and_the_organiser_sees_it_in_review(
    site: Site,
    settings: Any,
    browser: Any,
    axe_source: str,  # noqa: F811
    tmp_path: Any,
) -> None:
    commands = site.commands
    commands.open_window("r2026", "fgw", by=ORGANISER)
    commands.cast_ballot(site.round.alice, "fgw", uuid4().hex, "satisfied", comment="路口积水没人管")
    commands.close_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    (ballot,) = query(
        settings, f"SELECT ballot_id FROM {settings.schema}.ballots_view WHERE department = 'fgw'"
    )
    source = OpinionSource("comment", str(ballot["ballot_id"]), "fgw", "路口积水没人管")
    commands.collect_opinions("r2026", [source], by=ORGANISER)
    site.sync()
    (opinion,) = [row["opinion_id"] for row in opinion_rows(settings).values()]
    commands.assign_opinions("r2026", [opinion], "fgw", [], by=ORGANISER)
    code = commands.issue_department_credential("r2026", "fgw", by=ORGANISER)
    site.sync()
    picture = tmp_path / "现场照片.jpg"
    Image.new("RGB", (320, 240), (40, 90, 160)).save(picture, "JPEG")

    department = Audit(browser, site, "phone", axe_source)
    department.sign_in(code)
    page = department.page
    page.goto(f"{site.url}/department/opinions")
    card = page.locator("article.opinion-card").first
    card.get_by_label("答复", exact=True).fill("已清理排水口")
    card.get_by_label("已办结").check()
    card.get_by_label("证明材料", exact=False).set_input_files(str(picture))
    card.get_by_role("button", name="提交答复").click()
    page.wait_for_selector("text=答复已提交")
    site.sync()
    page.reload()
    assert "现场照片.jpg" in page.inner_text("main")
    department.check("/department/opinions", name="opinions-evidence-department-phone")
    department.close()

    for size in ("phone", "landscape"):
        organiser = Audit(browser, site, size, axe_source)
        organiser.sign_in(commands.keys.organiser_code("r2026"))
        organiser.check("/organiser/opinions/review", name=f"opinions-evidence-review-{size}")
        link = organiser.page.get_by_role("link", name="现场照片.jpg")
        with organiser.page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == "现场照片.jpg"
        organiser.close()
        assert organiser.problems == [] and organiser.failed_loads == []
    assert department.problems == [] and department.failed_loads == []


def test_the_organiser_reads_the_daily_digest_on_a_phone_and_a_tablet(
    site: Site,
    settings: Any,
    browser: Any,
    axe_source: str,  # noqa: F811
) -> None:
    commands = site.commands
    commands.open_window("r2026", "fgw", by=ORGANISER)
    commands.cast_ballot(site.round.alice, "fgw", uuid4().hex, "satisfied", comment="路口积水没人管")
    commands.cast_ballot(site.round.bob, "fgw", uuid4().hex, "satisfied", comment="停车位太少")
    commands.close_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    rows = query(settings, f"SELECT ballot_id, comment FROM {settings.schema}.ballots_view")
    sources = [OpinionSource("comment", str(r["ballot_id"]), "fgw", r["comment"]) for r in rows]
    commands.collect_opinions("r2026", sources, by=ORGANISER)
    site.sync()
    ids = {text: row["opinion_id"] for text, row in opinion_rows(settings).items()}
    today = round_today()
    commands.assign_opinions(
        "r2026", [ids["路口积水没人管"]], "fgw", [], ORGANISER, today - timedelta(days=40)
    )
    commands.assign_opinions("r2026", [ids["停车位太少"]], "swj", [], ORGANISER, today, working_days=1)
    site.sync()
    for size in ("phone", "landscape"):
        organiser = Audit(browser, site, size, axe_source)
        organiser.sign_in(commands.keys.organiser_code("r2026"))
        organiser.check("/organiser/opinions/digest", name=f"opinions-digest-{size}")
        main = organiser.page.inner_text("main")
        assert "路口积水没人管" in main and "停车位太少" in main and "即将到期" in main
        assert organiser.page.locator("section.digest-department").count() == 2
        organiser.close()
        assert organiser.problems == [] and organiser.failed_loads == []


def test_the_organiser_enters_the_handling_figures_into_the_composite_on_a_phone_and_a_tablet(
    site: Site,
    settings: Any,
    browser: Any,
    axe_source: str,  # noqa: F811
) -> None:
    commands = site.commands
    commands.open_window("r2026", "fgw", by=ORGANISER)
    commands.cast_ballot(site.round.alice, "fgw", uuid4().hex, "satisfied", comment="路口积水没人管")
    commands.close_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    (ballot,) = query(settings, f"SELECT ballot_id FROM {settings.schema}.ballots_view")
    commands.collect_opinions(
        "r2026", [OpinionSource("comment", str(ballot["ballot_id"]), "fgw", "路口积水没人管")], by=ORGANISER
    )
    site.sync()
    (opinion,) = [row["opinion_id"] for row in opinion_rows(settings).values()]
    commands.assign_opinions("r2026", [opinion], "fgw", [], ORGANISER)
    commands.answer_opinion("r2026", opinion, "fgw", "已清理排水口", "", "已办结", "department:fgw")
    site.sync()
    for size in ("phone", "landscape"):
        organiser = Audit(browser, site, size, axe_source)
        organiser.sign_in(commands.keys.organiser_code("r2026"))
        organiser.check("/organiser/opinions/assessment", name=f"opinions-assessment-{size}")
        assert organiser.page.locator("td.handling-score").first.inner_text() == "100.00"
        if size == "landscape":
            organiser.page.get_by_label("权重（%）").fill("10")
            organiser.page.get_by_role("button", name="计入综合得分").click()
            organiser.page.wait_for_selector("text=已将 1 个部门的意见办理得分计入综合得分")
            site.shot(organiser.page, "opinions-assessment-entered-landscape")
        organiser.close()
        assert organiser.problems == [] and organiser.failed_loads == []
    assert commands.round("r2026").components["意见办理"] == {"fgw": "100.00"}
