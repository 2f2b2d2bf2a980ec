"""访问矩阵 — every route of the real app, every method it accepts, asked by every kind of visitor.

The table ``ALLOWED`` says, for each route and method, exactly who gets through. Everyone else is
refused: 401, 403 or 404 (another's resource is not found), or, for a page, sent to /login — never a
server error, never a 200. A route added to the app without a line in the table fails
``test_the_table_names_every_route_of_the_app``.

The scene (one app, one session cookie per visitor, swapped before each request):

- round r2026 is scoring: the organiser's round. 李秀英 (sitting s1) and 张丽 (sitting s2) are signed in
  on their tablets; 王建国 (s1) has cast a ballot for 市发改委 (fgw, s1), whose window is open.
- round r2025 is published: 市发改委 (department A) and 市水务局 (department B) are signed in; 市发改委
  has a signed suggestion and enough ballots for its downloads.

Each path is filled with the resource under protection: 王建国, his ballot and its receipt, fgw and
its window in r2026; fgw's suggestion in r2025. So "another sitting" asks for fgw as 张丽 (s2), and
"department B" asks for department A's suggestion. Every POST carries the visitor's own valid CSRF
token (form field and header), so a refusal is access control's, not the CSRF check's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from starlette.routing import BaseRoute, Mount, Route
from starlette.testclient import TestClient

from evaluation.application import EvaluationApp
from evaluation.opinion import opinion_id
from evaluation.opinion_handling import OpinionSource, source_key
from projections.runner import Projector
from storage.bootstrap import build_app
from storage.settings import Settings
from tests.conftest import ORGANISER, SECRET, prepare_round
from web.app import create_app
from web.platform.security import CSP

ANONYMOUS = "anonymous"
REPRESENTATIVE = "representative"  # 李秀英, sitting s1 of r2026 — fgw is hers to score
OTHER_SITTING = "representative of another sitting"  # 张丽, sitting s2 of r2026
DEPARTMENT = "department A"  # 市发改委 of r2025 — the suggestion is addressed to it
OTHER_DEPARTMENT = "department B asking for A"  # 市水务局 of r2025
ORGANISER_ROLE = "organiser"  # of r2026
ADMINISTRATOR = "administrator"  # of the platform: creates rounds, reads any round's workbook
ROLES = (
    ANONYMOUS,
    REPRESENTATIVE,
    OTHER_SITTING,
    DEPARTMENT,
    OTHER_DEPARTMENT,
    ORGANISER_ROLE,
    ADMINISTRATOR,
)

EVERYONE = frozenset(ROLES)
REPRESENTATIVES = frozenset({REPRESENTATIVE, OTHER_SITTING})
DEPARTMENTS = frozenset({DEPARTMENT, OTHER_DEPARTMENT})
ONLY = frozenset

ALLOWED: dict[str, frozenset[str]] = {
    # public
    "GET /": EVERYONE,
    "GET /login": EVERYONE,
    "POST /login": EVERYONE,  # a right code signs in whoever holds it
    "POST /logout": EVERYONE,
    "GET /openapi.json": EVERYONE,
    "GET /opinions/round/{round_key}": EVERYONE,
    "GET /opinions/mine": EVERYONE,  # anyone is told to sign in; a representative sees their own
    "POST /opinions/mine/{signed}/rate": ONLY({REPRESENTATIVE}),
    "GET /projector/{round_key}": EVERYONE,
    "GET /projector/{round_key}/events": EVERYONE,
    "GET /receipts": EVERYONE,
    "GET /api/receipts/{code}": EVERYONE,
    "GET /checkpoints/latest.json": EVERYONE,
    "GET /static/{path}": EVERYONE,
    # the tablet's offline shell: generic, the same for everyone (web/tablet/offline_shell.py)
    "GET /sw.js": EVERYONE,
    "GET /r/offline": EVERYONE,
    "GET /manifest.webmanifest": EVERYONE,
    "GET /favicon.ico": EVERYONE,
    # signed results: anyone once published (r2025); before (r2026, asked here) only its organiser
    "GET /results/{round_key}/signed.json": ONLY({ORGANISER_ROLE}),
    # a representative's tablet: their own sitting only
    "GET /r": REPRESENTATIVES,
    "GET /r/events": REPRESENTATIVES,
    "GET /api/state": REPRESENTATIVES,
    "POST /api/ballots": ONLY({REPRESENTATIVE}),
    "POST /api/suggestions": ONLY({REPRESENTATIVE}),
    # a department's portal: its own page, suggestions and downloads only
    "GET /department": DEPARTMENTS,
    "GET /department/suggestions": DEPARTMENTS,
    "POST /department/suggestions/{suggestion}/answer": ONLY({DEPARTMENT}),
    "GET /department/feedback.{kind:str}": DEPARTMENTS,
    "GET /department/opinions": DEPARTMENTS,
    "POST /department/opinions/{opinion}/answer": ONLY({DEPARTMENT}),
    "POST /department/opinions/{opinion}/reassign": ONLY({DEPARTMENT}),
    # the organiser's console
    "GET /organiser": ONLY({ORGANISER_ROLE}),
    "POST /organiser/windows/{department}/{change:str}": ONLY({ORGANISER_ROLE}),
    "GET /organiser/turnout": ONLY({ORGANISER_ROLE}),
    "GET /organiser/results": ONLY({ORGANISER_ROLE}),
    "POST /organiser/results/{command:str}": ONLY({ORGANISER_ROLE}),
    "GET /organiser/ballots": ONLY({ORGANISER_ROLE}),
    "POST /organiser/ballots/{ballot}/void": ONLY({ORGANISER_ROLE}),
    "GET /organiser/representatives": ONLY({ORGANISER_ROLE}),
    "POST /organiser/representatives": ONLY({ORGANISER_ROLE}),
    "POST /organiser/representatives/import": ONLY({ORGANISER_ROLE}),
    "POST /organiser/representatives/{representative}/reissue": ONLY({ORGANISER_ROLE}),
    "POST /organiser/representatives/{representative}/revoke": ONLY({ORGANISER_ROLE}),
    "POST /organiser/representatives/{representative}/check-in": ONLY({ORGANISER_ROLE}),
    "GET /organiser/departments": ONLY({ORGANISER_ROLE}),
    "POST /organiser/departments/{department}/credential": ONLY({ORGANISER_ROLE}),
    "GET /organiser/cards": ONLY({ORGANISER_ROLE}),
    "POST /organiser/cards.pdf": ONLY({ORGANISER_ROLE}),
    "POST /organiser/representatives/{representative}/card.pdf": ONLY({ORGANISER_ROLE}),
    "GET /organiser/history": ONLY({ORGANISER_ROLE}),
    "GET /organiser/opinions": ONLY({ORGANISER_ROLE}),
    "POST /organiser/opinions/collect": ONLY({ORGANISER_ROLE}),
    "POST /organiser/opinions/merge": ONLY({ORGANISER_ROLE}),
    "POST /organiser/opinions/split": ONLY({ORGANISER_ROLE}),
    "POST /organiser/opinions/classify": ONLY({ORGANISER_ROLE}),
    "POST /organiser/opinions/set-aside": ONLY({ORGANISER_ROLE}),
    "POST /organiser/opinions/{opinion}/redact": ONLY({ORGANISER_ROLE}),
    "POST /organiser/opinions/assign": ONLY({ORGANISER_ROLE}),
    "GET /organiser/opinions/review": ONLY({ORGANISER_ROLE}),
    "POST /organiser/opinions/review": ONLY({ORGANISER_ROLE}),
    "POST /organiser/opinions/publish": ONLY({ORGANISER_ROLE}),
    "GET /organiser/opinions/tracking": ONLY({ORGANISER_ROLE}),
    "GET /organiser/opinions/report.pdf": ONLY({ORGANISER_ROLE}),
    # the round's workbook: its organiser (r2026 is theirs) and the administrator; creating a round: the latter
    "GET /organiser/rounds/{round_key}/workbook.xlsx": ONLY({ORGANISER_ROLE, ADMINISTRATOR}),
    "GET /organiser/rounds": ONLY({ADMINISTRATOR}),
    "POST /organiser/rounds": ONLY({ADMINISTRATOR}),
}
"""``"METHOD path"`` → who gets through. HEAD is asked wherever GET is, with the same answer."""

QUERIES = {"/organiser/cards.pdf": {"sitting": "s1", "venue": "kdl"}, "/receipts": {"code": "{code}"}}
"""Query strings a route needs to answer its allowed visitors with a 2xx (filled like the path). Cards are
printed for bob's hall only: printing issues new cards, and the visitors' own cards must keep working."""

SUGGESTION_TEXT = "建议在老城区增设一条夜间公交线路"
FGW_COMMENT = "审批材料精简了，办事效率提高了"
SEEN_ONLY_BY = {
    SUGGESTION_TEXT: {DEPARTMENT},  # a signed suggestion reaches the department it is addressed to
    FGW_COMMENT: {DEPARTMENT},  # so do the comments of its ballots (in its summary and downloads)
    "李秀英": {
        REPRESENTATIVE,
        ORGANISER_ROLE,
        ADMINISTRATOR,
    },  # her tablet, her organiser, the round's workbook
}
"""Protected content, and the only visitors any response may show it to."""

STATIC = sorted((Path(__file__).parents[2] / "web").glob("*/static/*"))
PLACEHOLDER = re.compile(r"\{(\w+)(?::\w+)?\}")


# ---------------------------------------------------------------------------------------------------
# the app's routes, enumerated


def enumerated(routes: list[BaseRoute], prefix: str = "") -> Iterator[str]:
    """``"METHOD path"`` for every route (Mounts' sub-routes included; a static mount is one route)."""
    for route in routes:
        if isinstance(route, Mount):
            if route.routes:
                yield from enumerated(route.routes, prefix + route.path)
            else:
                yield f"GET {prefix}{route.path}/{{path}}"
        elif isinstance(route, Route):
            methods = route.methods or {"GET"}
            for method in sorted(methods - {"HEAD"} if "GET" in methods else methods):
                yield f"{method} {prefix}{route.path}"
        else:
            raise AssertionError(f"a route of a kind the matrix does not know: {route!r}")


def test_the_table_names_every_route_of_the_app(matrix: Scene) -> None:
    routes = set(enumerated(matrix.client.app.routes))  # type: ignore[attr-defined]
    assert routes - ALLOWED.keys() == set(), "routes without a line in ALLOWED"
    assert ALLOWED.keys() - routes == set(), "lines in ALLOWED for routes the app no longer has"


# ---------------------------------------------------------------------------------------------------
# the scene


@dataclass
class Scene:
    client: TestClient
    commands: EvaluationApp
    params: dict[str, str]
    codes: dict[str, str]
    cookies: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def as_(self, role: str) -> None:
        self.client.cookies.clear()
        if role in self.cookies:
            self.client.cookies.set("sanmin", self.cookies[role])

    def sign_in(self, role: str) -> None:
        self.client.cookies.clear()
        if role != ANONYMOUS:
            answer = self.client.get("/login", params={"code": self.codes[role]}, follow_redirects=False)
            assert answer.status_code == 200, (role, answer.text[:200])
        form = self.client.get("/login").text
        found = re.search(r'name="csrf" value="([^"]+)"', form)
        assert found is not None
        self.tokens[role] = found.group(1)
        cookie = self.client.cookies.get("sanmin")
        assert cookie is not None
        self.cookies[role] = cookie


def scoring_round(app: EvaluationApp) -> dict[str, str]:
    """r2026, scoring: 李秀英 and 王建国 in s1, 张丽 in s2; fgw's window open, 王建国 has scored it."""
    prepare_round(app, "r2026")
    _, alice_code = app.register_representative("r2026", "李秀英", "npc", "main", "s1", by=ORGANISER)
    bob, _ = app.register_representative("r2026", "王建国", "resident", "kdl", "s1", by=ORGANISER)
    _, carol_code = app.register_representative("r2026", "张丽", "resident", "main", "s2", by=ORGANISER)
    app.open_window("r2026", "fgw", by=ORGANISER)
    receipt = app.cast_ballot(bob, "fgw", "bob-ballot-1", "satisfied")
    alice = app.authenticate(alice_code).id
    signed = app.sign_suggestion(alice, "fgw", "alice-suggestion", "希望公开审批进度")
    app.collect_opinions(
        "r2026", [OpinionSource("suggestion", str(signed), "fgw", "希望公开审批进度")], ORGANISER
    )
    return {
        "signed": str(opinion_id(source_key("r2026", "suggestion", str(signed)))),
        "alice_code": alice_code,
        "carol_code": carol_code,
        "representative": str(bob),
        "ballot": str(receipt.ballot_id),
        "code": receipt.code,
    }


def published_round(app: EvaluationApp) -> dict[str, str]:
    """r2025, published: five representatives of s1 scored fgw and swj, one signed a suggestion to fgw."""
    prepare_round(app, "r2025")
    for department in ("fgw", "swj"):
        app.open_window("r2025", department, by=ORGANISER)
    for n in range(5):
        rep, _ = app.register_representative("r2025", f"代表{n}", "npc", "main", "s1", by=ORGANISER)
        app.cast_ballot(rep, "fgw", f"r2025-fgw-{n}", "satisfied", comment=FGW_COMMENT)
        app.cast_ballot(rep, "swj", f"r2025-swj-{n}", "satisfied", comment="供水稳定")
    suggestion = app.sign_suggestion(rep, "fgw", "r2025-suggestion", SUGGESTION_TEXT)
    for department in ("fgw", "swj"):
        app.close_window("r2025", department, by=ORGANISER)
    app.lock_results("r2025", by=ORGANISER)
    app.publish_results("r2025", by=ORGANISER)
    source = OpinionSource("suggestion", str(suggestion), "fgw", SUGGESTION_TEXT)
    app.collect_opinions("r2025", [source], by=ORGANISER)
    opinion = opinion_id(source_key("r2025", "suggestion", str(suggestion)))
    app.assign_opinions("r2025", [opinion], "fgw", [], by=ORGANISER)
    return {
        "suggestion": str(suggestion),
        "opinion": str(opinion),
        "department_a_code": app.issue_department_credential("r2025", "fgw", by=ORGANISER),
        "department_b_code": app.issue_department_credential("r2025", "swj", by=ORGANISER),
    }


@pytest.fixture(scope="module")
def matrix(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    settings = Settings(
        database_url, tmp_path_factory.mktemp("access"), SECRET, schema=f"t_{uuid4().hex[:12]}"
    )
    app = build_app(settings)
    try:
        made = scoring_round(app) | published_round(app)
        codes = {
            REPRESENTATIVE: made["alice_code"],
            OTHER_SITTING: made["carol_code"],
            DEPARTMENT: made["department_a_code"],
            OTHER_DEPARTMENT: made["department_b_code"],
            ORGANISER_ROLE: app.keys.organiser_code("r2026"),
            ADMINISTRATOR: app.issue_administrator_code(by=ORGANISER),
        }
        params = {
            "round_key": "r2026",
            "department": "fgw",
            "change": "open",
            "command": "hide",
            "kind": "csv",
            **{k: made[k] for k in ("representative", "ballot", "code", "suggestion", "opinion", "signed")},
        }
        with Projector(settings) as projector, TestClient(create_app(settings)) as client:
            projector.catch_up(timeout=30)
            scene = Scene(client, app, params, codes)
            for role in ROLES:
                scene.sign_in(role)
            yield scene
    finally:
        app.close()


# ---------------------------------------------------------------------------------------------------
# asking


def filled(template: str, params: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: params[m.group(1)], template)


def body_of(path: str, scene: Scene) -> dict[str, Any]:
    """What a POST sends: enough for its allowed visitors to get through (the domain may still say no,
    shown as a note on the next page — access control has let them in)."""
    if path == "/api/ballots":
        return {"json": {"department": "fgw", "client_id": uuid4().hex, "choice": "satisfied"}}
    if path == "/api/suggestions":
        return {"json": {"department": "fgw", "client_id": uuid4().hex, "text": "希望多听听社区的意见"}}
    form = {"csrf": "{token}"}
    if path == "/login":
        form["code"] = scene.codes[REPRESENTATIVE]
    if path.endswith("/answer"):
        form["answer"] = "已收到，将研究办理"
    return {"data": form}


def ask(scene: Scene, role: str, method: str, template: str) -> list[httpx.Response]:
    """The visitor's answers: for a static mount one per file; otherwise one."""
    scene.as_(role)
    if template == "/static/{path}":
        return [scene.client.request(method, f"/static/{f.name}") for f in STATIC]
    path = filled(template, scene.params)
    query = {k: filled(v, scene.params) for k, v in QUERIES.get(template, {}).items()}
    if path.endswith("/events"):
        with scene.client.stream(method, path, params=query, follow_redirects=False) as stream:
            return [stream]
    token = scene.tokens[role]
    kw: dict[str, Any] = {}
    if method == "POST":
        kw = body_of(template, scene)
        if "data" in kw:
            kw["data"] = {k: v.replace("{token}", token) for k, v in kw["data"].items()}
    headers = {"X-CSRF-Token": token}
    return [scene.client.request(method, path, params=query, headers=headers, follow_redirects=False, **kw)]


def let_in(answer: httpx.Response) -> bool:
    return answer.status_code < 300 or (
        answer.status_code < 400 and answer.headers.get("location") != "/login"
    )


def refused(answer: httpx.Response) -> bool:
    return answer.status_code in (401, 403, 404) or (
        answer.status_code == 303 and answer.headers.get("location") == "/login"
    )


def assert_secure(answer: httpx.Response) -> None:
    assert answer.headers["content-security-policy"] == CSP
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"


def shows(answer: httpx.Response, text: str) -> bool:
    if answer.request.method == "HEAD" or answer.request.url.path.endswith("/events"):
        return False  # no body, or a stream left unread
    return text in answer.content.decode("utf-8", errors="ignore")


def methods_of(line: str) -> list[str]:
    method = line.split(" ", 1)[0]
    return ["GET", "HEAD"] if method == "GET" else [method]


@pytest.mark.parametrize("line", list(ALLOWED))
def test_each_route_lets_in_exactly_the_visitors_in_the_table(matrix: Scene, line: str) -> None:
    _, template = line.split(" ", 1)
    outcomes = []
    for method in methods_of(line):
        for role in ROLES:
            for answer in ask(matrix, role, method, template):
                what = f"{method} {answer.request.url.path} as {role}: {answer.status_code}"
                assert answer.status_code < 500, what
                assert_secure(answer)
                if role in ALLOWED[line]:
                    assert let_in(answer), f"{what} — should be let in"
                else:
                    assert refused(answer), f"{what} — should be refused"
                for text, seers in SEEN_ONLY_BY.items():
                    assert role in seers or not shows(answer, text), f"{what} shows 「{text}」"
                outcomes.append(answer.status_code)
    assert outcomes


def test_the_protected_content_is_there_for_those_who_may_see_it(matrix: Scene) -> None:
    """So that the matrix's "never shows" checks look for something that exists."""
    matrix.as_(DEPARTMENT)
    assert SUGGESTION_TEXT in matrix.client.get("/department/suggestions").text
    assert FGW_COMMENT in matrix.client.get("/department/feedback.csv").text
    matrix.as_(OTHER_DEPARTMENT)
    own_list = matrix.client.get("/department/suggestions")
    assert own_list.status_code == 200 and SUGGESTION_TEXT not in own_list.text
    matrix.as_(REPRESENTATIVE)
    assert "李秀英" in matrix.client.get("/r").text
    matrix.as_(OTHER_SITTING)
    assert "张丽" in matrix.client.get("/r").text


def test_a_representative_cannot_score_or_write_to_a_department_of_another_sitting(matrix: Scene) -> None:
    matrix.as_(OTHER_SITTING)
    token = {"X-CSRF-Token": matrix.tokens[OTHER_SITTING]}
    ballot = {"department": "fgw", "client_id": uuid4().hex, "choice": "satisfied"}
    answer = matrix.client.post("/api/ballots", json=ballot, headers=token)
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "not_in_sitting"
    note = {"department": "fgw", "client_id": uuid4().hex, "text": "建议"}
    answer = matrix.client.post("/api/suggestions", json=note, headers=token)
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "not_in_sitting"


def test_department_b_cannot_answer_department_a_s_suggestion(matrix: Scene) -> None:
    matrix.as_(OTHER_DEPARTMENT)
    token = matrix.tokens[OTHER_DEPARTMENT]
    path = f"/department/suggestions/{matrix.params['suggestion']}/answer"
    answer = matrix.client.post(path, data={"csrf": token, "answer": "冒名答复"}, follow_redirects=False)
    assert answer.status_code == 404
    suggestion = matrix.commands.repository.get(UUID(matrix.params["suggestion"]))
    assert getattr(suggestion, "answer", None) != "冒名答复"


EXACT = {
    "GET /organiser/rounds/{round_key}/workbook.xlsx": {
        ANONYMOUS: 303,
        **{role: 403 for role in (REPRESENTATIVE, OTHER_SITTING, DEPARTMENT, OTHER_DEPARTMENT)},
        ORGANISER_ROLE: 200,
        ADMINISTRATOR: 200,
    },
    "GET /organiser/rounds": {
        ANONYMOUS: 303,
        **{
            role: 403
            for role in (REPRESENTATIVE, OTHER_SITTING, DEPARTMENT, OTHER_DEPARTMENT, ORGANISER_ROLE)
        },
        ADMINISTRATOR: 200,
    },
    "POST /organiser/rounds": {
        ANONYMOUS: 401,
        **{
            role: 403
            for role in (REPRESENTATIVE, OTHER_SITTING, DEPARTMENT, OTHER_DEPARTMENT, ORGANISER_ROLE)
        },
        ADMINISTRATOR: 303,  # no file chosen: back to the page, which says so
    },
}
"""The workbook's routes, each visitor's exact status. HEAD as GET, except that only a GET is sent on to
/login: a HEAD from someone not signed in is answered 401."""


def expected(line: str, method: str, role: str) -> int:
    status = EXACT[line][role]
    return 401 if (method, status) == ("HEAD", 303) and role == ANONYMOUS else status


@pytest.mark.parametrize("line", list(EXACT))
def test_the_workbook_routes_answer_each_visitor_with_its_exact_status(matrix: Scene, line: str) -> None:
    _, template = line.split(" ", 1)
    got = {
        (method, role): ask(matrix, role, method, template)[0].status_code
        for method in methods_of(line)
        for role in ROLES
    }
    assert got == {
        (method, role): expected(line, method, role) for method in methods_of(line) for role in ROLES
    }
