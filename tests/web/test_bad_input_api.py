"""坏请求体 — the tablet API's two POSTs: a body too large (declared or streamed), not JSON, not declared as
JSON, not UTF-8, of the wrong shape or types, or holding control characters, is refused with a 4xx and a
stable JSON code, never a server error, and nothing is recorded.

(tests/web/test_api.py already covers some malformed ballots and a 40 KB body; this covers both routes, a
10 MB body, a body without a declared length, content types, and control characters.)"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest

from tests.web.conftest import Web, served_for_a_module
from web.tablet.pace import Pace, SubmissionPace

ROUTES = {
    "/api/ballots": {"department": "fgw", "client_id": "tablet-0001", "choice": "satisfied", "comment": "好"},
    "/api/suggestions": {"department": "fgw", "client_id": "sugg-0001", "text": "建议公开项目进度"},
}
TEN_MB = 10 * 1024 * 1024
JSON = {"Content-Type": "application/json"}

MALFORMED: list[tuple[str, bytes, dict[str, str], int, str]] = [
    ("a 10 MB body", b'{"comment": "' + b"x" * TEN_MB + b'"}', JSON, 413, "too_large"),
    ("a declared length that is no number", b"{}", {**JSON, "Content-Length": "ten"}, 413, "too_large"),
    ("not JSON", b"{department: fgw", JSON, 400, "bad_request"),
    ("an empty body", b"", JSON, 400, "bad_request"),
    ("not UTF-8", b'{"department": "\xff\xfe\xfd"}', JSON, 400, "bad_request"),
    ("JSON in GBK", '{"department": "市发改委"}'.encode("gbk"), JSON, 400, "bad_request"),
    ("half a surrogate pair", b'{"department": "fgw", "comment": "\\ud800"}', JSON, 400, "bad_request"),
    ("NaN, which JSON has not", b'{"department": "fgw", "scores": {"a": NaN}}', JSON, 400, "bad_request"),
    ("a form instead of JSON", b"department=fgw&choice=satisfied", {}, 415, "unsupported_media_type"),
    (
        "JSON sent as text/plain",
        b'{"department": "fgw"}',
        {"Content-Type": "text/plain"},
        415,
        "unsupported_media_type",
    ),
    (
        "multipart",
        b"--x\r\n\r\n--x--",
        {"Content-Type": "multipart/form-data; boundary=x"},
        415,
        "unsupported_media_type",
    ),
    ("a JSON array", b"[]", JSON, 422, "invalid_input"),
    ("a JSON number", b"7", JSON, 422, "invalid_input"),
    ("null", b"null", JSON, 422, "invalid_input"),
    ("an empty object", b"{}", JSON, 422, "invalid_input"),
    (
        "a number for the department",
        b'{"department": 7, "client_id": "abcdefgh"}',
        JSON,
        422,
        "invalid_input",
    ),
    (
        "a list for the department",
        b'{"department": ["fgw"], "client_id": "abcdefgh"}',
        JSON,
        422,
        "invalid_input",
    ),
    ("an object for the client id", b'{"department": "fgw", "client_id": {}}', JSON, 422, "invalid_input"),
    (
        "a very long department",
        b'{"department": "' + b"d" * 5000 + b'", "client_id": "abcdefgh"}',
        JSON,
        422,
        "invalid_input",
    ),
    ("a nested value", b'{"department": ' + b"[" * 500 + b"]" * 500 + b"}", JSON, 422, "invalid_input"),
    (
        "a value nested too deeply to parse",
        b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        JSON,
        400,
        "bad_request",
    ),
]
"""(what, body, headers, status, code): each sent to both routes, with a valid session and CSRF token."""


def recorded(web: Web) -> int:
    return web.commands.recorder.max_notification_id() or 0


UNPACED = SubmissionPace(ballots=Pace(burst=10_000, per_minute=10_000), suggestions=Pace(10_000, 10_000))


@pytest.fixture(scope="module")
def web(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    """One served round for the whole file. Alice sends far more than a person would, so the pace
    (tests/web/test_submission_pace.py) is lifted."""
    yield from served_for_a_module(database_url, tmp_path_factory.mktemp("bad-api"), pace=UNPACED)


@pytest.fixture(scope="module")
def alice(web: Web) -> dict[str, str]:
    """Alice signed in, fgw's window open: the CSRF header her page sends."""
    web.open("fgw")
    return {"X-CSRF-Token": web.as_alice()}


def refused(response: object, status: int, code: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/json"  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == code and error["message"], error


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize(
    ("what", "body", "headers", "status", "code"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_a_malformed_body_is_refused_with_a_stable_code_and_nothing_is_recorded(
    web: Web,
    alice: dict[str, str],
    route: str,
    what: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    before = recorded(web)
    refused(web.client.post(route, content=body, headers={**alice, **headers}), status, code)
    assert recorded(web) == before


@pytest.mark.parametrize("route", list(ROUTES))
def test_a_body_streamed_past_the_limit_without_a_declared_length_is_refused(
    web: Web, alice: dict[str, str], route: str
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"comment": "'
        for _ in range(160):  # 10 MB in 64 KB chunks, sent chunked: no Content-Length to go by
            yield b"x" * 65536
        yield b'"}'

    before = recorded(web)
    refused(web.client.post(route, content=chunks(), headers={**alice, **JSON}), 413, "too_large")
    assert recorded(web) == before


CONTROL = ["\x00", "\x07", "\x1b[31m", "\x7f", "\x0b"]


@pytest.mark.parametrize("character", CONTROL, ids=[f"U+{ord(c[0]):04X}" for c in CONTROL])
@pytest.mark.parametrize("route", list(ROUTES))
def test_text_holding_a_control_character_is_refused_and_the_projection_keeps_running(
    web: Web, alice: dict[str, str], route: str, character: str
) -> None:
    """A NUL cannot be stored in the read models' text columns: accepted, it would stop the projection."""
    field = "comment" if route == "/api/ballots" else "text"
    body = {**ROUTES[route], "client_id": uuid4().hex, field: f"意见{character}建议"}
    before = recorded(web)
    refused(web.client.post(route, json=body, headers=alice), 422, "invalid_input")
    refused(
        web.client.post(route, json={**body, "department": f"fgw{character}"}, headers=alice),
        422,
        "invalid_input",
    )
    assert recorded(web) == before
    assert (
        web.client.post(route, json={**body, field: "意见\t建议\r\n换行"}, headers=alice).status_code == 200
    )
    web.sync()  # the projection is still running: it would raise here if it had stopped


def test_a_score_keyed_by_a_control_character_is_refused(web: Web, alice: dict[str, str]) -> None:
    body = {**ROUTES["/api/ballots"], "scores": {"service\x00": 1}}
    refused(web.client.post("/api/ballots", json=body, headers=alice), 422, "invalid_input")


@pytest.mark.parametrize("route", list(ROUTES))
def test_the_well_formed_body_is_accepted_so_the_refusals_above_are_about_the_body(
    web: Web, alice: dict[str, str], route: str
) -> None:
    assert web.client.post(route, json=ROUTES[route], headers=alice).status_code == 200
    charset = {"Content-Type": "application/json; charset=utf-8"}
    again = {**ROUTES[route], "client_id": uuid4().hex}
    assert web.client.post(route, json=again, headers={**alice, **charset}).status_code == 200
