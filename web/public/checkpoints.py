"""签名检查点的公布 — the latest signed checkpoint of the event chain (storage/checkpoints.py), public.

``GET /checkpoints/latest.json`` gives the signed document itself, for anyone to keep: ``sanmin verify
--checkpoint FILE`` later holds the event history against it, so a tail deleted since is found. The
receipts page shows its position, length and time.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from evaluation.errors import NotFound
from web.public.reads import LATEST_CHECKPOINT


async def latest(request: Request) -> dict[str, Any] | None:
    table = f'"{request.app.state.commands.recorder.events_table_name}_checkpoints"'
    try:
        document = await request.app.state.reads.fetchval(LATEST_CHECKPOINT.format(table=table))
    except asyncpg.UndefinedTableError:  # no window has closed yet
        return None
    return document if isinstance(document, dict) else None


async def latest_json(request: Request) -> Response:
    document = await latest(request)
    if document is None:
        raise NotFound(what="签名检查点")
    return JSONResponse(document, headers={"Content-Disposition": "attachment; filename=checkpoint.json"})


routes = [Route("/checkpoints/latest.json", latest_json, methods=["GET"])]
