"""Jinja2 templates (autoescaped: a comment holding HTML shows as text on every screen).

Every page gets ``csrf`` (the session's token, for forms and for the page's own JSON calls), ``viewer``
(the signed-in principal, or None) and ``writes``: whether the viewer may change anything at all
(``security.writes``; false for a 监督员), the one thing a page asks before showing a form that changes something.

Each package of web/ keeps its pages in its own ``templates/`` folder, in sub-folders of its own
(web/organiser/templates/organiser/agenda.html is ``organiser/agenda.html``); the layouts every page
extends (``base.html``, ``error.html``) are the platform's. One loader searches them all; no name repeats.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from evaluation.round_day import ROUND_ZONE
from web.platform import security


def _session_context(request: Request) -> dict[str, Any]:
    viewer = security.principal(request)
    return {"csrf": security.csrf_token(request), "viewer": viewer, "writes": security.writes(viewer)}


WEB = Path(__file__).parents[1]


def folders(name: str) -> list[Path]:
    """Every package's ``name`` folder (``templates``, ``static``), the platform's first."""
    return sorted(WEB.glob(f"*/{name}"), key=lambda folder: (folder.parent.name != "platform", folder))


templates = Jinja2Templates(directory=folders("templates"), context_processors=[_session_context])


def format_receipt(code: str) -> str:
    """回执码 as shown: two groups of five (ABCDE FGHJK); an older eight-character one as two of four."""
    return f"{code[: len(code) // 2]} {code[len(code) // 2 :]}" if len(code) in (8, 10) else code


templates.env.filters["receipt"] = format_receipt


def file_size(size: Any) -> str:
    """A file's size as people read it (KB below 1 MB)."""
    if not isinstance(size, int) or size <= 0:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


MINUTE, SECOND, CLOCK = "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%H:%M"
"""How a screen writes a Beijing time: to the minute (most pages), to the second (history, trail), or the clock."""


def local_time(at: Any, pattern: str = MINUTE) -> str:
    """A moment (or its ISO text, as a read model's JSON keeps it) as the round's people read it: Beijing
    time, whatever the server's zone; "" for what is no moment."""
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            return ""
    return at.astimezone(ROUND_ZONE).strftime(pattern) if isinstance(at, datetime) else ""


templates.env.filters["filesize"] = file_size
templates.env.filters["localtime"] = local_time
