"""接口模糊测试：schemathesis 依 /openapi.json 为每个操作生成合法与不合法的请求（匿名、代表带 CSRF、组织方），
发给真实的应用（真实数据库、投影在运行、窗口已开）：绝无 5xx，回应的状态码、内容类型与结构都符合接口说明，
不合法的请求一律被拒绝。"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.applications import Starlette

from evaluation.application import EvaluationApp
from projections.runner import Projector
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from web.app import create_app

EXAMPLES = 25
"""Per operation, per generation mode, per caller: 4 operations x 2 modes x 25 = up to 200 requests each."""

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
FORM_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CHOICES = ["satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied", "unknown"]


@dataclass
class Served:
    application: Starlette
    schema: schemathesis.BaseSchema
    commands: EvaluationApp
    round: SmallRound
    projector: Projector


@pytest.fixture
def served(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> Iterator[Served]:
    """The real app on the test schema, both windows of sitting s1 open, the projection running."""
    for department in ("fgw", "swj"):
        app.open_window(small_round.key, department, by=ORGANISER)
    with Projector(settings) as projector:
        projector.catch_up(timeout=30)
        application = create_app(settings)
        try:
            schema = schemathesis.openapi.from_asgi("/openapi.json", application)
            yield Served(application, schema, app, small_round, projector)
        finally:
            asgi.shutdown_lifespans()


@dataclass
class Caller:
    """What a signed-in page sends with each call: its session cookie and its CSRF header."""

    cookies: dict[str, str]
    headers: dict[str, str]


def scan(client: Any, code: str) -> None:
    """As the card's QR code does: the page holding the code POSTs it with its CSRF token."""
    token = FORM_CSRF.search(client.get("/login", params={"code": code}).text)
    assert token is not None
    answer = client.post("/login", data={"code": code, "csrf": token.group(1)}, allow_redirects=False)
    assert answer.status_code == 303, answer.text


def signed_in(served: Served, role: str) -> Caller:
    if role == "anonymous":
        return Caller({}, {})
    client = asgi.get_client(served.application)
    if role == "representative":
        scan(client, served.round.alice_code)
        token = META_CSRF.search(client.get("/r").text)
    else:
        scan(client, served.commands.keys.organiser_code(served.round.key))
        token = FORM_CSRF.search(client.get("/login").text)
    assert token is not None
    return Caller({"sanmin": client.cookies["sanmin"]}, {"X-CSRF-Token": token.group(1)})


def aimed(case: schemathesis.Case, department: str, choice: str) -> schemathesis.Case:
    """A generated valid body, sent to one of the sitting's open departments with one of its choices (so
    generated comments and suggestion texts are accepted and recorded, not just refused)."""
    case.body = {**case.body, "department": department}
    if "choice" in case.body:
        case.body["choice"] = choice
    return case


def strategy_for(
    operation: schemathesis.APIOperation, mode: GenerationMode, caller: Caller, aim: bool
) -> st.SearchStrategy[schemathesis.Case]:
    cases = operation.as_strategy(generation_mode=mode, cookies=caller.cookies, headers=caller.headers)
    if not aim:
        return cases
    return st.builds(aimed, cases, st.sampled_from(["fgw", "swj"]), st.sampled_from(CHOICES))


def exercise(
    operation: schemathesis.APIOperation,
    mode: GenerationMode,
    client: asgi.ASGIClient,
    caller: Caller,
    statuses: Counter[int],
    aim: bool = False,
) -> None:
    """Up to EXAMPLES generated requests of one operation in one mode; each response passes the checks."""
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])
    strategy = strategy_for(operation, mode, caller, aim)

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def call(case: schemathesis.Case) -> None:
        client.cookies.clear()  # the case carries the caller's cookie, or none
        response = case.call(session=client)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=checks)

    try:
        call()
    except Unsatisfiable:
        # GET /api/state and GET /api/receipts/{code} take only free text: no input breaks their schema
        assert mode is GenerationMode.NEGATIVE and operation.method == "get", operation.label
        print(f"\nno invalid input exists for {operation.label}")


def fuzz(served: Served, role: str) -> Counter[int]:
    """Every operation, valid and invalid input. Returns how often each status was answered."""
    caller = signed_in(served, role)
    statuses: Counter[int] = Counter()
    with asgi.get_client(served.application) as client:
        for result in served.schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                exercise(operation, mode, client, caller, statuses)
            if operation.method == "post":
                exercise(operation, GenerationMode.POSITIVE, client, caller, statuses, aim=True)
    print(
        f"\nschemathesis {role}: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}"
    )
    return statuses


@pytest.mark.parametrize("role", ["anonymous", "representative", "organiser"])
def test_no_generated_request_gets_a_server_error_or_an_undocumented_answer(
    served: Served, role: str
) -> None:
    statuses = fuzz(served, role)
    assert sum(statuses.values()) >= 4 * EXAMPLES
    assert not any(status >= 500 for status in statuses), statuses
    served.projector.catch_up(timeout=60)  # every accepted ballot and suggestion is projected too
