"""Jinja2 templates (autoescaped: a comment holding HTML shows as text on every screen).

Every page gets ``csrf`` (the session's token, for forms and for the page's own JSON calls) and ``viewer``
(the signed-in principal, or None).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from web.platform import security


def _session_context(request: Request) -> dict[str, Any]:
    return {"csrf": security.csrf_token(request), "viewer": security.principal(request)}


templates = Jinja2Templates(
    directory=Path(__file__).parents[1] / "templates", context_processors=[_session_context]
)


def format_receipt(code: str) -> str:
    """回执码 as shown: two groups of five (ABCDE FGHJK); an older eight-character one as two of four."""
    return f"{code[: len(code) // 2]} {code[len(code) // 2 :]}" if len(code) in (8, 10) else code


templates.env.filters["receipt"] = format_receipt
