"""代表评议 — the representative's tablet or phone: their sitting's departments, one big button per level.

``GET /r`` renders the page (it works on its own once loaded: web/tablet/static/tablet.js queues ballots in the
browser's storage and sends them when the network allows). ``GET /r/events`` streams the round's window
states (opened / closed) so the page follows the agenda without reloading: the current states first, then
each change; once it has spoken, an ``/api/state`` answer asked before its latest message may be older than
that message, and the page does not take its windows. 「交还平板」 or ``IDLE_MINUTES`` without a touch
clears the representative's choices and drafts from the tablet and signs out (queued ballots are sent
first: web/tablet/static/handback.js).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import NotFound
from web.platform.security import require
from web.platform.sse import EventStream
from web.platform.templating import templates
from web.tablet.seat import end_if_card_replaced, load_seat, outbox_tag
from web.tablet.windows import KIND

ROLE = "representative"
IDLE_MINUTES = 20
"""A tablet untouched this long is handed back (web/tablet/static/handback.js): the representative's choices
and drafts are cleared from it and the session is ended, once every queued ballot is sent. Long enough for a
department's report (述职) between two windows."""


async def tablet_page(request: Request) -> Response:
    who = require(request, ROLE)
    seat = await load_seat(request, who)
    tag = outbox_tag(request.app.state.settings.secret, who)
    context = {"seat": seat, "tag": tag, "idle_minutes": IDLE_MINUTES}
    return templates.TemplateResponse(request, "tablet/page.html", context)


async def window_events(request: Request) -> Response:
    who = require(request, ROLE)
    await end_if_card_replaced(request, who)
    feeds = request.app.state.feeds
    subscribed = await feeds.subscribe(KIND, who.round_key)
    if subscribed is None:
        raise NotFound(what="评议活动")
    return EventStream(feeds, KIND, *subscribed)


routes = [
    Route("/r", tablet_page, methods=["GET"]),
    Route("/r/events", window_events, methods=["GET"]),
]
