"""网上投票快速通道 — ``POST /api/online/{round}/ballots`` goes straight to its handler, past the router, as
the tablet's ballots do (web/platform/lanes.py says why and how: the session, the security headers and the
errors stay exactly the app's). The router tried about a hundred routes before this one."""

from __future__ import annotations

from starlette.types import ASGIApp

from web.platform.lanes import Lane
from web.public import online


def match(path: str) -> dict[str, str] | None:
    """``{"round_key": …}`` for ``/api/online/{round_key}/ballots`` (the route's ``[^/]+``), else None."""
    parts = path.split("/")
    if len(parts) == 5 and parts[1:3] == ["api", "online"] and parts[4] == "ballots" and parts[3]:
        return {"round_key": parts[3]}
    return None


class OnlineBallotLane(Lane):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, match, online.cast)
