"""意见办理 in the browser: an 11 MB photo, a fake .png and a blank reason for 申请改派 are refused on the
second opinion's card; the page comes back scrolled to that card's alert (inside the viewport on a phone and a
tablet), with the answer, the measures and 已办结 still there. Screenshots, as the officer sees the screen:
test-artifacts/screenshots/opinion-card-refusal-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.e2e.conftest import SCREENSHOTS, Site
from tests.e2e.test_direct_answer_card import COMMENT, SIZES, sign_in, signed_suggestion_assigned

ANSWER = "已在网上公开审批材料清单，并在大厅张贴"
MEASURES = "政务网开设材料清单专栏"


def in_view(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def fill_and_send(card: Any, file: Path) -> None:
    card.locator("textarea[name=text]").fill(ANSWER)
    card.locator("textarea[name=measures]").fill(MEASURES)
    card.get_by_label("已办结").check()
    card.locator("input[name=evidence]").set_input_files(str(file))
    card.get_by_role("button", name="提交答复").click()


def test_a_refused_answer_or_reassignment_is_shown_in_its_card_in_view_with_what_was_typed(
    site: Site, browser: Any, settings: Settings, tmp_path: Path
) -> None:
    signed_suggestion_assigned(site, settings)
    code = site.commands.issue_department_credential("r2026", "fgw", by=ORGANISER)
    site.sync()
    big = tmp_path / "现场照片.jpg"
    big.write_bytes(b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024))
    fake = tmp_path / "照片.png"
    fake.write_bytes(b"this is a text file, not a picture")
    errors: list[str] = []
    for size in ("phone", "tablet"):
        device = SIZES[size]
        context = browser.new_context(**device, locale="zh-CN")
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(site, page, code)
        for name, file, said in [
            ("too-large", big, "证明材料不能超过 10 MB"),
            ("fake-png", fake, "照片.png"),
        ]:
            page.goto(f"{site.url}/department/opinions")
            fill_and_send(page.locator("article.opinion-card", has_text=COMMENT), file)
            card = page.locator("article.opinion-card", has_text=COMMENT)
            alert = card.get_by_role("alert")
            alert.wait_for()
            assert said in alert.inner_text()
            assert in_view(page, alert), f"{size} {name}: the refusal is on the screen"
            assert card.locator("textarea[name=text]").input_value() == ANSWER
            assert card.locator("textarea[name=measures]").input_value() == MEASURES
            assert card.get_by_label("已办结").is_checked(), f"{size} {name}: 办理状态 kept"
            page.screenshot(path=str(SCREENSHOTS / f"opinion-card-refusal-{name}-{size}.png"))
        page.goto(f"{site.url}/department/opinions")
        card = page.locator("article.opinion-card", has_text=COMMENT)
        card.locator("input[name=reason]").fill("   ")
        card.get_by_role("button", name="申请改派").click()
        alert = page.locator("article.opinion-card", has_text=COMMENT).get_by_role("alert")
        alert.wait_for()
        assert "请填写原因" in alert.inner_text() and in_view(page, alert)
        page.screenshot(path=str(SCREENSHOTS / f"opinion-card-refusal-reason-{size}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= device["viewport"]["width"]
        context.close()
    assert errors == []
