"""扫码登录不在地址栏和浏览历史里留下登录码：新卡的二维码把码放在 # 之后（不发往服务器），旧卡的
/login?code=… 仍然可用；两者都由页面用 POST 换成会话，随后地址里不再有登录码。"""

from __future__ import annotations

from typing import Any

from evaluation.keys import format_code
from tests.e2e.conftest import Site
from tests.e2e.test_browser import PHONE


def signs_in_and_leaves_no_code_behind(site: Site, browser: Any, address: str) -> None:
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    code = format_code(site.round.alice_code)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(f"{request.method} {request.url}"))
    page.goto(f"{site.url}{address.format(code=code)}")
    page.wait_for_url(f"{site.url}/r")
    assert "李秀英" in page.locator(".seat").inner_text()
    page.go_back()  # the entry the card opened was replaced (by /login, then by the POST made while loading)
    page.wait_for_load_state()
    assert code not in page.url and "code=" not in page.url
    assert "POST " + f"{site.url}/login" in sent  # the code travelled in a POST body
    context.close()


def test_a_new_card_s_qr_code_keeps_the_code_in_the_fragment_and_out_of_history(
    site: Site, browser: Any
) -> None:
    signs_in_and_leaves_no_code_behind(site, browser, "/login#code={code}")


def test_an_older_card_s_qr_address_still_signs_in_and_its_code_leaves_the_history(
    site: Site, browser: Any
) -> None:
    signs_in_and_leaves_no_code_behind(site, browser, "/login?code={code}")
