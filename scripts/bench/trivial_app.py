"""The HTTP baseline: a trivial Starlette JSON endpoint served exactly like the platform."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def echo(request: Request) -> JSONResponse:
    body = await request.body()
    return JSONResponse({"ok": True, "received": len(body)})


app = Starlette(routes=[Route("/api/echo", echo, methods=["POST"])])
