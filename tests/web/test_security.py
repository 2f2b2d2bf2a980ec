"""安全响应头、无内联脚本与样式（CSP 与页面脚本兼容）、错误页面的中文呈现。"""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.conftest import Web
from web.app import create_app
from web.platform.security import CSP

PUBLIC = [
    "/",
    "/login",
    "/receipts",
    "/receipts?code=ABCDEFGH",
    "/projector/r2026",
    "/openapi.json",
    "/api/receipts/ABCDEFGH",
    "/static/tablet.js",
    "/static/site.css",
    "/nowhere",
]
REPRESENTATIVE = ["/r", "/api/state"]


def assert_secure(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_page_carries_the_security_headers(web: Web, path: str) -> None:
    assert_secure(web.get(path))


def test_every_representative_page_carries_the_security_headers_and_is_not_cached(web: Web) -> None:
    web.as_alice()
    for path in REPRESENTATIVE:
        answer = web.get(path)
        assert answer.status_code == 200
        assert_secure(answer)
        assert answer.headers["cache-control"] == "no-store"


def test_the_live_streams_carry_the_security_headers(web: Web) -> None:
    with web.client.stream("GET", "/projector/r2026/events") as stream:
        assert_secure(stream)
    web.as_alice()
    with web.client.stream("GET", "/r/events") as stream:
        assert_secure(stream)


def test_no_page_has_an_inline_script_an_inline_style_or_an_event_handler_attribute(web: Web) -> None:
    web.open("fgw")
    pages = [web.get(p).text for p in ("/", "/login", "/receipts?code=ABCDEFGH", "/projector/r2026")]
    web.as_alice()
    pages.append(web.get("/r").text)
    for html in pages:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"<style\b|\sstyle=", html)
        assert not re.search(r"\son[a-z]+=", html)


def test_a_page_refusal_is_plain_chinese_and_an_api_refusal_is_json(web: Web) -> None:
    page = web.get("/nowhere")
    assert page.status_code == 404 and "找不到该页面" in page.text
    api = web.get("/api/nowhere")
    assert api.status_code == 404
    assert api.json() == {"error": {"code": "not_found", "message": "找不到该页面"}}
    wrong_method = web.client.delete("/api/ballots")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_before_the_projection_has_created_the_read_models_pages_say_to_wait(
    settings: Settings, app: EvaluationApp
) -> None:
    """A fresh start: the web may answer before the projection process has created its tables."""
    with TestClient(create_app(settings)) as client:
        page = client.get("/")
        assert page.status_code == 503
        assert "系统正在准备数据" in page.text
        assert page.headers["retry-after"] == "5"
        assert client.get("/api/receipts/ABCDEFGH").json()["error"]["code"] == "not_ready"


def test_over_plain_http_the_session_cookie_travels_as_before(web: Web) -> None:
    web.scan(web.round.alice_code)
    assert "strict-transport-security" not in web.get("/").headers


def test_behind_https_the_session_cookie_is_secure_and_browsers_are_told_to_stay_on_https(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """A sniffer on the hall's Wi-Fi: with SANMIN_HTTPS the cookie is never sent over plain HTTP."""
    from dataclasses import replace

    from projections.runner import Projector

    with (
        Projector(settings) as projector,
        TestClient(create_app(replace(settings, https=True)), base_url="https://testserver") as client,
    ):
        projector.catch_up(timeout=30)
        page = client.get("/login", params={"code": small_round.alice_code}).text
        token = page.split('name="csrf" value="')[1].split('"')[0]
        signed_in = client.post(
            "/login", data={"code": small_round.alice_code, "csrf": token}, follow_redirects=False
        )
        assert signed_in.status_code == 303
        cookie = signed_in.headers["set-cookie"].lower()
        assert cookie.startswith("sanmin=") and "; secure" in cookie
        for path in ("/", "/r", "/static/site.css"):
            assert client.get(path).headers["strict-transport-security"] == "max-age=31536000", path
