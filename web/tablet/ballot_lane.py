"""投票快速通道 — ``POST /api/ballots`` goes straight to its handler, past the router (web/platform/lanes.py
says why and how: the session, the security headers and the errors stay exactly the app's)."""

from __future__ import annotations

from starlette.types import ASGIApp

from web.platform.lanes import Lane
from web.tablet import api

PATH = "/api/ballots"


def _match(path: str) -> dict[str, str] | None:
    return {} if path == PATH else None


class BallotLane(Lane):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, _match, api.cast)
