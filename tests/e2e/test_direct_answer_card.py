"""意见办理 after a direct answer: the department answers a signed suggestion on 「留名建议答复」 in the browser,
and the card of the opinion it became, which it leads, shows that answer with its date, marked 已直接答复, and
asks only for the handling (state, measures, evidence); a plain opinion beside it is unchanged. The card fits a
phone, a tablet and a projector. Screenshots: test-artifacts/screenshots/direct-answer-card-*.png."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from evaluation.opinion_handling import OpinionSource
from evaluation.round_day import round_today
from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.integration.test_projection_helpers import query

SIGNED = "建议发改委政务大厅增设夜间办事窗口，方便上班族办理业务"
DIRECT = "李秀英代表您好：我委已决定自下月起每周三开设夜间窗口（18:00–20:30），欢迎您来办理。"
COMMENT = "审批材料清单不清楚，建议在网上公开"
SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "tablet": {"viewport": {"width": 1024, "height": 768}, "has_touch": True},
    "projector": {"viewport": {"width": 1920, "height": 1080}},
}


def signed_suggestion_assigned(site: Site, settings: Settings) -> str:
    """Alice's signed suggestion for fgw, delivered at the close, collected and assigned to fgw with a comment;
    the suggestion's id."""
    app, alice = site.commands, site.round.alice
    app.open_window("r2026", "fgw", by=ORGANISER)
    app.cast_ballot(alice, "fgw", uuid4().hex, "satisfied")
    app.sign_suggestion(alice, "fgw", uuid4().hex, SIGNED)
    app.close_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    suggestion = str(query(settings, "SELECT suggestion_id FROM suggestions_view")[0]["suggestion_id"])
    sources = [
        OpinionSource("suggestion", suggestion, "fgw", SIGNED),
        OpinionSource("comment", uuid4().hex, "fgw", COMMENT),
    ]
    app.collect_opinions("r2026", sources, ORGANISER)
    site.sync()
    ids = [r["opinion_id"] for r in query(settings, "SELECT opinion_id FROM opinions_view")]
    app.assign_opinions("r2026", ids, "fgw", [], ORGANISER)
    site.sync()
    return suggestion


def sign_in(site: Site, page: Any, code: str) -> None:
    page.goto(f"{site.url}/login")
    page.fill("#code", code)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_the_opinion_card_shows_the_answer_given_on_the_signed_suggestion_page(
    site: Site, browser: Any, settings: Settings
) -> None:
    suggestion = signed_suggestion_assigned(site, settings)
    code = site.commands.issue_department_credential("r2026", "fgw", by=ORGANISER)
    site.sync()
    problems: list[str] = []
    errors: list[str] = []

    def caught(error: Any) -> None:
        errors.append(str(error))

    for size, device in SIZES.items():
        context = browser.new_context(**device, locale="zh-CN")
        page = context.new_page()
        page.on("pageerror", caught)
        sign_in(site, page, code)
        if size == "phone":  # the answer, as staff give it, on 留名建议答复
            page.goto(f"{site.url}/department/suggestions")
            card = page.locator(f"#s-{suggestion}")
            card.locator("textarea[name=answer]").fill(DIRECT)
            card.get_by_role("button", name="提交答复").click()
            page.wait_for_selector("text=答复已保存")
            site.sync()
        page.goto(f"{site.url}/department/opinions")
        direct = page.locator("article.opinion-card", has_text=SIGNED)
        plain = page.locator("article.opinion-card", has_text=COMMENT)
        shown = direct.inner_text()
        assert "承办 · 期限" in shown and "已直接答复" in shown
        assert f"这条留名建议已在留名建议答复中答复署名人（{round_today().isoformat()} 首次答复）" in shown
        assert DIRECT in shown and "这条答复已送达署名人，已计入本部门的答复率" in shown
        assert (
            direct.get_by_role("link", name="留名建议答复").get_attribute("href") == "/department/suggestions"
        )
        assert direct.get_by_role("button", name="提交答复").is_visible(), "its state is still to be given"
        assert "已直接答复" not in plain.inner_text() and "留名建议答复" not in plain.inner_text()
        direct.scroll_into_view_if_needed()
        site.shot(page, f"direct-answer-card-{size}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > device["viewport"]["width"]:
            problems.append(f"{size}: the page is {wide} px wide")
        context.close()
    assert problems == [] and errors == []
