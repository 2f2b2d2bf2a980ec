"""真实浏览器：监督员打开活动设置 — the four setup pages read (the saved values in disabled fields), a plain
note, no form that posts and no save button; axe-core finds nothing serious or critical. Screenshots
test-artifacts/screenshots/auditor-setup-*.png."""

from __future__ import annotations

from typing import Any

import pytest

from evaluation.keys import format_code
from tests.e2e.conftest import Site
from tests.e2e.test_accessibility import AXE
from tests.e2e.test_auditor_console import AXE_RUN

pytest.importorskip("playwright.sync_api")

SETUP = "/organiser/rounds/r2026/setup"


def test_the_auditor_reads_the_setup_pages_without_a_form(site: Site, browser: Any) -> None:
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run scripts/setup_test_env.sh")
    _, code = site.commands.add_staff("钱伟", "auditor", "operator:test", round_key="r2026", unit="市纪委")
    site.sync()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    page = context.new_page()
    page.goto(f"{site.url}/login?code={format_code(code)}")
    page.wait_for_url(lambda url: "/login" not in url)
    problems: list[str] = []
    for path in (SETUP, f"{SETUP}/lists", f"{SETUP}/departments", f"{SETUP}/sittings"):
        page.goto(f"{site.url}{path}")
        page.wait_for_load_state()
        assert page.locator("form[method=post]:not([action='/logout'])").count() == 0, path
        assert page.get_by_role("button", name="保存").count() == 0, path
        assert "活动设置只能查看" in page.locator("main").inner_text(), path
        problems += [f"{path}: {v}" for v in page.evaluate(AXE_RUN)]
        site.shot(page, f"auditor-setup-{path.rsplit('/', 1)[-1]}")
    page.goto(f"{site.url}{SETUP}/departments")
    assert page.locator("input[name=name]").first.input_value() == "市发改委"  # the saved value, read
    assert page.locator("input[name=name]").first.is_disabled()
    context.close()
    assert problems == []
