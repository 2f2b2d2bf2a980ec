"""坏参数 — every route of the app, its path parameters, the query parameters its screen reads and the
fields its form reads, given a NUL byte, bytes that are not UTF-8, a huge number, a huge text and the
like: a clear 4xx (or the page, the value ignored), never a server error.

What is fuzzed is generated, not listed: the routes come from the app itself, each asked by a visitor the
access matrix lets in (so the handler is reached, not the sign-in check); the query parameters and form
fields are those its module reads (``query_params.get("…")``, ``text(form, "…")``, ``form.get("…")``).
A route added to the app is fuzzed without a line here.

An outside scanner found the first of these: ``/organiser/cards.pdf?sitting=a%00`` answered 500.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterator

import httpx
import pytest
from starlette.routing import Route

from tests.web import test_access_matrix as access
from tests.web.test_access_matrix import ALLOWED, ANONYMOUS, PLACEHOLDER, QUERIES, Scene, filled

matrix = access.matrix
"""The access matrix's scene (its fixture): two rounds, every kind of visitor signed in."""

BAD_VALUES = [
    "%00",
    "a%00",
    "%00a%00",
    "%FF%FE",
    "%C0%80",
    "%ED%A0%80",
    "9" * 40,
    "-1",
    "%25",
    "..%2F..%2Fetc%2Fpasswd",
    "%27%3B--",
    "x" * 5000,
]
"""Already percent-encoded, so the bytes reach the server exactly as written."""

BAD_TEXTS = ["a\x00b", "\x00", "\ufffd", "9" * 40, "x" * 5000, "'\"<>&", " \t\r\n"]
"""Form field values (sent url-encoded)."""

READS_QUERY = re.compile(r"""query_params(?:\.get\(|\[)\s*["'](\w+)["']""")
READS_FORM = re.compile(r"""(?:text\(form,\s*|form\.get\(|form\[)\s*["'](\w+)["']""")


def endpoint_source(route: Route) -> str:
    module = sys.modules[route.endpoint.__module__]
    return inspect.getsource(module)


def app_routes(scene: Scene) -> Iterator[tuple[str, Route]]:
    for route in scene.client.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, Route):
            continue  # the static mount: files, no parameters
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            yield method, route


def visitor(method: str, route: Route) -> str:
    """Someone the access matrix lets through this route (anonymous where everyone may)."""
    allowed = ALLOWED[f"{method} {route.path}"]
    signs_in_again = allowed - {
        access.ORGANISER_ROLE
    }  # r2026's shared code is retired by its 会务组 accounts
    if ANONYMOUS in allowed or not allowed:  # nobody passes (audit.zip before publication): asked anonymously
        return ANONYMOUS
    return sorted(signs_in_again or allowed)[0]


def send(
    scene: Scene, role: str, method: str, url: str, form: dict[str, str] | None = None
) -> httpx.Response:
    """The answer to the visitor's request, asked signed in as they are. A signed-in visitor's session is
    reused (its cookie as it was at sign-in), and an answer refusing it (an ended session is refused: a
    fuzzed sign-out or reissue ends it) is asked again after a fresh sign-in, so every request still reaches
    its handler signed in, as it did with a fresh session each time, without ~3 requests of sign-in before
    each. The anonymous visitor starts afresh each time: its failed sign-ins are throttled per session."""
    if role != ANONYMOUS and role in scene.cookies:
        scene.as_(role)
        answer = ask(scene, role, method, url, form)
        if not refused(answer):
            return answer
    scene.sign_in(role)
    return ask(scene, role, method, url, form)


def refused(answer: httpx.Response) -> bool:
    """What a visitor whose session has ended gets (tests/web/test_access_matrix.py: ``refused_with``)."""
    return answer.status_code in (401, 403) or (
        answer.status_code == 303 and answer.headers.get("location") == "/login"
    )


def ask(scene: Scene, role: str, method: str, url: str, form: dict[str, str] | None) -> httpx.Response:
    token = scene.tokens[role]
    headers = {"X-CSRF-Token": token}
    if url.split("?")[0].endswith("/events"):
        with scene.client.stream(method, url, headers=headers, follow_redirects=False) as stream:
            return stream
    if method == "POST" and form is not None:
        return scene.client.post(url, data={"csrf": token, **form}, headers=headers, follow_redirects=False)
    return scene.client.request(method, url, headers=headers, follow_redirects=False)


def assert_clear(answer: httpx.Response, what: str) -> None:
    assert answer.status_code < 500, f"{what}: {answer.status_code}"
    if answer.status_code >= 400 and not answer.request.url.path.endswith("/events"):
        body = answer.content.decode("utf-8")
        assert "系统出错" not in body, what


def test_every_route_s_query_and_path_parameters_refuse_bad_bytes_clearly(matrix: Scene) -> None:
    asked = 0
    for method, route in app_routes(matrix):
        role = visitor(method, route)
        source = endpoint_source(route)
        names = sorted({*READS_QUERY.findall(source), *QUERIES.get(route.path, {}), "x"})
        path = filled(route.path, matrix.params)
        for value in BAD_VALUES:
            for name in names:
                url = f"{path}?{name}={value}"
                assert_clear(send(matrix, role, method, url, form={}), f"{method} {url[:120]} as {role}")
                asked += 1
            for placeholder in PLACEHOLDER.finditer(route.path):
                params = {**matrix.params, placeholder.group(1): value}
                url = filled(route.path, params)
                assert_clear(send(matrix, role, method, url, form={}), f"{method} {url[:120]} as {role}")
                asked += 1
    assert asked > 300, "the routes and their parameters were found"


@pytest.mark.parametrize("value", BAD_TEXTS, ids=range(len(BAD_TEXTS)))
def test_every_form_s_fields_refuse_bad_text_clearly(matrix: Scene, value: str) -> None:
    forms = 0
    for method, route in app_routes(matrix):
        if method != "POST" or route.path.startswith("/api/"):
            continue
        role = visitor(method, route)
        fields = sorted(set(READS_FORM.findall(endpoint_source(route))) - {"csrf"})
        url = filled(route.path, matrix.params)
        for name in fields or ["x"]:
            answer = send(matrix, role, method, url, form={name: value})
            assert_clear(answer, f"POST {url} {name}={value[:20]!r} as {role}")
        forms += 1
    assert forms >= 10, "the app's forms were found"


def test_the_scanner_s_findings_are_each_a_400_page_in_chinese(matrix: Scene) -> None:
    for url in (
        "/organiser/cards.pdf?sitting=a%00",
        "/organiser/representatives?q=a%00",
        "/organiser/representatives?venue=%00",
    ):
        answer = send(matrix, access.STAFF_ORGANISER, "GET", url)
        assert answer.status_code == 400, url
        assert "请求格式有误" in answer.text
