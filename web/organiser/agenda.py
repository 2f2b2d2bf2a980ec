"""议程 — the organiser's running order: each sitting's departments, their scoring windows and turnout,
with the buttons that open, close and reopen (with a reason) a department's window. Closing a sitting's last
open window ends the sitting and its representatives' sessions."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.organiser.reads import by_department, department_name, department_names
from web.platform.forms import actor, attempt, back, organiser, posted, render, round_row, text
from web.platform.sittings import sitting_label, sittings_in_order


def window_state(window: Any) -> str:
    """未开始 / 评分中 / 已结束 — as the read model last saw it."""
    if window is None or window["openings"] == 0:
        return "idle"
    return "open" if window["is_open"] else "closed"


async def agenda(request: Request) -> Response:
    who = organiser(request)
    reads = request.app.state.reads
    round_ = await round_row(request, who.round_key)
    names = await department_names(reads, who.round_key)
    windows = await by_department(reads, "windows_view", who.round_key)
    results = await by_department(reads, "results_view", who.round_key)
    sittings = [
        {
            "key": key,
            "label": sitting_label(sitting),
            "items": [
                {
                    "key": dept,
                    "name": names.get(dept, dept),
                    "state": window_state(windows.get(dept)),
                    "openings": windows[dept]["openings"] if dept in windows else 0,
                    "eligible": results[dept]["eligible"] if dept in results else 0,
                    "returned": results[dept]["returned"] if dept in results else 0,
                }
                for dept in sitting["agenda"]
            ],
        }
        for key, sitting in sittings_in_order(round_)
    ]
    context = {"round": round_, "sittings": sittings}
    return render(request, "organiser/agenda.html", context)


DONE = {"open": "已开始「{}」的评分", "close": "已结束「{}」的评分", "reopen": "已重新开始「{}」的评分"}


async def change_window(request: Request) -> Response:
    """开始 / 结束 / 重新开始（须填写原因）— the domain refuses a change that does not apply."""
    who = organiser(request)
    dept, change = request.path_params["department"], request.path_params["change"]
    if change not in DONE:
        raise HTTPException(404)
    form = await posted(request)
    commands = request.app.state.commands
    done = DONE[change].format(await department_name(request.app.state.reads, who.round_key, dept))
    if change == "reopen":
        reason = text(form, "reason")
        changed = await attempt(
            request, done, commands.reopen_window, who.round_key, dept, actor(who), reason
        )
    elif change == "open":
        changed = await attempt(request, done, commands.open_window, who.round_key, dept, actor(who))
    elif changed := await attempt(request, done, commands.close_window, who.round_key, dept, actor(who)):
        await end_sitting_if_over(request, who.round_key, dept, actor(who))
    # back to the row once done; a refusal's message is at the page's top, which the row's anchor scrolls away
    return back(f"/organiser#dept-{dept}" if changed else "/organiser")


async def end_sitting_if_over(request: Request, round_key: str, dept: str, by: str) -> None:
    """散会: the close of a sitting's last open window ends its representatives' sessions (a tablet left
    signed in after the sitting takes nothing more; to rate an answer later they sign in again)."""
    sitting = await run_in_threadpool(request.app.state.commands.sitting_over, round_key, dept)
    if sitting is not None:
        await request.app.state.representative_sessions.end_sitting(round_key, sitting, by)


routes = [
    Route("/organiser", agenda),
    Route("/organiser/windows/{department}/{change:str}", change_window, methods=["POST"]),
]
