"""网络评议 on a phone: a refused ballot's message is where the citizen is looking. The ballot for 市住建局
(the last card) waits offline (待发送) while the citizen scrolls back up to 市发改委; the organiser takes it out
of the online period; the network comes back and the waiting ballot is refused. Its 「未能提交」 box is scrolled
into view, has the focus and is an alert for a screen reader, as on the tablet
(tests/e2e/test_tablet_refusal_in_view.py). Screenshot: online-refusal-in-view-phone-viewport.png."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_online import phone_page
from tests.e2e.test_tablet_refusal_in_view import refusal_shown
from web.platform.online_invitations import invitation_link


def test_a_refused_online_ballot_is_brought_into_view_with_the_focus(site: Site, browser: Any) -> None:
    app = site.commands
    now = datetime.now(UTC)
    opens, closes = now - timedelta(hours=1), now + timedelta(days=3)
    app.set_online_period("r2026", opens, closes, None, ORGANISER, "")
    [code] = app.invite_online("r2026", 1, by=ORGANISER)
    site.sync()

    context, page, errors = phone_page(browser, site)
    page.goto(invitation_link(site.url, "r2026", code))
    section = page.locator("#dept-zjj")
    section.locator("form.ballot").wait_for()
    context.set_offline(True)
    section.get_by_role("button", name="满意", exact=True).tap()
    section.get_by_role("button", name="提交评分").tap()
    page.wait_for_selector("#dept-zjj .outcome.pending")
    page.evaluate("window.scrollTo(0, 0)")  # back up to 市发改委
    app.set_online_period("r2026", opens, closes, ["fgw", "swj", "kjj"], ORGANISER, "市住建局改为现场评议")
    site.sync()
    context.set_offline(False)
    refusal_shown(site, page, "zjj", "「市住建局」已不在本次网络评议的范围内", "online-refusal-in-view-phone")
    assert errors == []
    context.close()
