"""Sessions: each cookie's signature is checked once, and otherwise the sessions are Starlette's own."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from web.platform import sessions
from web.platform.sessions import CookieSessions

MAX_AGE = 3600


async def show(request: Request) -> JSONResponse:
    return JSONResponse(dict(request.session))


async def sign_in(request: Request) -> JSONResponse:
    request.session.update({"role": "representative", "subject": request.query_params["who"]})
    return JSONResponse(dict(request.session))


async def scribble(request: Request) -> JSONResponse:
    request.session["scribbled"] = True  # changed, but the answer's cookie is dropped by the test
    return JSONResponse(dict(request.session))


async def varied(request: Request) -> JSONResponse:
    """An answer that varies on another header already."""
    return JSONResponse(dict(request.session), headers={"Vary": "Accept-Language"})


async def sign_out(request: Request) -> JSONResponse:
    request.session.clear()
    return JSONResponse({})


def client(middleware: type[SessionMiddleware]) -> TestClient:
    routes = [Route("/", show), Route("/in", sign_in), Route("/scribble", scribble)]
    routes += [Route("/varied", varied), Route("/out", sign_out)]
    options: dict[str, Any] = {"secret_key": "k" * 32, "session_cookie": "sanmin", "max_age": MAX_AGE}
    app = Starlette(routes=routes, middleware=[Middleware(middleware, **options)])
    return TestClient(app)


def exchange(web: TestClient) -> list[tuple[int, Any, str | None, str | None]]:
    answers = [web.get("/"), web.get("/in?who=alice"), web.get("/"), web.get("/varied")]
    answers += [web.get("/out"), web.get("/")]
    return [(r.status_code, r.json(), r.headers.get("set-cookie"), r.headers.get("vary")) for r in answers]


def test_cookies_and_sessions_are_exactly_starlettes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sessions.time, "time", lambda: 1_800_000_000.0)
    ours, starlettes = exchange(client(CookieSessions)), exchange(client(SessionMiddleware))
    assert ours == starlettes
    assert ours[2][1] == {"role": "representative", "subject": "alice"}
    assert ours[3][3] == "Accept-Language, Cookie"
    assert ours[4][2] is not None and "expires=Thu, 01 Jan 1970" in ours[4][2]


def test_a_forged_cookie_opens_no_session() -> None:
    web = client(CookieSessions)
    web.get("/in?who=alice")
    value = web.cookies["sanmin"]
    web.cookies.clear()
    web.cookies.set("sanmin", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert web.get("/").json() == {}
    web.cookies.set("sanmin", value)
    assert web.get("/").json()["subject"] == "alice"


def test_a_cookie_verified_before_still_expires_after_max_age(monkeypatch: pytest.MonkeyPatch) -> None:
    web = client(CookieSessions)
    web.get("/in?who=alice")
    cookie = {"Cookie": f"sanmin={web.cookies['sanmin']}"}  # sent as the tablet would, past the test's jar
    web.cookies.clear()
    assert web.get("/", headers=cookie).json()["subject"] == "alice"  # verified and remembered
    signed_at = sessions.time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: signed_at + MAX_AGE + 2)
    assert web.get("/", headers=cookie).json() == {}


def test_one_requests_changes_do_not_reach_the_next_with_the_same_cookie() -> None:
    web = client(CookieSessions)
    web.get("/in?who=alice")
    cookie = web.cookies["sanmin"]
    assert web.get("/scribble").json()["scribbled"] is True
    web.cookies.set("sanmin", cookie)  # the tablet still sends the cookie it had
    assert "scribbled" not in web.get("/").json()
