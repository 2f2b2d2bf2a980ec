"""述职报告 — the signed-in department submits and revises its report (title, summary, full text, an
optional PDF), sees every revision (who, when, 代为提交 or not) and downloads each revision's attachment.
Only its own report: the department is the session's, never a parameter."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError
from web.department.feedback import own, signed_in_department
from web.department.reads import SCORING_BEGAN
from web.platform.forms import actor, back, flash, render
from web.platform.reads import REPORT_REVISION_SEEN
from web.platform.report_files import revision_pdf
from web.platform.report_form import refused, report_context, report_form, seen, too_large

PAGE = "/department/report"


async def report_page(
    request: Request, draft: dict[str, Any] | None = None, status: int = 200, problem: str = ""
) -> Response:
    mine = await own(request)
    context = await report_context(request, mine.round, mine.key, mine.row, draft, problem)
    began = await request.app.state.reads.fetchval(SCORING_BEGAN, mine.round["round_key"], mine.key)
    context["scoring_began"] = bool(began)
    return render(request, "department/report.html", context, status)


async def submit(request: Request) -> Response:
    who, _ = await signed_in_department(request)
    form = await report_form(request)
    if form is None:
        draft, problem = await too_large(request)
        return await report_page(request, draft, 413, problem)
    command = request.app.state.commands.submit_report
    try:
        number = await run_in_threadpool(
            command,
            who.round_key,
            who.subject,
            form.title,
            form.summary,
            form.text,
            actor(who),
            file=form.file,
            drop_file=form.drop_file,
        )
    except EvaluationError as refusal:
        return await report_page(request, form.as_draft(), 422, refused(refusal, form))
    await seen(request, REPORT_REVISION_SEEN, who.round_key, who.subject, number)
    flash(request, f"述职报告已保存（第 {number} 稿）", "ok")
    return back(PAGE)


async def revision_file(request: Request) -> Response:
    who, _ = await signed_in_department(request)
    return await revision_pdf(request, who.round_key, who.subject)


routes = [
    Route(PAGE, report_page),
    Route(PAGE, submit, methods=["POST"]),
    Route(PAGE + "/revisions/{revision:int}/file", revision_file),
]
