"""A tablet's refusals name the department as the hall knows it (「市水务局」), never by its key (swj): the
server's ballot path answers ``window_closed`` and ``not_in_sitting`` with the key only (it reads no name for
a refusal), and the page words them from the names it already has — its sections' and, for a department no
longer on the page, the name queued with the ballot. Each refusal is triggered for real: a ballot held offline
past the window's close and sent from the queue after a reload; a department moved to another sitting after
the page loaded, refused on the page and again after a reload; a ballot queued offline for it, replayed after
a reload whose page no longer lists it. Screenshots at phone, tablet and projector sizes:
test-artifacts/screenshots/tablet-refusal-*.png."""

from __future__ import annotations

from typing import Any

from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_browser import HALL, PHONE, ballot_topics, sign_in_by_qr

TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}


def cast(page: Any, department: str, level: str) -> None:
    section = page.locator(f"#dept-{department}")
    section.get_by_role("button", name=level, exact=True).click()
    section.get_by_role("button", name="提交评分").click()


def shown(page: Any) -> str:
    """What a person sees on the page, and what a screen reader is told."""
    return str(page.locator("body").inner_text()) + str(page.locator("#announce").text_content())


def swj_moved_to_the_second_sitting(site: Site) -> None:
    """Before any scoring, the organiser moves 市水务局 from Alice's sitting to the second one, and opens it."""
    site.commands.change_agenda("r2026", "s1", ["fgw"], by=ORGANISER)
    site.commands.change_agenda("r2026", "s2", ["kjj", "zjj", "swj"], by=ORGANISER)
    site.commands.open_window("r2026", "swj", by=ORGANISER)


def opened(browser: Any, site: Site, device: dict[str, Any]) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(**device, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_by_qr(site, page)
    return context, page, errors


def test_a_ballot_sent_from_the_queue_after_the_close_names_the_department(site: Site, browser: Any) -> None:
    site.commands.open_window("r2026", "fgw", by=ORGANISER)
    site.sync()
    context, page, errors = opened(browser, site, PHONE)
    context.set_offline(True)
    cast(page, "fgw", "不满意")
    page.wait_for_selector("#dept-fgw .outcome.pending")
    site.commands.close_window("r2026", "fgw", by=ORGANISER)
    context.set_offline(False)
    page.reload()  # the queue is sent by the page loaded afresh
    page.wait_for_selector("#dept-fgw .outcome.refused", timeout=20_000)
    outcome = page.locator("#dept-fgw .outcome").inner_text()
    assert "「市发改委」的评分已结束，这次评分没有被接收。" in outcome
    assert "「市发改委」未能提交" in str(page.locator("#announce").text_content())
    assert "fgw" not in shown(page)
    site.shot(page, "tablet-refusal-window-closed-phone")
    assert ballot_topics(site) == [] and errors == []
    context.close()


def test_a_department_moved_to_another_sitting_is_named_on_the_page_and_after_a_reload(
    site: Site, browser: Any
) -> None:
    context, page, errors = opened(browser, site, TABLET)
    # after the page loaded: it still lists 市水务局 and learns that it opened
    swj_moved_to_the_second_sitting(site)
    page.wait_for_selector('#dept-swj[data-window="open"] form.ballot:not([hidden])')
    cast(page, "swj", "满意")
    page.wait_for_selector("#dept-swj .outcome.refused", timeout=20_000)
    outcome = page.locator("#dept-swj .outcome").inner_text()
    assert "「市水务局」不在您参加的场次，这次评分没有被接收。" in outcome
    assert "swj" not in shown(page)
    site.shot(page, "tablet-refusal-not-in-sitting-tablet")

    page.reload()  # the page of her sitting no longer lists 市水务局: the refusal is said above the departments
    assert page.locator("#dept-swj").count() == 0
    elsewhere = page.locator("#elsewhere")
    assert elsewhere.is_visible()
    assert elsewhere.inner_text() == "未能提交：「市水务局」不在您参加的场次，这次评分没有被接收。"
    assert "swj" not in shown(page)
    site.shot(page, "tablet-refusal-not-in-sitting-reloaded-tablet")
    assert ballot_topics(site) == [] and errors == []
    context.close()


def test_a_queued_ballot_replayed_after_its_department_left_the_page_is_named(
    site: Site, browser: Any
) -> None:
    context, page, errors = opened(browser, site, HALL)
    swj_moved_to_the_second_sitting(site)
    page.wait_for_selector('#dept-swj[data-window="open"] form.ballot:not([hidden])')
    context.set_offline(True)
    cast(page, "swj", "基本满意")
    page.wait_for_selector("#dept-swj .outcome.pending")
    page.route("**/api/ballots", lambda route: route.abort())  # no answer until the page is loaded afresh
    context.set_offline(False)
    page.reload()  # the fresh page has no section for 市水务局; its queue still holds the ballot
    page.unroute("**/api/ballots")  # the queue's next try reaches the server
    assert page.locator("#dept-swj").count() == 0
    page.wait_for_selector("#elsewhere:not([hidden])", timeout=20_000)
    said = page.locator("#elsewhere").inner_text()
    assert said == "未能提交：「市水务局」不在您参加的场次，这次评分没有被接收。"
    assert "「市水务局」未能提交" in str(page.locator("#announce").text_content())
    assert "swj" not in shown(page)
    assert page.evaluate("window.SanminTablet.outbox.count()") == 0, "the queue goes on after the refusal"
    site.shot(page, "tablet-refusal-replayed-projector")
    assert ballot_topics(site) == [] and errors == []
    context.close()


def test_a_signed_suggestion_for_a_department_moved_away_names_it(site: Site, browser: Any) -> None:
    context, page, errors = opened(browser, site, PHONE)
    swj_moved_to_the_second_sitting(site)
    section = page.locator("#dept-swj")
    section.locator("details.signed").evaluate("details => { details.open = true; }")
    section.locator("textarea[name=suggestion]").fill("建议公布停水计划")
    section.get_by_role("button", name="提交留名建议").tap()
    note = section.locator(".suggestion-note")
    note.filter(has_text="没有被接收").wait_for(timeout=20_000)
    assert note.inner_text() == "「市水务局」不在您参加的场次，这条留名建议没有被接收。"
    assert "swj" not in shown(page)
    site.shot(page, "tablet-refusal-suggestion-phone")
    assert errors == []
    context.close()
