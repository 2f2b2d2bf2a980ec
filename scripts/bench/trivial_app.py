"""The HTTP baselines, served exactly like the platform: a trivial Starlette JSON endpoint (ingestion) and a
trivial server-sent-event broadcast (fan-out: ``POST /api/broadcast`` sends one frame to every
``GET /events`` stream)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

viewers: set[asyncio.Queue[bytes]] = set()


async def echo(request: Request) -> JSONResponse:
    body = await request.body()
    return JSONResponse({"ok": True, "received": len(body)})


async def events(_request: Request) -> StreamingResponse:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    viewers.add(queue)

    async def stream() -> AsyncIterator[bytes]:
        try:
            yield b'data: {"position":0}\n\n'
            while True:
                yield await queue.get()
        finally:
            viewers.discard(queue)

    return StreamingResponse(stream(), media_type="text/event-stream")


async def broadcast(request: Request) -> JSONResponse:
    frame = b'data: {"position":' + (await request.body()).strip() + b"}\n\n"
    for queue in list(viewers):
        queue.put_nowait(frame)
    return JSONResponse({"viewers": len(viewers)})


app = Starlette(
    routes=[
        Route("/api/echo", echo, methods=["POST"]),
        Route("/events", events, methods=["GET"]),
        # the projector's address too: the production front's stream location applies to it
        # (tests/integration/test_nginx_config.py serves it through deploy/nginx/sanmin.conf)
        Route("/projector/{round_key}/events", events, methods=["GET"]),
        Route("/api/broadcast", broadcast, methods=["POST"]),
    ]
)
