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

Staff with personal accounts (evaluation/staff.py) are signed in too: r2026's 会务组, 签到员 of kdl (王建国's
venue) and of main, 计票员 and 监督员; the platform administrator's own account; staff of 市发改委 and of
市水务局 in r2025; and two r2026 organiser accounts ended by the administrator after they signed in (one
disabled, one whose code was replaced). The shared organiser code of r2026 signs in before r2026 has
organiser accounts: it is retired from then on, and the session it opened ends with it (asked like the two
ended accounts). So are the shared codes of 市发改委 and 市水务局 in r2025: each signs in before the department
has a personal account, and is retired by it (so the departments' routes are asked here as their personal
accounts; a department without accounts keeps its code: tests/web/test_shared_department_code.py).

Each path is filled with the resource under protection: 王建国, his ballot and its receipt, fgw and
its window in r2026; fgw's suggestion in r2025. So "another sitting" asks for fgw as 张丽 (s2), and
"department B" asks for department A's suggestion. Every POST carries the visitor's own valid CSRF
token (form field and header), so a refusal is access control's, not the CSRF check's.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
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
from tests.report_pdfs import small_pdf
from web.app import create_app
from web.platform import shared_codes
from web.platform.security import CSP

ANONYMOUS = "anonymous"
REPRESENTATIVE = "representative"  # 李秀英, sitting s1 of r2026 — fgw is hers to score
OTHER_SITTING = "representative of another sitting"  # 张丽, sitting s2 of r2026
ONLINE_CITIZEN = "online citizen of r2026"  # signed in by an invitation link (网络评议)
DEPARTMENT = "department A"  # 市发改委 of r2025's shared code — the suggestion is addressed to it; retired
OTHER_DEPARTMENT = "department B asking for A"  # 市水务局 of r2025's shared code; retired
ORGANISER_ROLE = "organiser"  # of r2026, with the round's shared code: signed in before it was retired
ADMINISTRATOR = "administrator"  # of the platform: creates rounds, reads any round's workbook
# personal staff accounts (evaluation/staff.py), each signed in with their own code
STAFF_ORGANISER = "会务组 of r2026"
STAFF_ADMINISTRATOR = "administrator's personal account"
CHECKIN = "签到员 of kdl"  # 王建国's venue: he is the representative in the paths
CHECKIN_OTHER_VENUE = "签到员 of main asking for kdl"
RESULTS_OFFICER = "计票员 of r2026"
AUDITOR = "监督员 of r2026"
DEPARTMENT_STAFF = "staff of department A"  # 市发改委 of r2025: a personal account, not the shared code
DEPARTMENT_STAFF_OTHER = "staff of department B asking for A"
DISABLED = "a disabled organiser account"  # signed in, then disabled by the administrator
REPLACED = "an organiser account's replaced code"  # signed in, then the code was replaced
ROLES = (
    ANONYMOUS,
    REPRESENTATIVE,
    OTHER_SITTING,
    ONLINE_CITIZEN,
    DEPARTMENT,
    OTHER_DEPARTMENT,
    ORGANISER_ROLE,
    ADMINISTRATOR,
    STAFF_ORGANISER,
    STAFF_ADMINISTRATOR,
    CHECKIN,
    CHECKIN_OTHER_VENUE,
    RESULTS_OFFICER,
    AUDITOR,
    DEPARTMENT_STAFF,
    DEPARTMENT_STAFF_OTHER,
    DISABLED,
    REPLACED,
)

EVERYONE = frozenset(ROLES)
ENDED = frozenset({DISABLED, REPLACED, ORGANISER_ROLE, DEPARTMENT, OTHER_DEPARTMENT})
REPRESENTATIVES = frozenset({REPRESENTATIVE, OTHER_SITTING})
DEPARTMENTS = frozenset({DEPARTMENT_STAFF, DEPARTMENT_STAFF_OTHER})
OWN_DEPARTMENT = frozenset({DEPARTMENT_STAFF})
ONLY = frozenset
ORGANISERS = frozenset({STAFF_ORGANISER})
READERS = ORGANISERS | {AUDITOR}
"""Who reads the organiser's console: its organisers and the auditor (监督员 change nothing)."""
DESK = ORGANISERS | {CHECKIN}
"""Who may check in, re-issue and print a card for 王建国 (kdl): the organisers and kdl's check-in staff."""
ADMINISTRATORS = frozenset({ADMINISTRATOR, STAFF_ADMINISTRATOR})
ACCOUNTS = frozenset(ROLES[ROLES.index(STAFF_ORGANISER) :]) - ENDED
"""Everyone signed in with a personal account still valid."""

ALLOWED: dict[str, frozenset[str]] = {
    # public
    "GET /": EVERYONE,
    "GET /login": EVERYONE,
    # a right code signs in whoever holds it; a session ended server-side (disabled, replaced) lost its CSRF
    # token with it: its stale form is refused (403 csrf_failed) and the sign-in page opened afresh
    "POST /login": EVERYONE - ENDED,
    "POST /logout": EVERYONE - ENDED,
    "GET /openapi.json": EVERYONE,
    "GET /opinions/round/{round_key}": EVERYONE,
    "GET /opinions/mine": EVERYONE,  # anyone is told to sign in; a representative sees their own
    "POST /opinions/mine/{signed}/rate": ONLY({REPRESENTATIVE}),
    "GET /projector/{round_key}": EVERYONE,
    "GET /projector/{round_key}/events": EVERYONE,
    "GET /receipts": EVERYONE,
    "GET /api/receipts/{code}": EVERYONE,
    "GET /checkpoints/latest.json": EVERYONE,
    "GET /audit/sanmin_audit.zip": EVERYONE,  # the standalone verifier (web/public/audit_tool.py)
    "GET /static/{path}": EVERYONE,
    # 公开预读: r2026's reports are open (the organiser opened them)
    "GET /rounds/{round_key}/reports": EVERYONE,
    "GET /rounds/{round_key}/reports/{department}/file": EVERYONE,
    # the tablet's offline shell: generic, the same for everyone (web/tablet/offline_shell.py)
    "GET /sw.js": EVERYONE,
    "GET /r/offline": EVERYONE,
    "GET /manifest.webmanifest": EVERYONE,
    "GET /favicon.ico": EVERYONE,
    # signed results: anyone once published (r2025); before (r2026, asked here) only its 计票员 and 监督员 (its
    # level counts), and they only once no window is open (fgw is: 409, tests/web/test_signed_results.py)
    "GET /results/{round_key}/signed.json": frozenset({RESULTS_OFFICER, AUDITOR}),
    # the audit bundle: anyone once published (tests/web/test_audit_bundle.py); before, nobody (r2026 here)
    "GET /results/{round_key}/audit.zip": ONLY(),
    # 网络评议: r2026's online period is open; an invitation link or a phone's code signs in whoever holds it
    "GET /online/{round_key}": EVERYONE,
    "POST /online/{round_key}/invitation": EVERYONE - ENDED,
    "POST /online/{round_key}/phone": EVERYONE - ENDED,
    "POST /online/{round_key}/phone/verify": EVERYONE - ENDED,
    "POST /api/online/{round_key}/ballots": ONLY({ONLINE_CITIZEN}),
    # 评议结果公示: a page for anyone, saying only "not yet published" before publication (r2026 here); its PDF
    # nobody's before then (tests/web/test_results_notice.py)
    "GET /results/{round_key}": EVERYONE,
    "GET /results/{round_key}/notice.pdf": ONLY(),
    # a representative's tablet: their own sitting only
    "GET /r": REPRESENTATIVES,
    "GET /r/events": REPRESENTATIVES,
    "GET /api/state": REPRESENTATIVES,
    "POST /api/ballots": ONLY({REPRESENTATIVE}),
    "POST /api/suggestions": ONLY({REPRESENTATIVE}),
    "GET /r/reports/{department}": ONLY({REPRESENTATIVE}),  # fgw is on her sitting's agenda, not on 张丽's
    "GET /r/reports/{department}/file": ONLY({REPRESENTATIVE}),
    # a department's portal: its own page, suggestions and downloads only
    "GET /department": DEPARTMENTS,
    "GET /department/suggestions": DEPARTMENTS,
    "POST /department/suggestions/{suggestion}/answer": OWN_DEPARTMENT,
    "GET /department/feedback.{kind:str}": DEPARTMENTS,
    "GET /department/report": DEPARTMENTS,
    "POST /department/report": DEPARTMENTS,  # each its own report: the department is the session's
    "GET /department/report/revisions/{revision:int}/file": OWN_DEPARTMENT,  # B's own has no file
    # the organiser's console: read by its organisers and auditor, changed by its organisers only
    "GET /organiser": READERS,
    "POST /organiser/windows/{department}/{change:str}": ORGANISERS,
    "GET /organiser/turnout": READERS,
    "GET /organiser/results": READERS | {RESULTS_OFFICER},
    "POST /organiser/results/{command:str}": ORGANISERS,  # asked with "hide": 会务组's, not 计票员's
    "GET /organiser/ballots": READERS,
    "POST /organiser/ballots/{ballot}/void": ORGANISERS,
    # the check-in desk (签到员): find, check in, re-issue and print a lost card, in their own venue only
    "GET /organiser/representatives": READERS | {CHECKIN, CHECKIN_OTHER_VENUE},
    "POST /organiser/representatives": ORGANISERS,
    "POST /organiser/representatives/import": ORGANISERS,
    "POST /organiser/representatives/{representative}/reissue": DESK,
    "POST /organiser/representatives/{representative}/revoke": ORGANISERS,
    "POST /organiser/representatives/{representative}/check-in": DESK,
    "POST /organiser/representatives/{representative}/end-sessions": DESK,  # 结束会话: a lost tablet
    "GET /organiser/departments": READERS,
    "POST /organiser/departments/{department}/credential": ORGANISERS,
    "GET /organiser/cards": READERS,
    "POST /organiser/cards.pdf": ORGANISERS,
    "POST /organiser/representatives/{representative}/card.pdf": DESK,
    "GET /organiser/history": READERS,
    "GET /organiser/trail.xlsx": ONLY({AUDITOR}),
    "GET /department/opinions": DEPARTMENTS,
    "POST /department/opinions/{opinion}/answer": OWN_DEPARTMENT,
    "POST /department/opinions/{opinion}/reassign": OWN_DEPARTMENT,
    "GET /department/opinions/{opinion}/evidence": OWN_DEPARTMENT,
    "GET /organiser/opinions": READERS,
    "POST /organiser/opinions/collect": ORGANISERS,
    "POST /organiser/opinions/merge": ORGANISERS,
    "POST /organiser/opinions/split": ORGANISERS,
    "POST /organiser/opinions/classify": ORGANISERS,
    "POST /organiser/opinions/set-aside": ORGANISERS,
    "POST /organiser/opinions/{opinion}/redact": ORGANISERS,
    "POST /organiser/opinions/assign": ORGANISERS,
    "GET /organiser/opinions/review": READERS,
    "POST /organiser/opinions/review": ORGANISERS,
    "POST /organiser/opinions/publish": ORGANISERS,
    "GET /organiser/opinions/tracking": READERS,
    "GET /organiser/opinions/report.pdf": READERS,
    # 历年对比: read with the results; the rounds' links changed by the organiser only
    "GET /organiser/years": READERS | {RESULTS_OFFICER},
    "POST /organiser/years/previous": ORGANISERS,
    "POST /organiser/years/match": ORGANISERS,
    "GET /organiser/opinions/digest": READERS,
    "GET /organiser/opinions/assessment": READERS,
    "POST /organiser/opinions/assessment": ORGANISERS,
    "GET /organiser/opinions/assessment.csv": READERS,
    "GET /organiser/opinions/{answered}/evidence": READERS,
    # the round's workbook: its organiser (r2026 is theirs) and the administrator; creating a round: the latter
    "GET /organiser/rounds/{round_key}/workbook.xlsx": READERS | ADMINISTRATORS,
    "GET /organiser/rounds": ADMINISTRATORS,
    "POST /organiser/rounds": ADMINISTRATORS,
    # staff accounts: the administrator's; each person's own sessions
    "GET /organiser/staff": ADMINISTRATORS,
    "POST /organiser/staff": ADMINISTRATORS,
    "POST /organiser/staff/{account}/code": ADMINISTRATORS,
    "POST /organiser/staff/{account}/card.pdf": ADMINISTRATORS,
    "POST /organiser/staff/{account}/disable": ADMINISTRATORS,
    "POST /organiser/staff/{account}/sign-out": ADMINISTRATORS,
    "GET /staff/sessions": ACCOUNTS,
    "POST /staff/sessions/end": ACCOUNTS,
    "GET /organiser/reports": READERS,
    "GET /organiser/reports/{department}": READERS,
    "POST /organiser/reports/{department}": ORGANISERS,
    "GET /organiser/reports/{department}/revisions/{revision:int}/file": READERS,
    "POST /organiser/pre-reading": ORGANISERS,
    # readiness: the roster's export and edits, the checklist, other result components
    "GET /organiser/representatives.xlsx": READERS,
    "GET /organiser/representatives/{representative}/edit": READERS,
    "POST /organiser/representatives/{representative}/edit": ORGANISERS,
    "GET /organiser/readiness": READERS,
    "GET /organiser/components": READERS,
    "POST /organiser/components": ORGANISERS,
    "GET /organiser/online": READERS,
    "POST /organiser/online/period": ORGANISERS,
    "POST /organiser/online/invitations": ORGANISERS,  # the CSV itself (200)
    "POST /organiser/online/void": ORGANISERS,
    "POST /organiser/online/component": ORGANISERS,
    "POST /organiser/components/preview": ORGANISERS,
    "GET /organiser/workbook": READERS,
    "POST /organiser/workbook": ORGANISERS,
    "POST /organiser/workbook/preview": ORGANISERS,
    # setting a round up in the browser: its organiser (r2026) and the administrator; a new round: the latter
    "POST /organiser/rounds/new": ADMINISTRATORS,
    **{
        f"GET /organiser/rounds/{{round_key}}/setup{page}": READERS | ADMINISTRATORS
        for page in ("", "/lists", "/departments", "/sittings")
    },
    **{
        f"POST /organiser/rounds/{{round_key}}/setup/{form}": ORGANISERS | ADMINISTRATORS
        for form in (
            "basics",
            "check-in",
            "instrument",
            "categories",
            "categories/remove",
            "groups",
            "groups/remove",
            "venues",
            "venues/remove",
            "sittings",
            "sittings/remove",
            "agenda",
            "departments",
            "departments/remove",
        )
    },
}
"""``"METHOD path"`` → who gets through. HEAD is asked wherever GET is, with the same answer."""

QUERIES = {"/organiser/cards.pdf": {"sitting": "s1", "venue": "kdl"}, "/receipts": {"code": "{code}"}}
"""Query strings a route needs to answer its allowed visitors with a 2xx (filled like the path). Cards are
printed for bob's hall only: printing issues new cards, and the visitors' own cards must keep working."""

SUGGESTION_TEXT = "建议在老城区增设一条夜间公交线路"
FGW_COMMENT = "审批材料精简了，办事效率提高了"
SEEN_ONLY_BY = {
    SUGGESTION_TEXT: OWN_DEPARTMENT,  # a signed suggestion reaches the department it is addressed to
    FGW_COMMENT: OWN_DEPARTMENT,  # so do the comments of its ballots (in its summary and downloads)
    "李秀英": {
        REPRESENTATIVE,
        *READERS,
        *ADMINISTRATORS,
        CHECKIN_OTHER_VENUE,  # she sits in main: its check-in staff find her; kdl's do not
    },  # her tablet, her organiser and auditor, the round's workbook
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
        if role == ONLINE_CITIZEN:
            page = self.client.get("/online/r2026").text
            token = re.search(r'name="csrf" value="([^"]+)"', page)
            assert token is not None
            data = {"code": self.commands.invite_online("r2026", 1, by=ORGANISER)[0], "csrf": token.group(1)}
            answer = self.client.post("/online/r2026/invitation", data=data, follow_redirects=False)
            assert answer.status_code == 303, answer.text[:200]
        elif role != ANONYMOUS:
            page = self.client.get("/login", params={"code": self.codes[role]}).text
            token = re.search(r'name="csrf" value="([^"]+)"', page)
            assert token is not None
            data = {"code": self.codes[role], "csrf": token.group(1)}
            answer = self.client.post("/login", data=data, follow_redirects=False)
            assert answer.status_code == 303, (role, answer.text[:200])
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
    app.submit_report(
        "r2026", "fgw", "发改委述职报告", "摘要", "全文", by=ORGANISER, file=("报告.pdf", small_pdf())
    )
    app.open_pre_reading("r2026", by=ORGANISER)
    now = datetime.now(UTC)
    app.set_online_period("r2026", now - timedelta(days=1), now + timedelta(days=30), None, ORGANISER, "")
    alice = app.authenticate(alice_code).id
    app.open_window(
        "r2026", "swj", by=ORGANISER
    )  # her signed suggestion is recorded when swj's window closes
    signed = app.sign_suggestion(alice, "swj", "alice-suggestion", "希望公开停水安排")
    app.close_window("r2026", "swj", by=ORGANISER)
    app.collect_opinions(
        "r2026", [OpinionSource("suggestion", str(signed), "swj", "希望公开停水安排")], ORGANISER
    )
    answered = opinion_id(source_key("r2026", "suggestion", str(signed)))
    app.assign_opinions("r2026", [answered], "swj", [], by=ORGANISER)
    evidence = ("现场照片.pdf", small_pdf())
    app.answer_opinion("r2026", answered, "swj", "已公布", "", "已答复", "department:swj", file=evidence)
    return {
        "signed": str(answered),
        "answered": str(answered),
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
    app.submit_report(
        "r2025", "fgw", "述职报告", "摘要", "", by="department:fgw", file=("报告.pdf", small_pdf())
    )
    for department in ("fgw", "swj"):
        app.close_window("r2025", department, by=ORGANISER)
    app.lock_results("r2025", by=ORGANISER)
    app.publish_results("r2025", by=ORGANISER)
    source = OpinionSource("suggestion", str(suggestion), "fgw", SUGGESTION_TEXT)
    app.collect_opinions("r2025", [source], by=ORGANISER)
    opinion = opinion_id(source_key("r2025", "suggestion", str(suggestion)))
    app.assign_opinions("r2025", [opinion], "fgw", [], by=ORGANISER)
    app.answer_opinion(
        "r2025", opinion, "fgw", "已答复", "", "办理中", "department:fgw", file=("证明.pdf", small_pdf())
    )
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
            "revision": "1",
            **{
                k: made[k]
                for k in ("representative", "ballot", "code", "suggestion", "opinion", "signed", "answered")
            },
        }
        with Projector(settings) as projector, TestClient(create_app(settings)) as client:
            projector.catch_up(timeout=30)
            scene = Scene(client, app, params, codes)
            for role in ROLES[: ROLES.index(ADMINISTRATOR) + 1]:
                scene.sign_in(role)  # the shared organiser code, before r2026 has organiser accounts
            ended = staff_accounts(app, codes, params)
            time.sleep(shared_codes.CACHE_SECONDS)  # each process learns of a retired code within this
            for role in ROLES[ROLES.index(ADMINISTRATOR) + 1 :]:
                scene.sign_in(role)
            for role, action in ended.items():  # the administrator disables one, replaces another's code
                scene.as_(STAFF_ADMINISTRATOR)
                form = {"csrf": scene.tokens[STAFF_ADMINISTRATOR], "reason": "调离"}
                answer = client.post(f"/organiser/staff/{action}", data=form, follow_redirects=False)
                assert answer.status_code in (200, 303), (role, answer.text[:300])
            yield scene
    finally:
        app.close()


def staff_accounts(app: EvaluationApp, codes: dict[str, str], params: dict[str, str]) -> dict[str, str]:
    """Every staff role's personal account (its code in ``codes``), a spare account for the administrator's
    routes (``params["account"]``); returns what the administrator does to DISABLED's and REPLACED's."""
    made = {
        STAFF_ORGANISER: ("吴刚", "organiser", {"round_key": "r2026"}),
        STAFF_ADMINISTRATOR: ("郑华", "administrator", {}),
        CHECKIN: ("刘洋", "checkin", {"round_key": "r2026", "venue": "kdl"}),
        CHECKIN_OTHER_VENUE: ("陈静", "checkin", {"round_key": "r2026", "venue": "main"}),
        RESULTS_OFFICER: ("孙敏", "results_officer", {"round_key": "r2026"}),
        AUDITOR: ("钱伟", "auditor", {"round_key": "r2026"}),
        DEPARTMENT_STAFF: ("何丽", "department", {"round_key": "r2025", "department": "fgw"}),
        DEPARTMENT_STAFF_OTHER: ("马超", "department", {"round_key": "r2025", "department": "swj"}),
        DISABLED: ("冯涛", "organiser", {"round_key": "r2026"}),
        REPLACED: ("韩梅", "organiser", {"round_key": "r2026"}),
    }
    ids = {}
    for role, (name, kind, scope) in made.items():
        ids[role], codes[role] = app.add_staff(name, kind, by=ORGANISER, **scope)
    params["account"] = str(app.add_staff("备用", "checkin", by=ORGANISER, round_key="r2026", venue="kdl")[0])
    return {DISABLED: f"{ids[DISABLED]}/disable", REPLACED: f"{ids[REPLACED]}/code"}


# ---------------------------------------------------------------------------------------------------
# asking


def filled(template: str, params: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: params[m.group(1)], template)


def body_of(path: str, scene: Scene) -> dict[str, Any]:
    """What a POST sends: enough for its allowed visitors to get through (the domain may still say no,
    shown as a note on the next page — access control has let them in)."""
    if path == "/api/ballots":
        return {"json": {"department": "fgw", "client_id": uuid4().hex, "choice": "satisfied"}}
    if path == "/api/online/{round_key}/ballots":
        return {"json": {"department": "fgw", "client_id": uuid4().hex, "choice": "satisfied"}}
    if path == "/online/{round_key}/invitation":
        return {
            "data": {"csrf": "{token}", "code": scene.commands.invite_online("r2026", 1, by=ORGANISER)[0]}
        }
    if path.startswith("/online/{round_key}/phone"):
        phone = f"139{uuid4().int % 10**8:08d}"
        form = {"csrf": "{token}", "phone": phone}
        if path.endswith("/verify"):
            form["code"] = scene.commands.send_phone_code("r2026", phone, datetime.now(UTC))
        return {"data": form}
    if path == "/api/suggestions":
        return {"json": {"department": "fgw", "client_id": uuid4().hex, "text": "希望多听听社区的意见"}}
    form = {"csrf": "{token}"}
    if path == "/login":
        form["code"] = scene.codes[REPRESENTATIVE]
    if path.endswith("/answer"):
        form["answer"] = "已收到，将研究办理"  # a signed suggestion's answer
        # an assigned opinion's answer has its own fields (a refused one is a 422 page there)
        form |= {"text": "已收到，将研究办理", "state": "办理中"}
    if path.endswith("/reassign"):
        form["reason"] = "不属于本部门职责"
    if path == "/department/report" or path.startswith("/organiser/reports/"):
        form |= {"title": "述职报告（修订）", "summary": "摘要"}
    if path == "/organiser/pre-reading":
        form["action"] = "open"
    if path.endswith("/edit"):  # 王建国's name corrected (his placement is fixed: scoring has started)
        fields = {"name": f"王建{uuid4().hex[:4]}", "category": "resident", "venue": "kdl", "sitting": "s1"}
        form |= fields | {"reason": "姓名录错"}
    if path == "/organiser/online/invitations":
        form["count"] = "2"
    if path == "/organiser/staff":
        form |= {"name": "新监督员", "role": "auditor", "round": "r2026"}
    return {"data": form}


SIGNS_OUT = {"/logout", "/staff/sessions/end"}
"""Routes that end the visitor's server-side session: a personal account or a representative signs in again
after them."""


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
    answer = scene.client.request(method, path, params=query, headers=headers, follow_redirects=False, **kw)
    if template in SIGNS_OUT and role in ACCOUNTS | REPRESENTATIVES:
        scene.sign_in(role)
    return [answer]


def let_in(answer: httpx.Response) -> bool:
    """Past access control: a page, a redirect other than to sign in, or a domain's refusal shown as a 422
    page (the department's report of the published r2025 can no longer be revised: its results are locked), or
    r2026's provisional signed results refused with a 409 while fgw is being scored (scoring_underway)."""
    return (
        answer.status_code < 300
        or answer.status_code == 422
        or (answer.status_code == 409 and answer.request.url.path == "/results/r2026/signed.json")
        or (answer.status_code < 400 and answer.headers.get("location") != "/login")
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
    matrix.as_(DEPARTMENT_STAFF)
    assert SUGGESTION_TEXT in matrix.client.get("/department/suggestions").text
    assert FGW_COMMENT in matrix.client.get("/department/feedback.csv").text
    matrix.as_(DEPARTMENT_STAFF_OTHER)
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
    matrix.as_(DEPARTMENT_STAFF_OTHER)
    token = matrix.tokens[DEPARTMENT_STAFF_OTHER]
    path = f"/department/suggestions/{matrix.params['suggestion']}/answer"
    answer = matrix.client.post(path, data={"csrf": token, "answer": "冒名答复"}, follow_redirects=False)
    assert answer.status_code == 404
    suggestion = matrix.commands.repository.get(UUID(matrix.params["suggestion"]))
    assert getattr(suggestion, "answer", None) != "冒名答复"


EXACT = {
    "GET /organiser/rounds/{round_key}/workbook.xlsx": {
        **{role: 403 for role in ROLES},
        **{role: 303 for role in {ANONYMOUS, *ENDED}},
        **{role: 200 for role in READERS | ADMINISTRATORS},
    },
    "GET /organiser/rounds": {
        **{role: 403 for role in ROLES},
        **{role: 303 for role in {ANONYMOUS, *ENDED}},
        **{role: 200 for role in ADMINISTRATORS},
    },
    "POST /organiser/rounds": {
        **{role: 403 for role in ROLES},
        **{role: 401 for role in {ANONYMOUS, *ENDED}},
        **{role: 303 for role in ADMINISTRATORS},  # no file chosen: back to the page, which says so
    },
}
"""The workbook's routes, each visitor's exact status. HEAD as GET, except that only a GET is sent on to
/login: a HEAD from someone not signed in is answered 401."""


def expected(line: str, method: str, role: str) -> int:
    status = EXACT[line][role]
    return 401 if (method, status) == ("HEAD", 303) and role in {ANONYMOUS, *ENDED} else status


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


STAFF_ROLES = ROLES[ROLES.index(ADMINISTRATOR) + 1 :]


def refused_with(line: str, method: str, role: str) -> int:
    """The exact status a staff visitor gets where ALLOWED does not let them in: signed in with a valid
    account, 403 with a plain message (another department's suggestion, opinion or report file is not found:
    404; the audit bundle and notice.pdf of a round not yet published are nobody's: 403 not_published); with an account
    disabled or a code replaced, the session is over, so exactly what a visitor not signed in gets."""
    path = line.split(" ", 1)[1]
    if path.endswith(("/audit.zip", "/notice.pdf")):
        return 403  # nobody's before publication, not even the organiser's: not_published
    if role in ENDED:
        if line in ("POST /login", "POST /logout") or line.startswith("POST /online/"):
            return 403  # the stale form's CSRF token ended with the session
        if path.startswith("/results/"):
            return 403  # not_published: the signed results of a round not yet published
        return 303 if method == "GET" and not path.startswith("/api/") else 401
    another_departments = (
        line.endswith(("/answer", "/reassign"))
        or "/department/report/revisions/" in line
        or line == "GET /department/opinions/{opinion}/evidence"
    )
    return 404 if role == DEPARTMENT_STAFF_OTHER and another_departments else 403


@pytest.mark.parametrize("line", list(ALLOWED))
def test_each_staff_role_is_refused_with_its_exact_status(matrix: Scene, line: str) -> None:
    """Generated from the routes, like the table: every route, every method, every staff visitor."""
    _, template = line.split(" ", 1)
    got, wanted = {}, {}
    for method in methods_of(line):
        for role in STAFF_ROLES:
            if role in ALLOWED[line]:
                continue
            got[method, role] = ask(matrix, role, method, template)[0].status_code
            wanted[method, role] = refused_with(line, method, role)
    assert got == wanted
