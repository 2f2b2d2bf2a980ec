"""The ballot lane: POST /api/ballots past the router answers exactly as the routed endpoint does."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
from starlette.testclient import TestClient

from storage.settings import Settings
from tests.web.conftest import Web
from web.app import all_routes, create_app
from web.tablet.ballot_lane import BallotLane

VARYING = {"date", "content-length"}


def shape(response: httpx.Response) -> tuple[Any, ...]:
    """What must not differ: status, error code or answer fields, and which headers were sent."""
    body = response.json()
    answer = body["error"]["code"] if "error" in body else sorted(body)
    return response.status_code, answer, sorted(set(response.headers) - VARYING)


def exchanges(web: Web) -> list[tuple[Any, ...]]:
    web.client.cookies.clear()
    anonymous = web.cast("fgw", token="x")
    token = web.as_alice()
    no_csrf = web.cast("fgw")
    bad_json = web.client.post(
        "/api/ballots", content=b"{", headers={"X-CSRF-Token": token, "Content-Type": "application/json"}
    )
    not_json = web.client.post(
        "/api/ballots", content=b"[]", headers={"X-CSRF-Token": token, "Content-Type": "application/json"}
    )
    unknown = web.cast("nosuch", token=token)
    closed = web.cast("swj", token=token)
    client_id = uuid4().hex
    cast = web.cast("fgw", token=token, client_id=client_id)
    resent = web.cast("fgw", token=token, client_id=client_id)
    assert cast.status_code == 200 and resent.json()["resent"] is True
    return [shape(r) for r in (anonymous, no_csrf, bad_json, not_json, unknown, closed, cast, resent)]


def test_the_lane_answers_every_case_as_the_router_would(web: Web, settings: Settings) -> None:
    assert any(m.cls is BallotLane for m in web.client.app.user_middleware)  # type: ignore[attr-defined]
    web.open("fgw")
    through_lane = exchanges(web)
    with TestClient(create_app(settings, routes=all_routes())) as client:
        assert not any(m.cls is BallotLane for m in client.app.user_middleware)  # type: ignore[attr-defined]
        routed = exchanges(Web(client, web.commands, web.projector, web.round))
    assert through_lane == routed
    assert [status for status, *_ in through_lane] == [401, 403, 400, 422, 403, 409, 200, 200]
