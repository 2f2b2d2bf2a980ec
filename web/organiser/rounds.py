"""活动工作簿 — a round's whole set-up as one .xlsx file, downloaded by its organiser or the administrator,
and uploaded by the platform's administrator to create a new round.

A refused workbook creates nothing: the page lists every problem by sheet, row and column, in the reader's
own Chinese (workbook/reader.py), with status 422.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import NotFound
from evaluation.keys import format_code
from web.organiser.reads import ALL_ROUNDS
from web.organiser.round_setup import LIMITS, PROBLEM
from web.organiser.uploads import with_workbook
from web.platform.forms import actor, administrator, render
from web.platform.security import ADMINISTRATOR, require
from workbook import export_workbook, import_workbook
from workbook.opening import MAX_BYTES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def rounds_page(request: Request, status: int = 200, **context: Any) -> Response:
    await administrator(request)
    rows = await request.app.state.reads.fetch(ALL_ROUNDS)
    problem = request.session.pop(PROBLEM, None)  # a refused 新建评议活动 (round_setup_forms.create_round)
    context = {"rounds": rows, "limit_mb": MAX_BYTES >> 20, "problem": problem, "limits": LIMITS, **context}
    return render(request, "organiser/rounds.html", context, status)


async def rounds(request: Request) -> Response:
    return await rounds_page(request)


async def create_round(request: Request) -> Response:
    """Creates the round the uploaded workbook describes, all or nothing."""
    who = await administrator(request)
    commands = request.app.state.commands
    made = await with_workbook(
        request,
        "/organiser/rounds",
        rounds_page,
        lambda data, filename: import_workbook(commands, data, filename, actor(who)),
    )
    if isinstance(made, Response):
        return made
    filename, _, (key, code) = made
    context = {"key": key, "code": format_code(code), "file": filename}
    return render(request, "organiser/round_created.html", context)


async def workbook(request: Request) -> Response:
    """The round's workbook: for its organiser, or the administrator; another round's is not found."""
    who = require(request, "organiser", ADMINISTRATOR)
    key = request.path_params["round_key"]
    if who.role == ADMINISTRATOR:
        await administrator(request)
    elif who.round_key != key:
        raise NotFound(what=f"评议活动「{key}」")
    data = await run_in_threadpool(export_workbook, request.app.state.commands, key)
    name = quote(f"{key}-活动工作簿.xlsx")
    disposition = f"attachment; filename=round-workbook.xlsx; filename*=UTF-8''{name}"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": disposition})


routes = [
    Route("/organiser/rounds", rounds),
    Route("/organiser/rounds", create_round, methods=["POST"]),
    Route("/organiser/rounds/{round_key}/workbook.xlsx", workbook),
]
