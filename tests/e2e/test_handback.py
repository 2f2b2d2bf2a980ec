"""交还平板：代表走开后，下一个拿起平板的人看不到、本机也不再留着上一位的选择和草稿——无论是点了
“交还平板”、闲置超时，还是会话已在服务器端结束（补卡，或签到台点了“结束会话”）；而还没发出的评分一张不丢，发完才退出。"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_accessibility import AXE, Audit
from tests.e2e.test_browser import PHONE, ballot_topics, sign_in_by_qr
from tests.e2e.test_offline import until
from web.tablet.page import IDLE_MINUTES

TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
STORED = "JSON.stringify(Object.assign({}, window.localStorage))"


def stored(page: Any) -> dict[str, Any]:
    """The tablet's localStorage, each value parsed where it is JSON."""
    raw: dict[str, str] = json.loads(page.evaluate(STORED))
    parsed: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            parsed[key] = json.loads(value)
        except ValueError:
            parsed[key] = value
    return parsed


def records(page: Any) -> dict[str, Any]:
    found = {k: v for k, v in stored(page).items() if k.endswith(":record")}
    return {dept: rec for recs in found.values() for dept, rec in recs.items()}


def outbox(page: Any) -> list[Any]:
    return [item for k, v in stored(page).items() if k.endswith(":outbox") for item in v]


def open_both(site: Site, page: Any) -> None:
    """The organiser opens fgw's and swj's windows; the tablet shows both forms (it hears it while online)."""
    site.commands.open_window("r2026", "fgw", by=ORGANISER)
    site.commands.open_window("r2026", "swj", by=ORGANISER)
    page.wait_for_selector('#dept-swj[data-window="open"] form.ballot:not([hidden])')


def score_and_draft(site: Site, page: Any, opened: bool = False) -> None:
    """Alice scores fgw 满意 and leaves a draft on swj: 不满意 pressed, a comment typed, not submitted."""
    if not opened:
        open_both(site, page)
    page.locator("#dept-fgw").get_by_role("button", name="满意", exact=True).tap()
    page.locator("#dept-fgw").get_by_role("button", name="提交评分").tap()
    swj = page.locator("#dept-swj")
    swj.get_by_role("button", name="不满意", exact=True).tap()
    swj.locator("textarea[name=comment]").fill("草稿：窗口太少")


def nothing_of_alice_left(page: Any) -> None:
    text = json.dumps(stored(page), ensure_ascii=False)
    assert records(page) == {} and outbox(page) == []
    assert "草稿" not in text and "李秀英" not in text
    assert not [k for k in stored(page) if k.endswith(":shell") or k == "sanmin:v1:current"]


def test_a_tablet_left_untouched_forgets_its_representative_and_signs_out(site: Site, browser: Any) -> None:
    """The attack: Alice walks away without signing out; the next person picks up the tablet."""
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.clock.install()
    sign_in_by_qr(site, page)
    score_and_draft(site, page)
    page.wait_for_selector("#dept-fgw .outcome.sent")
    assert records(page)["fgw"]["label"] == "满意"

    page.clock.fast_forward(f"{IDLE_MINUTES - 1}:00")
    assert page.url == f"{site.url}/r"  # still hers a minute before the limit
    page.clock.fast_forward("01:01")
    page.wait_for_url(f"{site.url}/")
    nothing_of_alice_left(page)
    assert page.goto(f"{site.url}/r").url == f"{site.url}/login"  # her session is over
    assert ballot_topics(site) == ["Cast"]
    assert errors == []
    context.close()


def test_handing_back_with_ballots_unsent_clears_her_choices_sends_them_then_signs_out(
    site: Site, browser: Any
) -> None:
    context = browser.new_context(**TABLET, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_by_qr(site, page)
    open_both(site, page)  # the windows open while the tablet is online: offline, it could not hear of them
    context.set_offline(True)
    score_and_draft(site, page, opened=True)
    page.wait_for_selector("#dept-fgw .outcome.pending")
    assert len(outbox(page)) == 1

    page.get_by_role("button", name="交还平板").tap()
    cover = page.locator("#handback-cover")
    assert cover.is_visible() and not page.locator("#tablet").is_visible()
    assert "还有 1 项评分待发送" in cover.inner_text()
    assert records(page) == {}
    assert "满意" not in page.locator("body").inner_text()
    assert page.locator('#tablet button.level[aria-pressed="true"]').count() == 0
    assert page.locator("#dept-swj textarea[name=comment]").input_value() == ""
    assert [item["body"]["department"] for item in outbox(page)] == ["fgw"]  # the unsent ballot is kept
    site.shot(page, "tablet-handed-back")
    assert ballot_topics(site) == []

    context.set_offline(False)
    page.wait_for_url(f"{site.url}/", timeout=30_000)
    assert ballot_topics(site) == ["Cast"]  # sent, once
    nothing_of_alice_left(page)
    assert outbox(page) == []
    assert page.goto(f"{site.url}/r").url == f"{site.url}/login"
    assert errors == []
    context.close()


def test_a_session_ended_on_the_server_clears_the_choices_the_tablet_kept(site: Site, browser: Any) -> None:
    """Her card was replaced (补卡): the tablet learns its session is over and keeps nothing of hers."""
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in_by_qr(site, page)
    score_and_draft(site, page)
    page.wait_for_selector("#dept-fgw .outcome.sent")
    site.commands.reissue_credential(site.round.alice, by=ORGANISER)
    site.sync()
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the tablet asks for its state again
    page.wait_for_selector("#net.alert")
    assert until(page, "Object.keys(localStorage).filter(k => k.endsWith(':shell')).length", 0) == 0
    assert records(page) == {}
    assert not page.locator("#dept-fgw .outcome").is_visible()
    assert page.locator("#dept-swj textarea[name=comment]").input_value() == ""
    context.close()


def test_the_hand_back_button_is_there_at_every_size(site: Site, browser: Any) -> None:
    for name, options in (("phone", PHONE), ("tablet", TABLET)):
        context = browser.new_context(**options, locale="zh-CN")
        page = context.new_page()
        sign_in_by_qr(site, page)
        button = page.get_by_role("button", name="交还平板")
        assert button.is_visible()
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44
        site.shot(page, f"tablet-hand-back-button-{name}")
        context.close()


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run scripts/setup_test_env.sh")
    return AXE.read_text(encoding="utf-8")


def test_the_desk_ends_a_lost_tablet_s_session_from_the_roster_and_the_tablet_forgets_her(
    site: Site, browser: Any, axe: str
) -> None:
    """结束会话: her tablet went missing; the desk ends its session from the roster; the tablet, asking for its
    state again, is refused and keeps nothing of hers; the roster no longer offers the button."""
    tablet = browser.new_context(**TABLET, locale="zh-CN")
    page = tablet.new_page()
    sign_in_by_qr(site, page)
    score_and_draft(site, page)
    page.wait_for_selector("#dept-fgw .outcome.sent")
    desk = Audit(browser, site, "tablet", axe)
    desk.sign_in(site.commands.keys.organiser_code("r2026"))
    roster = "/organiser/representatives?q=李秀英"
    desk.check(roster, name="roster-signed-in-tablet")
    assert desk.problems == [] and desk.failed_loads == []
    assert "平板已登录" in desk.page.locator("table.roster").inner_text()
    for size, (width, height) in {
        "phone": (390, 844),
        "tablet": (1024, 768),
        "projector": (1920, 1080),
    }.items():
        desk.page.set_viewport_size({"width": width, "height": height})
        site.shot(desk.page, f"roster-end-sessions-{size}")
    desk.page.get_by_role("button", name="结束会话").click()
    desk.page.wait_for_load_state()
    assert "已结束「李秀英」的 1 个会话" in desk.page.locator(".flash").inner_text()
    assert desk.page.get_by_role("button", name="结束会话").count() == 0
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the tablet asks for its state again
    page.wait_for_selector("#net.alert")
    assert until(page, "Object.keys(localStorage).filter(k => k.endsWith(':shell')).length", 0) == 0
    assert records(page) == {}
    assert page.locator("#dept-swj textarea[name=comment]").input_value() == ""
    desk.close()
    tablet.close()
