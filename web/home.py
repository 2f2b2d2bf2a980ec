"""首页 and 登录 — sign in with a credential code (or the QR code printed on the card)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.templating import templates


async def index(request: Request) -> Response:
    return templates.TemplateResponse(request, "index.html", {})


routes = [Route("/", index)]
