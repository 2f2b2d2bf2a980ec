"""答复审核与办理跟踪 — the organiser reviews the departments' answers (退回重办 with a reason, or 审核通过), sees the
requests for reassignment (and an answer's 证明材料), publishes the accepted answers, and tracks every department: received, answered,
overdue, 答复率, 办结率, average days to answer, the signers' ratings, and the overdue list."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.organiser.cards import pdf_response
from web.organiser.opinion_report_pdf import Report, opinion_report_pdf
from web.organiser.opinions import chosen
from web.organiser.reads import (
    ACCEPTED_UNPUBLISHED,
    OPINION_ANSWER,
    OPINION_THEMES,
    OVERDUE,
    REVIEW_QUEUE,
    TRACKING,
    TRIAGE_COUNTS,
    department_names,
)
from web.platform.builds import build
from web.platform.evidence_files import evidence_response
from web.platform.forms import actor, attempt, back, organiser, posted, render, round_row, text
from web.platform.opinion_rows import opinion_row
from web.platform.paths import path_id


def grouped(rows: list[dict[str, Any]], same: str = "answer") -> list[dict[str, Any]]:
    """One card per merged group with the same lead and ``same`` (its answer, or its request for reassignment):
    its first row, with ``ids`` of every member."""
    cards: dict[Any, dict[str, Any]] = {}
    for r in rows:
        key = (r["group_id"] or r["opinion_id"], r["lead"], json.dumps(r[same], sort_keys=True))
        if key in cards:
            cards[key]["ids"].append(r["opinion_id"])
        else:
            cards[key] = {**r, "ids": [r["opinion_id"]]}
    return list(cards.values())


async def review(request: Request) -> Response:
    who = organiser(request)
    reads = request.app.state.reads
    rows = [opinion_row(r) for r in await reads.fetch(REVIEW_QUEUE, who.round_key)]
    context = {
        "round": await round_row(request, who.round_key),
        "pending": grouped([r for r in rows if r["review"] == "pending"]),
        "accepted": [r for r in rows if r["review"] == "accepted"],
        "reassign": grouped([r for r in rows if r["reassignment"]], "reassignment"),
        "names": await department_names(reads, who.round_key),
    }
    return render(request, "organiser/opinion_review.html", context)


async def decide(request: Request) -> Response:
    """审核 — ``decision`` accept or return (with a reason)."""
    who = organiser(request)
    form = await posted(request)
    commands = request.app.state.commands
    if text(form, "decision") == "return":
        reason = text(form, "reason")
        run = lambda: commands.return_answers(who.round_key, chosen(form), reason, actor(who))  # noqa: E731
        await attempt(request, "已退回重办", run)
    else:
        await attempt(
            request, "已审核通过", lambda: commands.accept_answers(who.round_key, chosen(form), actor(who))
        )
    return back("/organiser/opinions/review")


async def publish(request: Request) -> Response:
    """公开 — every accepted answer of the round not yet public."""
    who = organiser(request)
    await posted(request)
    ids = [r["opinion_id"] for r in await request.app.state.reads.fetch(ACCEPTED_UNPUBLISHED, who.round_key)]
    command = request.app.state.commands.publish_opinions
    if ids:
        await attempt(request, f"已公开 {len(ids)} 条答复", command, who.round_key, ids, actor(who))
    return back("/organiser/opinions/review")


def rates(row: Any) -> dict[str, Any]:
    item = dict(row)
    received = item["received"] or 0
    item["answer_rate"] = item["answered"] / received if received else None
    item["completion_rate"] = item["completed"] / received if received else None
    return item


async def tracking(request: Request) -> Response:
    who = organiser(request)
    reads = request.app.state.reads
    today = request.app.state.commands.today().isoformat()
    rows = [rates(r) for r in await reads.fetch(TRACKING, who.round_key, today)]
    context = {
        "round": await round_row(request, who.round_key),
        "rows": rows,
        "overdue": await reads.fetch(OVERDUE, who.round_key, today),
        "names": await department_names(reads, who.round_key),
        "today": today,
    }
    return render(request, "organiser/opinion_tracking.html", context)


async def report(request: Request) -> Response:
    """意见建议办理情况通报 (PDF)."""
    who = organiser(request)
    reads = request.app.state.reads
    round_ = await round_row(request, who.round_key)
    today = request.app.state.commands.today().isoformat()
    counts = dict(await reads.fetchrow(TRIAGE_COUNTS, who.round_key))
    rows = [dict(r) for r in await reads.fetch(TRACKING, who.round_key, today)]
    themes = [(r["theme"], r["n"]) for r in await reads.fetch(OPINION_THEMES, who.round_key)]
    names = await department_names(reads, who.round_key)
    content = await build(
        request, opinion_report_pdf, Report(round_["title"], today, counts, rows, names, themes)
    )
    return pdf_response(content, f"意见建议办理情况通报-{who.round_key}.pdf")


async def evidence(request: Request) -> Response:
    """证明材料 of an answer, for the review."""
    who = organiser(request)
    opinion = path_id(request, "answered")
    answer = await request.app.state.reads.fetchval(OPINION_ANSWER, opinion, who.round_key)
    return await evidence_response(request, answer)


routes = [
    Route("/organiser/opinions/review", review),
    Route("/organiser/opinions/review", decide, methods=["POST"]),
    Route("/organiser/opinions/publish", publish, methods=["POST"]),
    Route("/organiser/opinions/tracking", tracking),
    Route("/organiser/opinions/report.pdf", report),
    Route("/organiser/opinions/{answered}/evidence", evidence),
]
