"""部门登录码 — the round's departments (group, head, whether their report is in) and issuing each one
its shared sign-in code; a new code replaces the old one and is shown once. A department with a personal
部门工作人员 account has its shared code retired (web/platform/shared_codes.py): the page says so and offers
no new one."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError
from evaluation.keys import format_code
from web.organiser.reads import DEPARTMENT, DEPARTMENTS
from web.platform.forms import actor, back, flash, found, organiser, posted, render, round_row


async def departments(request: Request) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    rows = await request.app.state.reads.fetch(DEPARTMENTS, who.round_key)
    retired = await run_in_threadpool(request.app.state.commands.departments_with_staff, who.round_key)
    return render(request, "organiser/departments.html", {"round": round_, "rows": rows, "retired": retired})


async def issue_credential(request: Request) -> Response:
    who = organiser(request)
    await posted(request)
    row = await request.app.state.reads.fetchrow(DEPARTMENT, who.round_key, request.path_params["department"])
    dept = found(row, "部门")
    try:
        code = await run_in_threadpool(
            request.app.state.commands.issue_department_credential,
            who.round_key,
            dept["department"],
            actor(who),
        )
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return back("/organiser/departments")
    context = {"round": await round_row(request, who.round_key), "dept": dept, "code": format_code(code)}
    return render(request, "organiser/department_code.html", context)


routes = [
    Route("/organiser/departments", departments),
    Route("/organiser/departments/{department}/credential", issue_credential, methods=["POST"]),
]
