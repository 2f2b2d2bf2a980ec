"""The online ballots' lane: POST /api/online/{round}/ballots past the router answers exactly as the routed
endpoint does (web/public/online_lane.py), refusals and their codes included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
from starlette.testclient import TestClient

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.web.conftest import META_CSRF, Web, running
from tests.web.test_online_pages import follow_link, online, page
from web.app import all_routes, create_app
from web.public.online_lane import OnlineBallotLane, match

__all__ = ["online"]  # the fixture: the round's online period is open

VARYING = {"date", "content-length"}


@pytest.fixture
def site(settings: Settings, app: EvaluationApp, small_round: SmallRound, online: object) -> Iterator[Web]:
    yield from running(settings, app, small_round)


def shape(response: httpx.Response) -> tuple[Any, ...]:
    """What must not differ: status, error code or answer fields, and which headers were sent."""
    body = response.json()
    answer = body["error"]["code"] if "error" in body else sorted(body)
    return response.status_code, answer, sorted(set(response.headers) - VARYING)


def post(web: Web, body: object, token: str = "", path: str = "/api/online/r2026/ballots") -> httpx.Response:
    headers = {"X-CSRF-Token": token} if token else {}
    return web.client.post(path, json=body, headers=headers)


def exchanges(web: Web) -> list[tuple[Any, ...]]:
    web.client.cookies.clear()
    ballot = {"department": "fgw", "client_id": uuid4().hex, "choice": "satisfied"}
    anonymous = post(web, ballot, "x")
    [code] = web.commands.invite_online("r2026", 1, by=ORGANISER)
    follow_link(web, code)
    found = META_CSRF.search(page(web).text)
    assert found is not None
    token = found.group(1)
    no_csrf = post(web, ballot)
    other_round = post(web, ballot, token, "/api/online/r2025/ballots")
    bad_json = web.client.post(
        "/api/online/r2026/ballots",
        content=b"{",
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    not_object = post(web, [], token)
    bad_choice = post(web, {**ballot, "choice": "excellent"}, token)
    cast = post(web, ballot, token)
    resent = post(web, ballot, token)
    assert cast.status_code == 200 and resent.json()["resent"] is True
    paced = [post(web, {**ballot, "client_id": uuid4().hex}, token) for _ in range(9)][-1]
    answers = [
        anonymous,
        no_csrf,
        other_round,
        bad_json,
        not_object,
        bad_choice,
        cast,
        resent,
        paced,
    ]
    assert paced.headers["retry-after"]
    return [shape(r) for r in answers]


def test_the_lane_answers_every_case_as_the_router_would(site: Web, settings: Settings) -> None:
    assert any(m.cls is OnlineBallotLane for m in site.client.app.user_middleware)  # type: ignore[attr-defined]
    through_lane = exchanges(site)
    with TestClient(create_app(settings, routes=all_routes())) as client:
        assert not any(m.cls is OnlineBallotLane for m in client.app.user_middleware)  # type: ignore[attr-defined]
        routed = exchanges(Web(client, site.commands, site.projector, site.round))
    assert through_lane == routed
    statuses = [status for status, *_ in through_lane]
    assert statuses == [401, 403, 403, 400, 422, 422, 200, 200, 429]


def test_the_lane_takes_only_its_own_path() -> None:
    assert match("/api/online/r2026/ballots") == {"round_key": "r2026"}
    for other in (
        "/api/online//ballots",
        "/api/online/r2026/ballots/",
        "/api/online/r/x/ballots",
        "/api/ballots",
    ):
        assert match(other) is None
