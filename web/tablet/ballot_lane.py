"""投票快速通道 — ``POST /api/ballots`` goes straight to its handler, past the router.

At 2,000 tablets the web process is busy most of the time and most of that is Starlette around the
handler: the exception middleware, the router trying each route, the route's request wrapper and
exception wrapper again. For the one request the hall sends thousands of times a minute this ASGI
middleware, placed inside the session middleware (so the session, the security headers and the
server-error handling stay exactly the app's), calls ``web.tablet.api.cast`` itself and answers its exceptions
with the app's own handlers (``web.platform.errors.handlers``), found as Starlette's exception middleware finds
them. Anything no handler of ours takes goes up to the server-error middleware, as it would from the router.
Every other request passes through untouched.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from web.platform import errors
from web.tablet import api

PATH = "/api/ballots"


class BallotLane:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        handlers = errors.handlers()
        self.handlers = {cls: handler for cls, handler in handlers.items() if cls is not Exception}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)
        try:
            response = await api.cast(request)
        except Exception as exc:
            response = await self._answer(request, exc)
        await response(scope, receive, send)

    async def _answer(self, request: Request, exc: Exception) -> Response:
        handler: Any = next((self.handlers[c] for c in type(exc).__mro__ if c in self.handlers), None)
        if handler is None:
            raise exc  # to the server-error middleware: logged, answered 500
        response: Response = await handler(request, exc)
        return response
