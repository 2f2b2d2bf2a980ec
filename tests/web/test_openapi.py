"""接口说明 /openapi.json：OpenAPI 3，描述 /api 的每个操作，并列出每一个错误代码及其中文说明。"""

from __future__ import annotations

from evaluation import errors as domain
from evaluation.voting import Busy
from tests.web.conftest import Web
from web.platform import errors as web_errors
from web.platform import security


def test_the_document_describes_every_api_operation(web: Web) -> None:
    doc = web.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/api/state", "/api/ballots", "/api/suggestions", "/api/receipts/{code}"}
    cast = doc["paths"]["/api/ballots"]["post"]
    assert cast["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Ballot"
    }
    ballot = doc["components"]["schemas"]["Ballot"]
    assert ballot["required"] == ["department", "client_id", "choice"]
    assert ballot["properties"]["client_id"]["pattern"] == "^[A-Za-z0-9_-]{8,64}$"
    assert {"401", "403", "409", "413", "422"} <= set(cast["responses"])
    assert cast["security"] == [{"session": [], "csrf": []}]


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
        Busy,
        security.NotSignedIn,
        security.Forbidden,
        security.CsrfFailed,
        web_errors.TooManyAttempts,
        web_errors.NotReady,
    ]
    for cls in refusals:
        assert codes[cls.code] == {"status": cls.status, "message": cls.template}
    assert codes["window_closed"]["message"] == "「{department}」的评分已结束或尚未开始"
    assert codes["too_large"] == {"status": 413, "message": "提交的内容太大"}
    assert codes["bad_request"]["status"] == 400
    error = web.get("/openapi.json").json()["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["properties"]["code"]["enum"] == list(codes)
