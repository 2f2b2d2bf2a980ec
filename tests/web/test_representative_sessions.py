"""代表会话 — a representative's session is kept on the server and can be taken back.

Whoever copied the cookie from Alice's tablet (a proxy in the hall, a tablet handed on without clearing)
replays it after each way her session ends: she hands the tablet back, her card is replaced or revoked, the
last window of her sitting closes, the desk ends her session from the roster, or it lay idle for an hour.
Every representative request is refused as an ended session is — 401 ``not_signed_in`` on the API, /login
for a page, the cookie cleared — and nothing is recorded under her name. The web process answers the ballot
path from its cache and the ballot writer asks the database once per batch, so an end in one web process
refuses the very next ballot in another, and a ballot whose end the cache has not yet heard of.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest
from starlette.testclient import TestClient

from evaluation.ballot import Ballot, ballot_id
from storage.settings import Settings
from tests.web.conftest import Web
from web.app import create_app

ENDED = "not_signed_in"


def copied_session(web: Web) -> tuple[str, str]:
    """Alice signs in with her card; the copier keeps her cookie and the page's CSRF token."""
    token = web.as_alice()
    cookie = web.client.cookies.get("sanmin")
    assert cookie is not None
    return cookie, token


def replay(client: TestClient, cookie: str) -> None:
    client.cookies.clear()
    client.cookies.set("sanmin", cookie)


def cast(client: TestClient, token: str, department: str = "fgw") -> httpx.Response:
    body = {"department": department, "client_id": uuid4().hex, "choice": "dissatisfied"}
    return client.post("/api/ballots", json=body, headers={"X-CSRF-Token": token})


def every_representative_request(client: TestClient, cookie: str, token: str) -> dict[str, httpx.Response]:
    """The copied cookie on each representative route, set again before each request."""
    asked: dict[str, httpx.Response] = {}
    replay(client, cookie)
    asked["POST /api/ballots"] = cast(client, token)
    replay(client, cookie)
    asked["POST /api/suggestions"] = client.post(
        "/api/suggestions",
        json={"department": "fgw", "client_id": uuid4().hex, "text": "冒名的建议"},
        headers={"X-CSRF-Token": token},
    )
    for path in ("/api/state", "/r", "/r/reports/fgw", "/r/reports/fgw/file"):
        replay(client, cookie)
        asked[f"GET {path}"] = client.get(path, follow_redirects=False)
    replay(client, cookie)
    with client.stream("GET", "/r/events", follow_redirects=False) as stream:
        asked["GET /r/events"] = stream
    return asked


def signed_payload(set_cookie: str) -> str:
    value = set_cookie.split(";")[0].removeprefix("sanmin=")
    return "" if value == "null" else base64.b64decode(value.split(".")[0]).decode()


def assert_all_refused_as_ended(asked: dict[str, httpx.Response]) -> None:
    for what, answer in asked.items():
        if what.split(" ")[1].startswith("/api"):
            assert answer.status_code == 401, f"{what}: {answer.status_code}"
            assert answer.json()["error"]["code"] == ENDED, what
        else:
            assert (answer.status_code, answer.headers.get("location")) == (303, "/login"), what
        ended = answer.headers.get("set-cookie", "")
        assert ended.startswith("sanmin=") and "representative" not in signed_payload(ended), what


def assert_nothing_cast_in_her_name(web: Web) -> None:
    app = web.commands
    assert app.find(Ballot, ballot_id(app.keys.pseudonym(web.round.alice, "fgw"))) is None


def as_organiser(web: Web) -> str:
    """The organiser signed in on the same client (their cookie replaces Alice's copy); their form token."""
    web.scan(web.commands.keys.organiser_code(web.round.key))
    return web.form_token()


def organiser_posts(web: Web, path: str, **data: str) -> httpx.Response:
    token = as_organiser(web)
    return web.client.post(path, data={"csrf": token, **data}, follow_redirects=False)


def hand_back(client: TestClient, cookie: str, token: str) -> None:
    """交还平板: the tablet's own sign-out form (web/tablet/static/handback.js submits it)."""
    replay(client, cookie)
    answer = client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert answer.status_code == 303


def test_the_copied_cookie_works_while_her_session_lasts(web: Web) -> None:
    web.open("fgw")
    cookie, token = copied_session(web)
    asked = every_representative_request(web.client, cookie, token)
    assert asked["POST /api/ballots"].status_code == 200
    assert all(asked[f"GET {p}"].status_code == 200 for p in ("/api/state", "/r", "/r/events"))


def test_after_the_tablet_is_handed_back_the_copied_cookie_is_refused_everywhere(web: Web) -> None:
    web.open("fgw")
    cookie, token = copied_session(web)
    hand_back(web.client, cookie, token)
    assert_all_refused_as_ended(every_representative_request(web.client, cookie, token))
    assert_nothing_cast_in_her_name(web)


@pytest.mark.parametrize("loss", ["reissue", "revoke"])
def test_after_the_desk_replaces_or_revokes_her_card_the_copied_cookie_is_refused_everywhere(
    web: Web, loss: str
) -> None:
    web.open("fgw")
    cookie, token = copied_session(web)
    path = f"/organiser/representatives/{web.round.alice}/{loss}"
    answer = organiser_posts(web, path, **({"reason": "评议卡遗失"} if loss == "revoke" else {}))
    assert answer.status_code in (200, 303)
    # refused at once, before the views have caught up with the new card
    replay(web.client, cookie)
    assert cast(web.client, token).status_code == 401
    web.sync()
    assert_all_refused_as_ended(every_representative_request(web.client, cookie, token))
    assert_nothing_cast_in_her_name(web)


def test_closing_the_last_open_window_of_her_sitting_ends_her_session(web: Web) -> None:
    web.open("fgw")
    web.open("swj")  # her sitting s1: fgw and swj
    cookie, token = copied_session(web)
    assert organiser_posts(web, "/organiser/windows/fgw/close").status_code == 303
    web.sync()
    replay(web.client, cookie)
    assert cast(web.client, token, "swj").status_code == 200, "one window closed: the sitting goes on"
    assert organiser_posts(web, "/organiser/windows/swj/close").status_code == 303
    web.sync()
    assert_all_refused_as_ended(every_representative_request(web.client, cookie, token))
    assert_nothing_cast_in_her_name(web)


def test_a_window_closed_in_another_sitting_leaves_her_session(web: Web) -> None:
    web.commands.open_window(web.round.key, "kjj", by="organiser:test")
    web.open("fgw")
    cookie, token = copied_session(web)
    assert organiser_posts(web, "/organiser/windows/kjj/close").status_code == 303
    replay(web.client, cookie)
    assert cast(web.client, token).status_code == 200


def test_the_desk_ends_her_session_from_the_roster_and_she_signs_in_again(web: Web) -> None:
    web.open("fgw")
    cookie, token = copied_session(web)
    as_organiser(web)
    roster = web.get("/organiser/representatives", params={"q": "李秀英"}).text
    end = f"/organiser/representatives/{web.round.alice}/end-sessions"
    assert end in roster and "平板已登录" in roster
    assert organiser_posts(web, end).status_code == 303
    assert "已结束「李秀英」的 1 个会话" in web.get("/organiser/representatives", params={"q": "李秀英"}).text
    assert end not in web.get("/organiser/representatives", params={"q": "李秀英"}).text
    assert_all_refused_as_ended(every_representative_request(web.client, cookie, token))
    assert_nothing_cast_in_her_name(web)
    # the history says who ended it
    web.sync()
    as_organiser(web)
    assert "平板会话" in web.get("/organiser/history").text
    # her card is still hers: she signs in again on another tablet
    fresh = web.as_alice()
    assert cast(web.client, fresh).status_code == 200


def test_a_session_without_a_request_for_an_hour_is_over(web: Web) -> None:
    web.open("fgw")
    cookie, token = copied_session(web)
    sessions = web.client.app.state.representative_sessions  # type: ignore[attr-defined]
    aged = "UPDATE web_representative_sessions SET last_seen = now() - interval '61 minutes'"
    web.client.portal.call(sessions.reads.execute, aged)  # type: ignore[union-attr]
    replay(web.client, cookie)
    assert web.get("/api/state").status_code == 401
    replay(web.client, cookie)
    assert web.get("/r").headers.get("location") == "/login"


def test_a_cookie_signed_before_sessions_were_kept_on_the_server_is_signed_out(web: Web) -> None:
    web.open("fgw")
    cookie, token = copied_session(web)
    sessions = web.client.app.state.representative_sessions  # type: ignore[attr-defined]
    web.client.portal.call(sessions.reads.execute, "DELETE FROM web_representative_sessions")
    replay(web.client, cookie)
    assert web.get("/api/state").status_code == 401


def test_the_web_process_answers_a_live_session_s_ballot_from_its_cache(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    web.open("fgw")
    cookie, token = copied_session(web)
    sessions = web.client.app.state.representative_sessions  # type: ignore[attr-defined]
    monkeypatch.setattr(sessions, "reads", None)  # any query of the sessions would fail the request
    replay(web.client, cookie)
    assert cast(web.client, token).status_code == 200


def test_a_ballot_whose_end_the_web_process_has_not_heard_of_yet_is_refused_by_the_ballot_writer(
    web: Web,
) -> None:
    """The race a cache leaves: the end is committed, its notice not yet arrived (here: never sent)."""
    web.open("fgw")
    cookie, token = copied_session(web)
    sessions = web.client.app.state.representative_sessions  # type: ignore[attr-defined]
    ended = "UPDATE web_representative_sessions SET ended_at = now(), ended_by = 'test', ended_why = 'test'"
    web.client.portal.call(sessions.reads.execute, ended)
    assert all(known.live for known in sessions.known.values()), "the web's cache still holds it live"
    replay(web.client, cookie)
    refused = cast(web.client, token)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == ENDED
    assert "representative" not in signed_payload(refused.headers.get("set-cookie", ""))
    assert_nothing_cast_in_her_name(web)


@pytest.fixture
def other_process(settings: Settings, web: Web) -> Iterator[TestClient]:
    """A second web process over the same database, as behind a load balancer."""
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_hand_back_in_one_web_process_refuses_the_next_ballot_in_another(
    web: Web, other_process: TestClient
) -> None:
    web.open("fgw")
    for _ in range(3):
        cookie, token = copied_session(web)
        replay(other_process, cookie)
        assert cast(other_process, token).status_code == 200  # the other process now holds it as live
        hand_back(web.client, cookie, token)
        replay(other_process, cookie)
        refused = cast(other_process, token)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == ENDED


def test_the_desk_s_end_in_one_web_process_refuses_every_request_in_another(
    web: Web, other_process: TestClient
) -> None:
    web.open("fgw")
    cookie, token = copied_session(web)
    replay(other_process, cookie)
    assert cast(other_process, token).status_code == 200
    assert (
        organiser_posts(web, f"/organiser/representatives/{web.round.alice}/end-sessions").status_code == 303
    )
    assert_all_refused_as_ended(every_representative_request(other_process, cookie, token))
