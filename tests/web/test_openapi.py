"""接口说明 /openapi.json：OpenAPI 3，描述 /api 的每个操作，并列出每一个错误代码及其中文说明。"""

from __future__ import annotations

from evaluation import errors as domain
from intake.busy import Busy
from tests.web.conftest import Web
from web.platform import errors as web_errors
from web.platform import security


def test_the_document_describes_every_api_operation(web: Web) -> None:
    doc = web.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {
        "/api/state",
        "/api/ballots",
        "/api/suggestions",
        "/api/receipts/{code}",
        "/api/online/{round_key}/ballots",
    }
    cast = doc["paths"]["/api/ballots"]["post"]
    assert cast["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Ballot"
    }
    ballot = doc["components"]["schemas"]["Ballot"]
    assert ballot["required"] == ["department", "client_id", "choice"]
    assert ballot["properties"]["client_id"]["pattern"] == "^[A-Za-z0-9_-]{8,64}$"
    assert {"401", "403", "409", "413", "422"} <= set(cast["responses"])
    assert cast["security"] == [{"session": [], "csrf": []}]


STATUSES = {
    "not_found": 404,
    "invalid_input": 422,
    "round_locked": 409,
    "evaluation_over": 409,
    "results_not_locked": 409,
    "already_exists": 409,
    "window_closed": 409,
    "window_open": 409,
    "reason_required": 422,
    "not_in_sitting": 403,
    "invalid_choice": 422,
    "comment_too_long": 422,
    "invalid_credential": 401,
    "credential_revoked": 403,
    "ballot_voided": 409,
    "roster_rejected": 422,
    "roster_already_imported": 409,
    "component_rejected": 422,
    "busy": 503,
    "not_signed_in": 401,
    "forbidden": 403,
    "csrf_failed": 403,
    "too_many_attempts": 429,
    "too_many_submissions": 429,
    "not_ready": 503,
    "database_unavailable": 503,
    "too_few_returned": 409,
    "font_missing": 500,
    "not_published": 403,
    "opinion_refused": 409,
}
"""The HTTP status the API answers each refusal with: part of the tablet API, so a change here is a change
of interface."""


def test_every_refusal_code_is_listed_with_its_status_and_chinese_message(web: Web) -> None:
    codes = web.get("/openapi.json").json()["x-error-codes"]
    refusals = [
        domain.WindowNotOpen,
        domain.NotInSitting,
        domain.InvalidChoice,
        domain.CommentTooLong,
        domain.InvalidCredential,
        domain.CredentialRevoked,
        domain.BallotAlreadyVoided,
        domain.EvaluationOver,
        Busy,
        security.NotSignedIn,
        security.Forbidden,
        security.CsrfFailed,
        web_errors.TooManyAttempts,
        web_errors.TooManySubmissions,
        web_errors.NotReady,
    ]
    for cls in refusals:
        assert codes[cls.code]["message"] == cls.template
    assert {code: codes[code]["status"] for code in STATUSES} == STATUSES
    assert codes["window_closed"]["message"] == "「{department}」的评分已结束或尚未开始"
    assert codes["too_large"] == {"status": 413, "message": "提交的内容太大"}
    assert codes["bad_request"]["status"] == 400
    error = web.get("/openapi.json").json()["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["properties"]["code"]["enum"] == list(codes)
