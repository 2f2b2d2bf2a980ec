"""登录：评议卡上的登录码（手输或扫码）、组织方登录码、部门登录码；会话 Cookie；退出。"""

from __future__ import annotations

from evaluation.keys import format_code
from tests.conftest import ORGANISER
from tests.web.conftest import Web


def test_a_typed_code_is_forgiven_lower_case_spaces_and_dashes_and_leads_to_the_tablet(web: Web) -> None:
    sloppy = " " + " ".join(format_code(web.round.alice_code).lower()) + " "
    answer = web.type_code(sloppy)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/r"
    page = web.get("/r")
    assert page.status_code == 200
    assert "李秀英" in page.text


def test_an_older_card_s_qr_url_only_shows_a_form_the_page_posts_and_the_code_leaves_the_address(
    web: Web,
) -> None:
    """Cards printed before the QR code moved into the fragment open ``/login?code=…``: that GET signs nobody
    in; the page holds the code in a form its script POSTs at once, after taking it out of the address bar
    (history.replaceState); the POST's answer redirects to a clean address."""
    code = format_code(web.round.alice_code)
    web.client.cookies.clear()
    page = web.get("/login", params={"code": code})
    assert page.status_code == 200
    assert 'id="scanned"' in page.text and f'name="code" value="{code}"' in page.text
    assert '/static/login.js" defer></script>' in page.text
    assert "set-cookie" not in page.headers or "role" not in page.headers["set-cookie"]
    assert web.get("/r").headers["location"] == "/login"  # the GET signed nobody in
    answer = web.scan(code)
    assert answer.status_code == 303 and answer.headers["location"] == "/r"
    assert code not in answer.headers["location"]
    assert web.get("/r").status_code == 200


def test_the_card_s_qr_code_is_a_fragment_the_page_s_script_posts(web: Web) -> None:
    """New cards open ``/login#code=…``: browsers never send the fragment, so the server sees a bare
    ``GET /login``; the page's script reads the fragment, clears it from the address and POSTs it."""
    script = web.get("/static/login.js").text
    assert "#code=" in script and "replaceState" in script and ".submit()" in script


def test_a_wrong_code_is_refused_in_plain_chinese_and_nobody_is_signed_in(web: Web) -> None:
    answer = web.type_code("ABCDE-FGHJK")
    assert answer.status_code == 401
    assert "登录码不正确" in answer.text
    assert web.get("/r").headers["location"] == "/login"


def test_a_revoked_credential_cannot_sign_in(web: Web) -> None:
    web.commands.revoke_credential(web.round.alice, by=ORGANISER, reason="评议卡遗失")
    web.sync()
    answer = web.scan(web.round.alice_code)
    assert answer.status_code == 403
    assert "此登录码已作废" in answer.text


def test_a_session_opened_with_a_card_that_was_since_replaced_ends(web: Web) -> None:
    web.as_alice()
    web.commands.reissue_credential(web.round.alice, by=ORGANISER)
    web.sync()
    answer = web.get("/api/state")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "credential_revoked"
    assert web.get("/api/state").json()["error"]["code"] == "not_signed_in"


def test_the_organiser_code_names_its_round_and_leads_to_the_console(web: Web) -> None:
    code = web.commands.keys.organiser_code(web.round.key)
    answer = web.type_code(code.lower())
    assert answer.status_code == 303
    assert answer.headers["location"] == "/organiser"
    assert web.get("/api/state").json()["error"]["code"] == "forbidden"


def test_a_department_code_leads_to_the_department_portal(web: Web) -> None:
    code = web.commands.issue_department_credential(web.round.key, "fgw", by=ORGANISER)
    web.sync()
    answer = web.type_code(code)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/department"


def test_the_sign_in_form_refuses_a_post_without_its_csrf_token(web: Web) -> None:
    answer = web.client.post("/login", data={"code": web.round.alice_code}, follow_redirects=False)
    assert answer.status_code == 403
    assert "页面已过期" in answer.text
    assert web.get("/r").status_code == 303


def test_the_session_cookie_is_signed_http_only_and_same_site_strict(web: Web) -> None:
    answer = web.scan(web.round.alice_code)
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("sanmin=")
    assert "httponly" in cookie.lower()
    assert "samesite=strict" in cookie.lower()
    assert "李秀英" not in cookie and str(web.round.alice) not in cookie


def test_signing_out_needs_the_csrf_token_and_ends_the_session(web: Web) -> None:
    token = web.as_alice()
    refused = web.client.post("/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert web.get("/r").status_code == 200
    answer = web.client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert answer.status_code == 303
    assert web.get("/r").headers["location"] == "/login"


def test_the_home_page_leads_to_sign_in_receipt_check_and_each_round_s_projector(web: Web) -> None:
    page = web.get("/")
    assert page.status_code == 200
    assert 'href="/login"' in page.text and 'href="/receipts"' in page.text
    assert 'href="/projector/r2026"' in page.text
