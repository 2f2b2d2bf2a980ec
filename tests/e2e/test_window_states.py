"""评分窗口状态的先后：平板从两处得知窗口状态——推送（/r/events）和状态查询（/api/state）。网络繁忙时两者的应答
先后不定：一份较早读出的状态晚于推送到达，不能把已开始的评分又显示为“尚未开始”；推送接通之前开始的评分，
接通时也要显示出来。"""

from __future__ import annotations

import time
from typing import Any

from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_browser import PHONE, sign_in_by_qr

OPEN_FORM = '#dept-{}[data-window="open"] form.ballot:not([hidden])'
SETTLE = "() => new Promise(done => setTimeout(done, 300))"
"""A few of the page's tasks later: an answer just delivered has been read and applied."""


def held(page: Any, pattern: str, fetch: bool) -> list[Any]:
    """Holds the page's requests matching ``pattern``; each entry is ``(route, answer)``, the answer read from
    the server at the moment of the request when ``fetch`` (else ``None``: the request is not yet sent)."""
    holding: list[Any] = []
    page.route(pattern, lambda route: holding.append((route, route.fetch() if fetch else None)))
    return holding


def wait_for(holding: list[Any], page: Any, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not holding:
        assert time.monotonic() < deadline, "the page did not ask"
        page.wait_for_timeout(50)


def test_a_state_answer_read_before_a_window_opened_does_not_hide_it_when_it_arrives_after_the_stream(
    site: Site, browser: Any
) -> None:
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    states = held(page, "**/api/state*", fetch=True)
    sign_in_by_qr(site, page)
    wait_for(states, page)  # the page asked for its state: the server answered "尚未开始", held on the way
    site.commands.open_window("r2026", "fgw", by=ORGANISER)
    site.commands.open_window("r2026", "swj", by=ORGANISER)
    page.wait_for_selector(OPEN_FORM.format("swj"))  # the stream told it
    route, stale = states[0]
    assert all(d["window"] == "pending" for d in stale.json()["departments"])
    with page.expect_request_finished(lambda request: "/api/state" in request.url):
        route.fulfill(response=stale)
    page.evaluate(SETTLE)
    assert page.locator(OPEN_FORM.format("swj")).is_visible()
    assert page.locator(OPEN_FORM.format("fgw")).is_visible()
    assert page.locator("#none-open").is_hidden()
    context.close()


def test_a_window_opened_before_the_stream_is_connected_shows_once_it_is(site: Site, browser: Any) -> None:
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    streams = held(page, "**/r/events", fetch=False)
    held(page, "**/api/state*", fetch=False)  # never answered: the stream alone tells the page
    sign_in_by_qr(site, page)
    wait_for(streams, page)
    assert page.locator("#dept-swj").get_attribute("data-window") == "pending"
    site.commands.open_window("r2026", "swj", by=ORGANISER)
    site.sync()  # the window is open in the read models; the page's stream is not connected yet
    page.evaluate(SETTLE)
    streams[0][0].continue_()
    page.wait_for_selector(OPEN_FORM.format("swj"))
    context.close()
