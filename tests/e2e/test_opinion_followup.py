"""意见办理的后续页面，在浏览器里：部门首页的意见汇总按合并主题显示（计数、代表性语句，组织方认定的非意见不列出）。
每个页面在手机（390×844）和平板横屏（1024×768）下截图并跑 axe。"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_accessibility import SIZES, Audit, axe_source  # noqa: F401 - axe_source is a fixture
from tests.e2e.test_opinions import opinion_rows

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
