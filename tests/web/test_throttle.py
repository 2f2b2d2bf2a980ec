"""登录限流：失败按所试登录码、按客户端（浏览器的登录会话）和按来源地址计数，存于 PostgreSQL，多个 Web 进程
共用；失败越多等得越久（退避），但绝不锁住一个共用的地址：会场的 2,000 台平板共用一个出口地址。

``strict_web``: a code waits 1 minute after its 2nd failure, a client 30 s after its 3rd; an address's
failed answers are held back (at most 0.05 s) from its 3rd, and the address never refuses.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import timedelta

import asyncpg
from starlette.testclient import TestClient

from storage.settings import Settings
from tests.web.conftest import FORM_CSRF, Web
from web.app import create_app
from web.platform.throttle import BackOff, ThrottlePolicy

WRONG = "ABCDE-FGHJK"


def one_browser(web: Web, code: str) -> int:
    """A browser that keeps its cookie (its sign-in session) and tries ``code`` at the form."""
    token = FORM_CSRF.search(web.get("/login").text)
    assert token is not None
    data = {"code": code, "csrf": token.group(1)}
    return web.client.post("/login", data=data, follow_redirects=False).status_code


def test_a_code_tried_and_refused_again_and_again_waits_longer_each_time(strict_web: Web) -> None:
    assert strict_web.type_code(WRONG).status_code == 401
    assert strict_web.type_code(WRONG.lower()).status_code == 401
    waits = strict_web.type_code(WRONG)
    assert waits.status_code == 429
    assert "登录失败次数过多" in waits.text
    assert 0 < int(waits.headers["retry-after"]) <= 60


def test_the_back_off_doubles_with_each_failure_up_to_its_longest() -> None:
    back_off = BackOff(3, timedelta(seconds=2), timedelta(minutes=5), timedelta(hours=1))
    assert [back_off.wait_after(n) for n in range(1, 10)] == [0, 0, 0, 2, 4, 8, 16, 32, 64]
    assert back_off.wait_after(30) == 300


def test_one_browser_that_keeps_failing_waits_but_other_browsers_do_not(strict_web: Web) -> None:
    strict_web.client.cookies.clear()
    for wrong in ("ABCDE-FGHJ2", "ABCDE-FGHJ3", "ABCDE-FGHJ4"):
        assert one_browser(strict_web, wrong) == 401
    assert one_browser(strict_web, strict_web.round.alice_code) == 429  # this browser waits 30 s
    assert strict_web.type_code(strict_web.round.alice_code).status_code == 303  # a fresh one does not


def test_a_venue_address_firing_many_failures_does_not_stop_a_right_code_from_the_same_address(
    strict_web: Web,
) -> None:
    """The attack: one machine behind the venue's NAT address (every tablet's address too) fires far more
    failures than the address's limit, each with a fresh browser session and a different code. The venue
    keeps signing in: the next tablet's right code, from the same address, signs in at once."""
    for n in range(25):
        assert strict_web.type_code(f"WRONG{n:05d}").status_code == 401
    for n in range(3):  # and through an older card's QR address, which POSTs the same way
        assert strict_web.scan(f"QRBAD{n:05d}").status_code == 401
    signed_in = strict_web.scan(strict_web.round.alice_code)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/r"
    assert strict_web.get("/api/state").status_code == 200


def test_an_address_over_its_limit_gets_its_failed_answers_held_back_not_its_right_codes(
    strict_web: Web, settings: Settings
) -> None:
    for n in range(5):
        strict_web.type_code(f"WRONG{n:05d}")

    async def address() -> asyncpg.Record:
        conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": settings.schema})
        try:
            return await conn.fetchrow(
                "SELECT failures, locked_until - window_started AS held FROM web_login_throttle WHERE key = $1",
                "ip:testclient",
            )
        finally:
            await conn.close()

    row = asyncio.run(address())
    assert row["failures"] == 5
    assert timedelta(0) < row["held"]  # its last failed answer was held back (the tarpit)
    started = time.monotonic()
    assert strict_web.type_code(strict_web.round.alice_code).status_code == 303
    assert time.monotonic() - started < 1  # a right code is not held back


def test_failures_below_the_limits_do_not_stop_a_right_code(strict_web: Web) -> None:
    assert strict_web.type_code(WRONG).status_code == 401
    assert strict_web.type_code(strict_web.round.alice_code).status_code == 303


def test_two_web_processes_share_the_count(strict_web: Web, settings: Settings) -> None:
    """A second app on the same database (as a second uvicorn worker would be) sees the first one's failures."""
    policy = strict_web.client.app.state.throttle.policy  # type: ignore[attr-defined]
    assert isinstance(policy, ThrottlePolicy)
    assert strict_web.type_code(WRONG).status_code == 401
    with TestClient(create_app(settings, throttle=policy)) as other:
        other_form = other.get("/login").text
        token = other_form.split('name="csrf" value="')[1].split('"')[0]
        answer = other.post("/login", data={"code": WRONG, "csrf": token}, follow_redirects=False)
        assert answer.status_code == 401
    assert strict_web.type_code(WRONG).status_code == 429


def test_counts_live_in_postgresql_keyed_by_address_client_and_a_keyed_hash_of_the_code(
    strict_web: Web, settings: Settings
) -> None:
    strict_web.type_code(WRONG)

    async def keys() -> list[str]:
        conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": settings.schema})
        try:
            return [r["key"] for r in await conn.fetch("SELECT key FROM web_login_throttle ORDER BY key")]
        finally:
            await conn.close()

    stored = asyncio.run(keys())
    assert [key.split(":")[0] for key in stored] == ["client", "code", "ip"]
    assert stored[2] == "ip:testclient"
    assert all(re.fullmatch(r"[0-9a-f]{32}", key.split(":")[1]) for key in stored[:2])
    assert not any("ABCDE" in key or "FGHJK" in key for key in stored)


def test_guessing_through_the_card_s_qr_address_is_counted_like_typing(strict_web: Web) -> None:
    assert strict_web.scan(WRONG).status_code == 401
    assert strict_web.scan(WRONG).status_code == 401
    waits = strict_web.scan(WRONG)
    assert waits.status_code == 429
    assert "登录失败次数过多" in waits.text
    assert strict_web.get("/r").status_code == 303


def test_a_page_in_the_hall_loading_qr_addresses_as_images_tries_nothing(strict_web: Web) -> None:
    """``<img src="/login?code=…">`` on any page the hall's browsers show: the GET only shows a form (it is
    the page's script that POSTs, with the page's CSRF token), so no sign-in is attempted, nothing counted."""
    for n in range(10):
        strict_web.client.cookies.clear()
        loaded = strict_web.get(
            "/login", params={"code": f"WRONG{n:05d}"}, headers={"Sec-Fetch-Dest": "image"}
        )
        assert loaded.status_code == 200
        assert strict_web.get("/r").status_code == 303
    assert strict_web.scan(WRONG).status_code == 401  # the code's first failure: the images counted none
    assert strict_web.scan(strict_web.round.alice_code).status_code == 303
