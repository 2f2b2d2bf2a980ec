"""代表评议接口 /api：状态、投票与改票（同一 client_id 只计一次）、留名建议，以及每一种拒绝的 JSON。"""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaluation.application import EvaluationApp
from evaluation.instrument import Criterion, Instrument
from tests.conftest import ORGANISER
from tests.web.conftest import Web


def ballot_events(app: EvaluationApp) -> list[str]:
    return [
        n.topic for n in app.recorder.select_notifications(start=1, limit=100_000) if ":Ballot." in n.topic
    ]


def refusal(response: object, status: int, code: str) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == code
    assert error["message"]
    return str(error["message"])


# --- who may call ------------------------------------------------------------------------------------


def test_anonymous_callers_are_told_to_sign_in(web: Web) -> None:
    refusal(web.get("/api/state"), 401, "not_signed_in")
    refusal(web.cast("fgw"), 401, "not_signed_in")
    refusal(web.client.post("/api/suggestions", json={}), 401, "not_signed_in")


def test_the_organiser_and_departments_cannot_use_the_representatives_api(web: Web) -> None:
    web.scan(web.commands.keys.organiser_code("r2026"))
    token = web.form_token()
    refusal(web.get("/api/state"), 403, "forbidden")
    refusal(web.cast("fgw", token=token), 403, "forbidden")
    web.scan(web.commands.issue_department_credential("r2026", "fgw", by=ORGANISER))
    refusal(web.cast("fgw", token=web.form_token()), 403, "forbidden")


def test_a_ballot_without_the_page_s_csrf_token_is_refused(web: Web) -> None:
    web.open("fgw")
    web.as_alice()
    refusal(web.cast("fgw"), 403, "csrf_failed")
    refusal(web.cast("fgw", token="forged-token"), 403, "csrf_failed")
    assert ballot_events(web.commands) == []


def test_a_representative_of_another_sitting_cannot_score_the_department(web: Web) -> None:
    web.open("kjj")
    token = web.as_alice()
    message = refusal(web.cast("kjj", token=token), 403, "not_in_sitting")
    assert "不在您参加的场次" in message


# --- casting -----------------------------------------------------------------------------------------


def test_a_ballot_in_an_open_window_gets_a_receipt_and_a_resend_counts_once(web: Web) -> None:
    web.open("fgw")
    token = web.as_alice()
    first = web.cast("fgw", "satisfied", token, client_id="tablet-0001", comment="服务很好")
    assert first.status_code == 200
    answer = first.json()
    assert answer["department"] == "fgw" and answer["resent"] is False
    assert len(answer["receipt"]) == 10
    again = web.cast("fgw", "satisfied", token, client_id="tablet-0001", comment="服务很好")
    assert again.json() == {**answer, "resent": True, "position": 0}
    assert len(ballot_events(web.commands)) == 1


def test_changing_a_ballot_while_the_window_is_open_supersedes_the_first(web: Web) -> None:
    web.open("fgw")
    token = web.as_alice()
    first = web.cast("fgw", "satisfied", token).json()["receipt"]
    second = web.cast("fgw", "dissatisfied", token).json()["receipt"]
    assert first != second
    web.sync()
    statuses = web.get(f"/api/state?receipts={first},{second}").json()["receipts"]
    assert statuses[first]["status"] == "superseded"
    assert statuses[second]["status"] == "counted"


def test_a_ballot_after_the_window_closed_is_refused_with_window_closed(web: Web) -> None:
    web.open("fgw")
    token = web.as_alice()
    web.commands.close_window("r2026", "fgw", by=ORGANISER)
    refusal(web.cast("fgw", token=token), 409, "window_closed")
    refusal(web.cast("swj", token=token), 409, "window_closed")


def test_a_criteria_instrument_takes_a_score_per_criterion(web: Web) -> None:
    criteria = Instrument(
        kind="criteria",
        levels=(),
        criteria=(Criterion("service", "服务态度", 10, Decimal(1)),),
    )
    web.commands.change_instrument("r2026", criteria, by=ORGANISER, reason="改为按指标打分")
    web.open("fgw")
    token = web.as_alice()
    refusal(web.cast("fgw", "scored", token, scores={"service": 11}), 422, "invalid_choice")
    assert web.cast("fgw", "scored", token, scores={"service": 9}).status_code == 200


# --- malformed input: 400 / 413 / 422, never 500 -------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{", 400, "bad_request"),
        (b"\xff\xfe", 400, "bad_request"),
        (b"[1, 2]", 422, "invalid_input"),
        (b'"text"', 422, "invalid_input"),
        (b'{"department": "fgw", "choice": "satisfied"}', 422, "invalid_input"),
        (b'{"department": 7, "client_id": "abcdefgh", "choice": "satisfied"}', 422, "invalid_input"),
        (b'{"department": "fgw", "client_id": "bad id!", "choice": "satisfied"}', 422, "invalid_input"),
        (b'{"department": "fgw", "client_id": "abcdefgh", "choice": "best"}', 422, "invalid_choice"),
        (
            b'{"department": "fgw", "client_id": "abcdefgh", "choice": "scored", "scores": [1]}',
            422,
            "invalid_input",
        ),
        (
            b'{"department": "fgw", "client_id": "abcdefgh", "choice": "satisfied", "comment": 5}',
            422,
            "invalid_input",
        ),
        (
            b'{"department": "fgw", "client_id": "abcdefgh", "choice": "satisfied", "scores": {"a": true}}',
            422,
            "invalid_input",
        ),
    ],
)
def test_malformed_ballots_are_refused_as_json_never_as_a_server_error(
    web: Web, body: bytes, status: int, code: str
) -> None:
    web.open("fgw")
    token = web.as_alice()
    answer = web.client.post(
        "/api/ballots", content=body, headers={"X-CSRF-Token": token, "Content-Type": "application/json"}
    )
    refusal(answer, status, code)


def test_an_oversized_body_is_refused_with_413(web: Web) -> None:
    token = web.as_alice()
    huge = b'{"comment": "' + b"x" * 40_000 + b'"}'
    refusal(web.client.post("/api/ballots", content=huge, headers={"X-CSRF-Token": token}), 413, "too_large")


def test_a_comment_over_the_limit_is_refused_by_the_domain_s_rule(web: Web) -> None:
    web.open("fgw")
    token = web.as_alice()
    message = refusal(web.cast("fgw", token=token, comment="意" * 2001), 422, "comment_too_long")
    assert "2000" in message


# --- state ---------------------------------------------------------------------------------------------


def test_state_shows_the_sitting_its_departments_windows_reports_and_the_choices(web: Web) -> None:
    web.commands.submit_report(
        "r2026", "fgw", "2025年工作报告", "推进重大项目建设", "全文", by="department:fgw"
    )
    web.open("fgw")
    web.as_alice()
    state = web.get("/api/state").json()
    assert state["round"] == {"key": "r2026", "title": "2026年度三民活动", "over": False, "published": False}
    assert state["representative"] == {
        "name": "李秀英",
        "sitting": "s1",
        "sitting_name": "第一场",
        "venue_name": "主会场",
    }
    assert [(d["key"], d["window"]) for d in state["departments"]] == [("fgw", "open"), ("swj", "pending")]
    assert state["departments"][0]["report"] == {"title": "2025年工作报告", "summary": "推进重大项目建设"}
    assert [lv["label"] for lv in state["instrument"]["levels"]] == ["满意", "比较满意", "基本满意", "不满意"]
    assert state["instrument"]["unknown_label"] == "不了解"
    assert "points" not in str(state["instrument"])


def test_state_reports_a_closed_window_as_closed(web: Web) -> None:
    web.open("fgw")
    web.commands.close_window("r2026", "fgw", by=ORGANISER)
    web.sync()
    web.as_alice()
    assert web.get("/api/state").json()["departments"][0]["window"] == "closed"


# --- signed suggestions ----------------------------------------------------------------------------------


def test_a_signed_suggestion_is_accepted_once_per_client_id(web: Web) -> None:
    token = web.as_alice()
    body = {"department": "fgw", "client_id": "sugg-0001", "text": "建议公开项目进度"}
    first = web.client.post("/api/suggestions", json=body, headers={"X-CSRF-Token": token})
    again = web.client.post("/api/suggestions", json=body, headers={"X-CSRF-Token": token})
    assert first.status_code == 200
    assert first.json() == again.json()
    assert first.json()["department"] == "fgw"


def test_a_signed_suggestion_posted_after_the_results_are_locked_is_refused_as_the_evaluation_being_over(
    web: Web,
) -> None:
    token = web.as_alice()  # an old page still showing the form, or the API itself
    web.commands.lock_results("r2026", by=ORGANISER)
    body = {"department": "fgw", "client_id": "sugg-late", "text": "建议公开项目进度"}
    answer = web.client.post("/api/suggestions", json=body, headers={"X-CSRF-Token": token})
    refusal(answer, 409, "evaluation_over")
    assert answer.json()["error"]["message"] == "本次评议已结束，不能再提交留名建议"


def test_signed_suggestions_are_refused_without_csrf_outside_the_sitting_or_empty(web: Web) -> None:
    token = web.as_alice()
    body = {"department": "fgw", "client_id": "sugg-0002", "text": "建议"}
    refusal(web.client.post("/api/suggestions", json=body), 403, "csrf_failed")
    headers = {"X-CSRF-Token": token}
    refusal(
        web.client.post("/api/suggestions", json={**body, "department": "kjj"}, headers=headers),
        403,
        "not_in_sitting",
    )
    refusal(
        web.client.post("/api/suggestions", json={**body, "text": " "}, headers=headers), 422, "invalid_input"
    )
