"""``GET /openapi.json`` — the tablet API described in OpenAPI 3.1, with every refusal code.

The error codes are gathered from the classes themselves (every EvaluationError subclass: the domain's,
the web's) and from the HTTP protocol errors, so the list cannot drift from what the server answers.
A message's ``{placeholders}`` are filled in from the facts of the refusal.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from evaluation.errors import EvaluationError
from intake import busy  # noqa: F401 - defines Busy
from web.platform import errors, security  # noqa: F401 - define the web's refusals
from web.platform.openapi_schemas import operation, schemas


def _subclasses(cls: type[EvaluationError]) -> list[type[EvaluationError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def error_codes() -> dict[str, dict[str, Any]]:
    """Every code the server may answer with: its HTTP status and its Chinese message."""
    codes: dict[str, dict[str, Any]] = {}
    for cls in _subclasses(EvaluationError):
        codes.setdefault(cls.code, {"status": errors.status_of(cls.code), "message": cls.template})
    for status, (code, message) in errors.HTTP_MESSAGES.items():
        codes.setdefault(code, {"status": status, "message": message})
    return dict(sorted(codes.items()))


def document() -> dict[str, Any]:
    codes = error_codes()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "三民评议 — 代表评议接口",
            "version": "1",
            "description": '代表的平板/手机页面所用接口。拒绝一律返回 {"error": {"code", "message"}}，'
            "code 稳定不变，message 为中文说明；全部代码见 x-error-codes。",
        },
        "paths": {
            "/api/state": {"get": operation("state")},
            "/api/ballots": {"post": operation("cast")},
            "/api/suggestions": {"post": operation("suggest")},
            "/api/receipts/{code}": {"get": operation("receipt")},
            "/api/online/{round_key}/ballots": {"post": online_cast()},
        },
        "components": {
            "schemas": schemas(list(codes)),
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "sanmin"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
            },
        },
        "x-error-codes": codes,
    }


def online_cast() -> dict[str, Any]:
    """网络评议 (web/public/online.py): the tablet's ballot, for a citizen signed in online to the round."""
    round_key = {"name": "round_key", "in": "path", "required": True, "schema": {"type": "string"}}
    summary = "网络评议：网上投票或改票（同一 client_id 重发只计一次；须以邀请链接或验证手机登录本活动）"
    return {**operation("cast"), "summary": summary, "parameters": [round_key]}


async def openapi_json(request: Request) -> Response:
    return JSONResponse(document())


routes = [Route("/openapi.json", openapi_json, methods=["GET"])]
