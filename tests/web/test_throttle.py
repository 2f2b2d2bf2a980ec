"""登录限流：失败次数按来源地址和所试登录码计数，存于 PostgreSQL，多个 Web 进程共用；达到上限即锁定。

``strict_web`` locks an address after 3 failures and a code after 2.
"""

from __future__ import annotations

import asyncio

import asyncpg
from starlette.testclient import TestClient

from storage.settings import Settings
from tests.web.conftest import Web
from web.app import create_app

WRONG = "ABCDE-FGHJK"


def test_a_code_tried_and_refused_twice_is_locked_and_the_answer_says_when_to_retry(strict_web: Web) -> None:
    assert strict_web.type_code(WRONG).status_code == 401
    assert strict_web.type_code(WRONG.lower()).status_code == 401
    locked = strict_web.type_code(WRONG)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.text
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60


def test_an_address_is_locked_after_repeated_failures_even_for_a_right_code(strict_web: Web) -> None:
    for wrong in ("ABCDE-FGHJ2", "ABCDE-FGHJ3", "ABCDE-FGHJ4"):
        assert strict_web.type_code(wrong).status_code == 401
    locked = strict_web.scan(strict_web.round.alice_code)
    assert locked.status_code == 429
    assert strict_web.get("/r").status_code == 303


def test_failures_below_the_limits_do_not_stop_a_right_code(strict_web: Web) -> None:
    assert strict_web.type_code(WRONG).status_code == 401
    assert strict_web.type_code(strict_web.round.alice_code).status_code == 303


def test_two_web_processes_share_the_count(strict_web: Web, settings: Settings) -> None:
    """A second app on the same database (as a second uvicorn worker would be) sees the first one's failures."""
    from web.platform.throttle import ThrottlePolicy

    policy = strict_web.client.app.state.throttle.policy  # type: ignore[attr-defined]
    assert isinstance(policy, ThrottlePolicy)
    assert strict_web.type_code("ABCDE-FGHJ2").status_code == 401
    with TestClient(create_app(settings, throttle=policy)) as other:
        other_form = other.get("/login").text
        token = other_form.split('name="csrf" value="')[1].split('"')[0]
        answer = other.post("/login", data={"code": "ABCDE-FGHJ3", "csrf": token}, follow_redirects=False)
        assert answer.status_code == 401
    assert strict_web.type_code("ABCDE-FGHJ4").status_code == 401
    assert strict_web.scan(strict_web.round.alice_code).status_code == 429


def test_counts_live_in_postgresql_keyed_by_address_and_by_a_keyed_hash_of_the_code(
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
    assert len(stored) == 2
    assert stored[1] == "ip:testclient"
    assert stored[0].startswith("code:")
    assert "ABCDE" not in stored[0] and "FGHJK" not in stored[0]


def test_guessing_through_the_card_s_qr_address_is_counted_and_locked_like_typing(strict_web: Web) -> None:
    assert strict_web.scan(WRONG).status_code == 401
    assert strict_web.scan(WRONG).status_code == 401
    locked = strict_web.scan(WRONG)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.text
    assert strict_web.get("/r").status_code == 303


def test_a_page_in_the_hall_loading_wrong_codes_as_images_cannot_lock_the_venue_s_address(
    strict_web: Web,
) -> None:
    """``<img src="/login?code=…">`` on any page the hall's browsers show: the browser says it loads an
    image, so no sign-in is attempted, no failure counted, and the venue keeps signing in."""
    for n in range(10):
        strict_web.client.cookies.clear()
        loaded = strict_web.get(
            "/login", params={"code": f"WRONG{n:05d}"}, headers={"Sec-Fetch-Dest": "image"}
        )
        assert loaded.status_code == 403
    for dest in ("iframe", "script", "empty"):
        assert (
            strict_web.get("/login", params={"code": WRONG}, headers={"Sec-Fetch-Dest": dest}).status_code
            == 403
        )
    strict_web.client.cookies.clear()
    scanned = strict_web.get(
        "/login", params={"code": strict_web.round.alice_code}, headers={"Sec-Fetch-Dest": "document"}
    )
    assert scanned.status_code == 200
    assert strict_web.get("/api/state").status_code == 200
