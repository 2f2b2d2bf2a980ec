"""坏参数 — a request whose path or query string carries a NUL byte is refused before any handler.

PostgreSQL's text cannot hold U+0000: a NUL reaching a read-model query as a parameter makes asyncpg
fail, which would be a server error. Refused here for every route at once (a 400 page in plain Chinese,
or the API's ``bad_request`` JSON), at the cost of two byte searches per request. Other values a query
cannot take (a number out of range, a text the database cannot convert) are answered 400 by the app's
exception handlers (web/platform/errors.py).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from web.platform import errors


def carries_nul(scope: Scope) -> bool:
    query: bytes = scope.get("query_string", b"")
    return "\x00" in scope["path"] or b"%00" in query or b"\x00" in query


class RefuseBadInput:
    """Pure ASGI middleware; placed inside the session middleware (the error page may read the session)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and carries_nul(scope):
            code, message = errors.HTTP_MESSAGES[400]
            response = errors.refusal(Request(scope, receive), 400, code, message)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
