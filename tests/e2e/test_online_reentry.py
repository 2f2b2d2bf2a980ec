"""网络评议: an invited citizen who lost the session opens the invitation link again and is back — the same
identity, the page's waiting ballot sent on its own once signed in, replacing the earlier one (one ballot
counts). What the page says while signed out is what works."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_online import phone_page, score
from web.platform.online_invitations import invitation_link


def online_choices(settings: Settings) -> list[str]:
    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        rows = conn.execute("SELECT choice FROM online_ballots_view WHERE NOT voided").fetchall()
    return [row[0] for row in rows]


def test_a_citizen_who_lost_the_session_opens_the_link_again_and_the_waiting_ballot_replaces_the_first(
    site: Site, browser: Any, settings: Settings
) -> None:
    app = site.commands
    now = datetime.now(UTC)
    app.set_online_period("r2026", now - timedelta(hours=1), now + timedelta(days=3), ["swj"], ORGANISER, "")
    [code] = app.invite_online("r2026", 1, by=ORGANISER)
    link = invitation_link(site.url, "r2026", code)
    site.sync()

    context, page, errors = phone_page(browser, site)
    page.goto(link)
    page.wait_for_selector("#dept-swj form.ballot")
    assert "已提交" in score(page, "swj", "满意")

    context.clear_cookies()  # the session is gone (expired, 退出 elsewhere): the page does not know yet
    page.locator("#dept-swj").get_by_role("button", name="修改评分").tap()
    waiting = score(page, "swj", "不满意", state="pending")
    assert "待发送" in waiting and "网络恢复后" not in waiting, (
        "the network is up: the session is what is missing"
    )
    page.wait_for_selector("#net.alert")
    said = page.locator("#net").inner_text()
    assert "请再点一次短信中的邀请链接" in said and "评议期间可以反复使用" in said
    site.shot(page, "online-phone-signed-out")

    page.goto(link)  # the link from the SMS, tapped again
    page.wait_for_selector("#dept-swj .outcome.sent", timeout=30_000)
    assert "已登录" in page.locator(".notice").inner_text()
    site.shot(page, "online-phone-back-in")
    site.sync()
    assert online_choices(settings) == ["dissatisfied"], "one ballot: the later replaced the first"
    assert errors == []
    context.close()
