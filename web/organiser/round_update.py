"""用工作簿更新活动 — the organiser uploads the round's edited workbook before its first scoring window opens,
sees what would change (added / changed / removed, sheet by sheet) and confirms; confirming applies it all or
nothing. Once a window has opened the upload is refused with a plain message.

Between the preview and the confirmation the workbook waits in the file store (by its sha256, named in this
session only); the confirmation is refused if the round changed meanwhile, so what is applied is what was shown.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import partial
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError, InvalidInput
from web.organiser.reads import ANY_WINDOW_OPENED
from web.organiser.uploads import with_workbook
from web.platform.forms import actor, back, flash, organiser, posted, render, round_row, text
from workbook import changes_digest, update_from_workbook, workbook_changes
from workbook.opening import MAX_BYTES

PENDING = "workbook_update"
"""The session's key for the workbook last previewed: [its sha256, its file name]."""
SHA256 = re.compile(r"[0-9a-f]{64}")


async def update_page(request: Request, status: int = 200, **extra: Any) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    started = bool(await request.app.state.reads.fetchval(ANY_WINDOW_OPENED, who.round_key))
    context = {"round": round_, "started": started, "limit_mb": MAX_BYTES >> 20, **extra}
    return render(request, "organiser/workbook_update.html", context, status)


async def workbook_page(request: Request) -> Response:
    return await update_page(request)


async def preview(request: Request) -> Response:
    """Reads the workbook and lists what it would change; records nothing in the round."""
    who = organiser(request)
    commands = request.app.state.commands
    read = await with_workbook(
        request, "/organiser/workbook", update_page, partial(workbook_changes, commands, who.round_key)
    )
    if isinstance(read, Response):
        return read
    filename, data, changes = read
    sha = await run_in_threadpool(commands.files.put, data)
    request.session[PENDING] = [sha, filename]
    counts = Counter((c.sheet, c.kind) for c in changes)
    context = {
        "round": await round_row(request, who.round_key),
        "file": filename,
        "changes": changes,
        "counts": sorted(counts.items()),
        "applies": sum(1 for c in changes if c.applies),
        "sha": sha,
        "digest": changes_digest(changes),
    }
    return render(request, "organiser/workbook_preview.html", context)


async def apply(request: Request) -> Response:
    """Applies the previewed workbook, as shown, all or nothing."""
    who = organiser(request)
    form = await posted(request)
    sha, digest = text(form, "sha"), text(form, "digest")
    pending = request.session.get(PENDING)
    commands = request.app.state.commands
    try:
        if not SHA256.fullmatch(sha) or not isinstance(pending, list) or pending[0] != sha:
            raise InvalidInput("没有待确认的工作簿：请重新上传")
        data = await run_in_threadpool(commands.files.get, sha)
        if data is None:
            raise InvalidInput("没有待确认的工作簿：请重新上传")
        applied = await run_in_threadpool(
            update_from_workbook, commands, who.round_key, data, str(pending[1]), actor(who), digest
        )
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return back("/organiser/workbook")
    request.session.pop(PENDING, None)
    flash(request, f"已按工作簿「{pending[1]}」更新活动设置（{applied} 项）")
    return back("/organiser/readiness")


routes = [
    Route("/organiser/workbook", workbook_page),
    Route("/organiser/workbook", apply, methods=["POST"]),
    Route("/organiser/workbook/preview", preview, methods=["POST"]),
]
