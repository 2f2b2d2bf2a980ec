"""拒绝的呈现 — a refusal becomes structured JSON under /api and a plain-Chinese page elsewhere."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from evaluation.errors import EvaluationError
from web.templating import templates

HTTP_MESSAGES = {
    400: ("bad_request", "请求格式有误"),
    401: ("not_signed_in", "请先登录"),
    403: ("forbidden", "您没有权限进行此操作"),
    404: ("not_found", "找不到该页面"),
    405: ("method_not_allowed", "不支持该操作"),
    413: ("too_large", "提交的内容太大"),
    422: ("invalid_input", "输入有误"),
    429: ("too_many_attempts", "尝试次数过多，请稍后再试"),
    500: ("server_error", "系统出错，请稍后重试"),
}


def refusal(request: Request, status: int, code: str, message: str, **extra: Any) -> Response:
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status)
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "code": code, "message": message}, status_code=status
    )


async def on_evaluation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EvaluationError)
    extra: dict[str, Any] = {}
    if problems := getattr(exc, "problems", None):
        extra["problems"] = [{"line": line, "message": msg} for line, msg in problems]
    return refusal(request, exc.status, exc.code, exc.message, **extra)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code, message = HTTP_MESSAGES.get(exc.status_code, ("error", "请求未能完成"))
    return refusal(request, exc.status_code, code, message)


async def on_server_error(request: Request, exc: Exception) -> Response:
    code, message = HTTP_MESSAGES[500]
    return refusal(request, 500, code, message)


def handlers() -> dict[Any, Any]:
    return {EvaluationError: on_evaluation_error, HTTPException: on_http_error, Exception: on_server_error}
