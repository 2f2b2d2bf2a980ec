"""述职报告 — the organiser sees every department's report (submitted or not, which revision, by whom and
when), submits or revises one on a department's behalf (recorded as 代为提交), downloads any revision's
attachment, and opens or closes the round's reports for public pre-reading (公开预读)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError
from web.organiser.reads import PRE_READING_SEEN, REPORT_DEPARTMENT, REPORT_STATES
from web.platform.forms import actor, attempt, back, flash, found, organiser, posted, render, round_row, text
from web.platform.people import named
from web.platform.reads import REPORT_REVISION_SEEN
from web.platform.report_files import revision_pdf
from web.platform.report_form import refused, report_context, report_form, seen, too_large

PAGE = "/organiser/reports"


async def reports(request: Request) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    states = await request.app.state.reads.fetch(REPORT_STATES, who.round_key)
    staff = await run_in_threadpool(request.app.state.commands.staff_by_actor)
    rows = [{**dict(r), "who": named(r["actor"], staff) if r["actor"] else ""} for r in states]
    submitted = sum(1 for r in rows if r["report"])
    context = {"round": round_, "rows": rows, "submitted": submitted}
    return render(request, "organiser/reports.html", context)


async def department_report(
    request: Request, draft: dict[str, Any] | None = None, status: int = 200, problem: str = ""
) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    key = request.path_params["department"]
    dept = found(await request.app.state.reads.fetchrow(REPORT_DEPARTMENT, who.round_key, key), "部门")
    context = await report_context(request, round_, key, dept, draft, problem)
    return render(request, "organiser/report.html", context, status)


async def submit_on_behalf(request: Request) -> Response:
    who = organiser(request)
    key = request.path_params["department"]
    here = f"{PAGE}/{key}"
    form = await report_form(request)
    if form is None:
        draft, problem = await too_large(request)
        return await department_report(request, draft, 413, problem)
    found(await request.app.state.reads.fetchrow(REPORT_DEPARTMENT, who.round_key, key), "部门")
    try:
        number = await run_in_threadpool(
            request.app.state.commands.submit_report,
            who.round_key,
            key,
            form.title,
            form.summary,
            form.text,
            actor(who),
            file=form.file,
            on_behalf=True,
            drop_file=form.drop_file,
        )
    except EvaluationError as refusal:
        return await department_report(request, form.as_draft(), 422, refused(refusal, form))
    await seen(request, REPORT_REVISION_SEEN, who.round_key, key, number)
    flash(request, f"已代为提交述职报告（第 {number} 稿）", "ok")
    return back(here)


async def revision_file(request: Request) -> Response:
    who = organiser(request)
    return await revision_pdf(request, who.round_key, request.path_params["department"])


async def pre_reading(request: Request) -> Response:
    """公开预读: ``action`` open or close (closing with its reason, which the domain requires)."""
    who = organiser(request)
    form = await posted(request)
    commands = request.app.state.commands
    action = text(form, "action")
    if action not in ("open", "close"):
        flash(request, "未知的操作", "error")
        return back(PAGE)
    if action == "open":
        done = await attempt(
            request, "已公开述职报告供市民预读", commands.open_pre_reading, who.round_key, actor(who)
        )
    else:
        reason = text(form, "reason")
        done = await attempt(
            request, "已停止公开预读", commands.close_pre_reading, who.round_key, actor(who), reason
        )
    if done:
        await seen(request, PRE_READING_SEEN, who.round_key, action == "open")
    return back(PAGE)


routes = [
    Route(PAGE, reports),
    Route("/organiser/pre-reading", pre_reading, methods=["POST"]),
    Route(PAGE + "/{department}", department_report),
    Route(PAGE + "/{department}", submit_on_behalf, methods=["POST"]),
    Route(PAGE + "/{department}/revisions/{revision:int}/file", revision_file),
]
