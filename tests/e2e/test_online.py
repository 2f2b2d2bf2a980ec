"""网络评议 in the browser, the whole path: invitations are created; three invited citizens score on a
phone (one of them offline, the page sending again once back online; one amends); a volunteer verifies a
phone through a fake SMS provider (Tencent Cloud's SendSms over HTTP, its signature checked); the period
ends, the organiser enters the online result with its weight, and the composite shows both parts with their
weights. Screenshots at phone and tablet size; axe finds nothing serious on the new screens."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from typing import Any
from uuid import uuid4

import psycopg
import pytest

from evaluation.online import OnlineCast
from storage.settings import Settings
from tests.conftest import ORGANISER
from tests.e2e.conftest import Site
from tests.e2e.test_accessibility import SIZES, axe_source  # noqa: F401 — the fixture
from tests.integration.test_projection_helpers import cast_worked_example
from tests.web.test_sms_gateway import SECRET_ID, SECRET_KEY, FakeTencent
from web.platform.online_invitations import invitation_link

NOW = datetime.now(UTC)


@pytest.fixture
def sms_provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fake Tencent Cloud SMS endpoint, and the platform's settings pointing at it."""
    FakeTencent.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTencent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    settings = {
        "SANMIN_SMS": "tencent",
        "TENCENT_SMS_SECRET_ID": SECRET_ID,
        "TENCENT_SMS_SECRET_KEY": SECRET_KEY,
        "TENCENT_SMS_APP_ID": "1400000000",
        "TENCENT_SMS_SIGN_NAME": "三民评议",
        "TENCENT_SMS_TEMPLATE_ID": "123456",
        "TENCENT_SMS_ENDPOINT": endpoint,
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    yield endpoint
    server.shutdown()
    server.server_close()


def online_topics(settings: Settings) -> list[str]:
    with psycopg.connect(settings.database_url, options=settings.pg_options) as conn:
        rows = conn.execute(
            "SELECT topic FROM evaluation_events WHERE topic LIKE 'evaluation.online_ballot:%' ORDER BY notification_id"
        ).fetchall()
    return [row[0].rsplit(".", 1)[1] for row in rows]


def score(page: Any, department: str, level: str, state: str = "sent") -> str:
    section = page.locator(f"#dept-{department}")
    section.get_by_role("button", name=level, exact=True).tap()
    section.get_by_role("button", name="提交评分").tap()
    page.wait_for_selector(f"#dept-{department} .outcome.{state}", timeout=30_000)
    return str(section.locator(".outcome").inner_text())


def phone_page(browser: Any, site: Site) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(**SIZES["phone"], device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def test_citizens_score_online_by_invitation_and_by_phone_and_the_composite_shows_both_parts(
    site: Site,
    browser: Any,
    settings: Settings,
    sms_provider: str,
    axe_source: str,  # noqa: F811
) -> None:
    app = site.commands
    cast_worked_example(app)  # the hall scored swj: live score 60.000
    app.close_window("r2026", "swj", by=ORGANISER)
    app.submit_report("r2026", "swj", "水务局述职报告", "新建供水管网 80 公里", "全文", by=ORGANISER)
    app.set_online_period(
        "r2026", NOW - timedelta(hours=1), NOW + timedelta(days=3), ["fgw", "swj"], ORGANISER, ""
    )
    links = [invitation_link(site.url, "r2026", code) for code in app.invite_online("r2026", 4, by=ORGANISER)]
    site.sync()

    # 1. an invited citizen follows the link: signed in, the code gone from the address bar
    context, page, errors = phone_page(browser, site)
    page.goto(links[0])
    page.wait_for_selector("#dept-swj form.ballot")
    assert "#code=" not in page.url and "code=" not in page.url
    assert "已登录" in page.locator(".notice").inner_text()
    assert "已提交" in score(page, "swj", "满意")
    site.shot(page, "online-phone-scored")
    problems = axe_serious(page, axe_source, "phone, signed in")
    context.close()

    # 2. the second citizen loses the network, scores, and the page sends once it is back
    context, page, second_errors = phone_page(browser, site)
    page.goto(links[1])
    page.wait_for_selector("#dept-swj form.ballot")
    context.set_offline(True)
    assert "待发送" in score(page, "swj", "比较满意", state="pending")
    site.shot(page, "online-phone-offline-pending")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#dept-swj .outcome.sent", timeout=30_000)
    context.close()

    # 3. the third scores, then amends
    context, page, third_errors = phone_page(browser, site)
    page.goto(links[2])
    page.wait_for_selector("#dept-swj form.ballot")
    first = score(page, "swj", "不满意")
    page.locator("#dept-swj").get_by_role("button", name="修改评分").tap()
    amended = score(page, "swj", "基本满意")
    assert "基本满意" in amended and first != amended
    context.close()

    # 4. a volunteer verifies a phone: the code reaches the (fake) provider, signed
    context, page, volunteer_errors = phone_page(browser, site)
    page.goto(f"{site.url}/online/r2026")
    page.get_by_label("志愿参加的市民", exact=False).fill("139 0000 0041")
    page.get_by_role("button", name="获取验证码").tap()
    page.wait_for_selector("#sms-code")
    (sent,) = FakeTencent.received
    assert sent["body"]["PhoneNumberSet"] == ["+8613900000041"]
    site.shot(page, "online-phone-volunteer-code")
    page.fill("#sms-code", sent["body"]["TemplateParamSet"][0])
    page.get_by_role("button", name="验证并登录").tap()
    page.wait_for_selector("#dept-swj form.ballot")
    assert "已提交" in score(page, "swj", "满意")
    context.close()

    # a fifth online ballot (an earlier citizen, through the domain) so that swj's online result may be shown
    fifth = app.redeem_invitation("r2026", links[3].split("#code=")[1], NOW)
    app.cast_online_ballot(OnlineCast("r2026", fifth, "swj", uuid4().hex, "satisfied"), NOW)
    assert online_topics(settings).count("Cast") == 5 and online_topics(settings).count("Amended") == 1
    assert errors == second_errors == third_errors == volunteer_errors == []

    # the period ends; the organiser enters the online result at 20 % (tablet size)
    app.set_online_period("r2026", NOW - timedelta(hours=1), NOW, ["fgw", "swj"], ORGANISER, "评议期结束")
    site.sync()
    context = browser.new_context(**SIZES["tablet"], locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site.url}/login")
    page.fill("#code", app.keys.organiser_code("r2026"))
    page.get_by_role("button", name="登录").click()
    page.goto(f"{site.url}/organiser/online")
    # online: 满意 100, 比较满意 80, 基本满意 60, 满意 100, 满意 100 → 88.000
    assert "88.000" in page.locator("table.composite").first.inner_text()
    page.get_by_label("权重（%）").fill("20")
    page.get_by_role("button", name="计入综合结果").click()
    page.wait_for_selector(".flash.ok")
    site.shot(page, "online-organiser-tablet")
    problems += axe_serious(page, axe_source, "tablet, organiser")
    site.sync()
    page.goto(f"{site.url}/organiser/components")
    weights = page.locator("table.facts").inner_text()
    assert "现场评议\t80%" in weights and "网络评议\t20%" in weights
    row = page.locator("table.composite tr", has_text="市水务局").inner_text()
    # final = 0.8 · 60 + 0.2 · 88 = 65.6
    assert "60.000" in row and "88.000" in row and "65.600" in row
    site.shot(page, "online-composite-tablet")
    page.goto(f"{site.url}/organiser/results")
    header = page.locator("table.ranking thead").first.inner_text()
    assert "现场评议得分（80%）" in header and "网络评议（20%）" in header
    line = page.locator("table.ranking tr", has_text="市水务局").inner_text()
    assert "60.000" in line and "88.000" in line and "65.600" in line
    site.shot(page, "online-results-tablet")
    context.close()

    # axe on the public page, at phone and tablet size
    for size in ("phone", "tablet"):
        context = browser.new_context(**SIZES[size], locale="zh-CN")
        page = context.new_page()
        page.goto(f"{site.url}/online/r2026")
        problems += axe_serious(page, axe_source, size)
        site.shot(page, f"online-{size}-public")
        context.close()
    assert problems == []


def axe_serious(page: Any, axe: str, size: str) -> list[str]:
    page.wait_for_load_state()
    page.evaluate(axe)
    found = page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
    )
    return [
        f"{size} {page.url}: {v['id']} {v['nodes']}" for v in found if v["impact"] in ("serious", "critical")
    ]
