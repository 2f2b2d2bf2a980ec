"""修改代表信息 — the organiser corrects one representative (name, category, venue, sitting, phone), always
with a reason; the domain refuses a placement change once scoring has started, and says so on the form."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError
from evaluation.roster import Listed
from web.organiser.credentials import representative_of
from web.organiser.reads import ANY_WINDOW_OPENED
from web.platform.errors import status_of
from web.platform.forms import actor, back, flash, organiser, posted, render, round_row, text

FIELDS = ("name", "category", "venue", "sitting", "phone", "reason")


async def edit_page(request: Request, values: dict[str, Any] | None = None, status: int = 200) -> Response:
    who = organiser(request)
    rep = await representative_of(request, who.round_key)
    round_ = await round_row(request, who.round_key)
    shown = values or {f: rep[f] or "" for f in FIELDS if f != "reason"}
    started = bool(await request.app.state.reads.fetchval(ANY_WINDOW_OPENED, who.round_key))
    context = {"round": round_, "rep": rep, "values": shown, "started": started}
    return render(request, "organiser/representative_edit.html", context, status)


async def edit_form(request: Request) -> Response:
    return await edit_page(request)


async def edit(request: Request) -> Response:
    who = organiser(request)
    rep = await representative_of(request, who.round_key)
    form = await posted(request)
    values = {f: text(form, f) for f in FIELDS}
    try:
        await run_in_threadpool(
            request.app.state.commands.edit_representative,
            who.round_key,
            rep["representative_id"],
            Listed(
                values["name"],
                values["category"],
                values["venue"],
                values["sitting"],
                values["phone"] or None,
            ),
            actor(who),
            values["reason"],
        )
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return await edit_page(request, values, status_of(refusal.code))
    flash(request, f"已修改第 {rep['number']} 号代表「{values['name']}」的信息")
    return back(f"/organiser/representatives?q={rep['number']}")


routes = [
    Route("/organiser/representatives/{representative}/edit", edit_form),
    Route("/organiser/representatives/{representative}/edit", edit, methods=["POST"]),
]
