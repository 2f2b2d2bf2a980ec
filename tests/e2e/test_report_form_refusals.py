"""述职报告 in the browser: a PDF over 20 MB is refused; the page comes back at the alert inside the form's
card (on the screen, phone and tablet), the title, summary and full text still typed. Screenshots:
test-artifacts/screenshots/report-too-large-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import ORGANISER
from tests.e2e.conftest import SCREENSHOTS, Site
from tests.e2e.test_direct_answer_card import SIZES, sign_in
from tests.e2e.test_opinion_card_refusals import in_view

TYPED = {"title": "发改委2026年度述职报告", "summary": "项目为王，服务为先", "text": "第一段全文\n第二段全文"}


def test_a_report_with_a_file_over_20_mb_comes_back_in_view_with_what_was_typed(
    site: Site, browser: Any, tmp_path: Path
) -> None:
    code = site.commands.issue_department_credential("r2026", "fgw", by=ORGANISER)
    site.sync()
    big = tmp_path / "述职报告.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024))
    errors: list[str] = []
    for size in ("phone", "tablet"):
        device = SIZES[size]
        context = browser.new_context(**device, locale="zh-CN")
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(site, page, code)
        page.goto(f"{site.url}/department/report")
        for name, value in TYPED.items():
            page.locator(f"[name={name}]").fill(value)
        page.locator("input[name=file]").set_input_files(str(big))
        page.get_by_role("button", name="保存报告").click()
        card = page.locator("section", has=page.locator("form.report-form"))
        alert = card.get_by_role("alert")
        alert.wait_for()
        assert "附件不能超过 20 MB" in alert.inner_text()
        assert in_view(page, alert), f"{size}: the refusal is on the screen"
        for name, value in TYPED.items():
            assert card.locator(f"[name={name}]").input_value() == value, f"{size}: {name} kept"
        page.screenshot(path=str(SCREENSHOTS / f"report-too-large-{size}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= device["viewport"]["width"]
        context.close()
    assert errors == []
