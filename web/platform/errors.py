"""拒绝的呈现 — a refusal becomes structured JSON under /api and a plain-Chinese page elsewhere.

Every JSON refusal is ``{"error": {"code", "message"}}`` with a stable code: the domain's codes
(evaluation/errors.py), the ballot writer's ``busy`` (intake/busy.py), the web's own below and in
web/platform/security.py, and HTTP_MESSAGES for protocol errors. ``STATUS`` gives each refusal's HTTP status.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from evaluation.errors import CredentialRevoked, EvaluationError
from web.platform.security import NotSignedIn, sign_out
from web.platform.templating import templates

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: ("bad_request", "请求格式有误"),
    401: ("not_signed_in", "请先登录"),
    403: ("forbidden", "您没有权限进行此操作"),
    404: ("not_found", "找不到该页面"),
    405: ("method_not_allowed", "不支持该操作"),
    413: ("too_large", "提交的内容太大"),
    415: ("unsupported_media_type", "请求内容的格式不受支持"),
    422: ("invalid_input", "输入有误"),
    429: ("too_many_attempts", "尝试次数过多，请稍后再试"),
    500: ("server_error", "系统出错，请稍后重试"),
}


STATUS = {
    "not_found": 404,
    "invalid_input": 422,
    "reason_required": 422,
    "reason_too_long": 422,
    "invalid_choice": 422,
    "comment_too_long": 422,
    "roster_rejected": 422,
    "plan_rejected": 422,
    "workbook_rejected": 422,
    "component_rejected": 422,
    "upload_too_heavy": 413,
    "invalid_credential": 401,
    "not_signed_in": 401,
    "not_in_sitting": 403,
    "not_checked_in": 403,
    "credential_revoked": 403,
    "account_disabled": 403,
    "shared_code_retired": 403,
    "forbidden": 403,
    "outside_venue": 403,
    "csrf_failed": 403,
    "not_published": 403,
    "too_many_attempts": 429,
    "too_many_submissions": 429,
    "font_missing": 500,
    "busy": 503,
    "not_ready": 503,
    "database_unavailable": 503,
}
"""The HTTP status of each refusal, by its code; any other code is a conflict with the round's state
(a closed window, a locked round, a ballot already voided): 409."""
CONFLICT = 409


def status_of(code: str) -> int:
    return STATUS.get(code, CONFLICT)


class TooManyAttempts(EvaluationError):
    code, template = "too_many_attempts", "登录失败次数过多，请 {wait}后再试"


class TooManySubmissions(EvaluationError):
    code, template = "too_many_submissions", "提交太频繁，请 {seconds} 秒后再试"


class NotReady(EvaluationError):
    code, template = "not_ready", "系统正在准备数据，请稍后刷新"


class NotPublished(EvaluationError):
    """评议结果尚未发布 — what every public results download (signed.json, audit.zip, notice.pdf) answers before
    publication: 403, the same code whatever the file (each may say which file it is)."""

    code, template = "not_published", "评议结果尚未发布"


class DatabaseUnavailable(EvaluationError):
    code, template = "database_unavailable", "数据库暂时连不上，请稍后重试（评分不会重复计算）"


DATABASE_GONE = (
    OperationalError,  # the event store's connection was cut, refused, or timed out
    psycopg.OperationalError,  # the same, met while a ballot writer opens its connections
    InterfaceError,
    asyncpg.PostgresConnectionError,  # the read models' connection
    asyncpg.OperatorInterventionError,  # the server is shutting down or starting up
    ConnectionError,  # nothing listens (PostgreSQL not yet back)
)
"""Failures of the database's availability, not of the request: answered 503 so the tablet sends again."""


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def refusal(request: Request, status: int, code: str, message: str, **extra: Any) -> Response:
    headers = {"Retry-After": str(extra.pop("retry_after"))} if "retry_after" in extra else None
    if is_api(request):
        body = {"error": {"code": code, "message": message, **extra}}
        return JSONResponse(body, status_code=status, headers=headers)
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": message},
        status_code=status,
        headers=headers,
    )


async def on_evaluation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EvaluationError)
    if isinstance(exc, CredentialRevoked):
        sign_out(request)  # the card was replaced or revoked: this session is over
    if isinstance(exc, NotSignedIn) and request.method == "GET" and not is_api(request):
        return RedirectResponse("/login", status_code=303)
    extra: dict[str, Any] = {}
    if problems := getattr(exc, "problems", None):
        extra["problems"] = [{"line": line, "message": msg} for line, msg in problems]
    if "seconds" in exc.facts:
        extra["retry_after"] = exc.facts["seconds"]
    return refusal(request, status_of(exc.code), exc.code, exc.message, **extra)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code, message = HTTP_MESSAGES.get(exc.status_code, ("error", "请求未能完成"))
    return refusal(request, exc.status_code, code, message)


async def on_views_missing(request: Request, exc: Exception) -> Response:
    """The projection has not created the read models yet (the first seconds after a fresh start)."""
    refused = NotReady()
    return refusal(request, status_of(refused.code), refused.code, refused.message, retry_after=5)


async def on_bad_value(request: Request, exc: Exception) -> Response:
    """A value the database cannot take as a query's parameter (a number out of range, a text it
    cannot convert): the request's fault, never a server error."""
    code, message = HTTP_MESSAGES[400]
    return refusal(request, 400, code, message)


async def on_database_unavailable(request: Request, exc: Exception) -> Response:
    """PostgreSQL restarting or out of reach: the caller may send the same request again (ballots are
    exactly once by client id), so it is told to retry rather than shown a server error."""
    log.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc)
    refused = DatabaseUnavailable()
    return refusal(request, status_of(refused.code), refused.code, refused.message, retry_after=2)


async def on_server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    code, message = HTTP_MESSAGES[500]
    return refusal(request, 500, code, message)


def handlers() -> dict[Any, Any]:
    return {
        EvaluationError: on_evaluation_error,
        HTTPException: on_http_error,
        asyncpg.UndefinedTableError: on_views_missing,
        asyncpg.DataError: on_bad_value,
        **dict.fromkeys(DATABASE_GONE, on_database_unavailable),
        Exception: on_server_error,
    }
