"""路径参数 — what a screen's URL path names: an id that is no UUID is a page not found, never an error page."""

from __future__ import annotations

from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request


def path_id(request: Request, name: str) -> UUID:
    """The id named in the path (an opinion, a ballot, a representative): one that is no UUID is not found."""
    try:
        return UUID(request.path_params[name])
    except ValueError:
        raise HTTPException(404) from None
