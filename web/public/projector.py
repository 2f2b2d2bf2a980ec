"""大屏 — the projector of a round: public, full screen, live without reloads.

``GET /projector/{round_key}`` renders the page with the current board; ``GET /projector/{round_key}/events``
streams the board as server-sent events, one snapshot per change of the round (web/platform/feeds.py), the same
bytes to every screen. Each snapshot is JSON — the public status (web/public/status.py) plus the board's
HTML rendered once, and the event position it reflects (``position``, so a client can tell how fresh it
is) — and holds no score before the organiser reveals the results.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import NotFound
from web.platform.database import ReadModels
from web.platform.feeds import Builder
from web.platform.stream_caps import CappedStream, StreamCaps, client_of
from web.platform.templating import templates
from web.public.status import Status, projector_status

KIND = "projector"


def board_html(status: Status) -> str:
    return templates.get_template("projector/board.html").render(status=status)


def builders(reads: ReadModels) -> dict[str, Builder]:
    """The projector's live feed (web/platform/feeds.py): the board."""

    async def projector(round_key: str) -> str | None:
        status = await projector_status(reads, round_key)
        if status is None:
            return None
        return json.dumps({**status, "html": board_html(status)}, ensure_ascii=False, separators=(",", ":"))

    return {KIND: projector}


async def projector_page(request: Request) -> Response:
    round_key = request.path_params["round_key"]
    text = await request.app.state.feeds.snapshot(KIND, round_key)
    if text is None:
        raise NotFound(what=f"评议活动「{round_key}」")
    status = json.loads(text)
    return templates.TemplateResponse(
        request, "projector/page.html", {"status": status, "board": status["html"], "round_key": round_key}
    )


async def projector_events(request: Request) -> Response:
    round_key = request.path_params["round_key"]
    feeds, client = request.app.state.feeds, client_of(request)
    caps: StreamCaps = request.app.state.stream_caps
    if refused := caps.refusal(client):
        return refused
    try:
        subscribed = await feeds.subscribe(KIND, round_key)
    except BaseException:
        caps.release(client)
        raise
    if subscribed is None:
        caps.release(client)
        raise NotFound(what=f"评议活动「{round_key}」")
    return CappedStream(feeds, KIND, *subscribed).hold(caps, client)


routes = [
    Route("/projector/{round_key}", projector_page, methods=["GET"]),
    Route("/projector/{round_key}/events", projector_events, methods=["GET"]),
]
