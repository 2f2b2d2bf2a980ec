"""快速通道 — one POST path straight to its handler, past the router, for the requests sent thousands of
times a minute (the tablet's ballots, web/tablet/ballot_lane.py; the online citizens', web/public/online_lane.py).

At 2,000 tablets the web process is busy most of the time and most of that is Starlette around the
handler: the exception middleware, the router trying each route, the route's request wrapper and
exception wrapper again. A lane is an ASGI middleware placed inside the session middleware (so the session,
the security headers and the server-error handling stay exactly the app's): for its path it calls the
endpoint itself, with the path's parameters as the router would give them, and answers its exceptions with
the app's own handlers (``web.platform.errors.handlers``), found as Starlette's exception middleware finds
them. Anything no handler of ours takes goes up to the server-error middleware, as it would from the router.
Every other request passes through untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from web.platform import errors

Endpoint = Callable[[Request], Awaitable[Response]]
Match = Callable[[str], dict[str, str] | None]
"""A path's parameters if it is the lane's path (``{}`` for a path without any), else None."""


class Lane:
    """``POST`` to the paths ``match`` accepts, answered by ``endpoint`` past the router."""

    def __init__(self, app: ASGIApp, match: Match, endpoint: Endpoint) -> None:
        self.app = app
        self.match = match
        self.endpoint = endpoint
        handlers = errors.handlers()
        self.handlers = {cls: handler for cls, handler in handlers.items() if cls is not Exception}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        params = self.match(scope["path"]) if scope["type"] == "http" and scope["method"] == "POST" else None
        if params is None:
            await self.app(scope, receive, send)
            return
        scope["path_params"] = params
        request = Request(scope, receive, send)
        try:
            response = await self.endpoint(request)
        except Exception as exc:
            response = await self._answer(request, exc)
        await response(scope, receive, send)

    async def _answer(self, request: Request, exc: Exception) -> Response:
        handler: Any = next((self.handlers[c] for c in type(exc).__mro__ if c in self.handlers), None)
        if handler is None:
            raise exc  # to the server-error middleware: logged, answered 500
        response: Response = await handler(request, exc)
        return response
