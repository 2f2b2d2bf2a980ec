"""真实浏览器：监督员的控制台 — at phone, tablet and projector sizes the auditor reads the agenda, the roster,
the cards, the reconciliation and the history with no button it cannot use, its menu links the pages it may
read, the reconciliation says check-in was not required, and the history's type filter has whole labels;
axe-core finds nothing serious or critical on any of them."""

from __future__ import annotations

from typing import Any

import pytest

from evaluation.keys import format_code
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_accessibility import AXE

pytest.importorskip("playwright.sync_api")

SIZES = {"phone": (390, 844), "tablet": (1024, 768), "projector": (1920, 1080)}
PAGES = [
    "/organiser",
    "/organiser/representatives",
    "/organiser/cards",
    "/organiser/turnout",
    "/organiser/history",
]
AXE_RUN = (
    "async () => (await axe.run(document)).violations"
    ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_auditor_reads_the_console_without_a_button_it_cannot_use(
    site: Site, browser: Any, size: str
) -> None:
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run scripts/setup_test_env.sh")
    commands = site.commands
    commands.open_window("r2026", "fgw", by=ORGANISER)
    commands.cast_ballot(site.round.alice, "fgw", "alice-0001", "satisfied")
    commands.close_window("r2026", "fgw", by=ORGANISER)
    _, code = commands.add_staff("钱伟", "auditor", "operator:test", round_key="r2026", unit="市纪委")
    site.sync()
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    page = context.new_page()
    page.goto(f"{site.url}/login?code={format_code(code)}")
    page.wait_for_url(lambda url: "/login" not in url)
    problems: list[str] = []
    for path in PAGES:
        page.goto(f"{site.url}{path}")
        page.wait_for_load_state()
        assert page.locator("form[method=post]:not([action='/logout'])").count() == 0, path
        problems += [f"{path}: {v}" for v in page.evaluate(AXE_RUN)]
        site.shot(page, f"auditor-{size}-{path.strip('/').replace('/', '-')}")
    page.goto(f"{site.url}/organiser")
    menu = page.get_by_role("navigation", name="组织方菜单")
    for label in ("代表名单", "评议卡", "作废评议票", "部门登录码", "意见分拣", "其他得分", "网络评议"):
        assert menu.get_by_role("link", name=label, exact=True).count() == 1, label
    assert page.get_by_role("button", name="重新开始评分").count() == 0
    page.goto(f"{site.url}/organiser/turnout")
    assert "本活动评分前无须签到，签到人数仅供参考" in page.locator("#by-venue").locator("..").inner_text()
    page.goto(f"{site.url}/organiser/history")
    options = page.locator("select[name=kind] option").all_inner_texts()
    assert "设置评分前是否须先签到" in [o.strip("　") for o in options]
    context.close()
    assert problems == []
