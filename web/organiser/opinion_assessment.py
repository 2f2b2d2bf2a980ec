"""意见办理计入考核 — each lead department's opinion-handling figure (``projections.handling_score``: on-time
answers and the signers' ratings, 0 to 100) and the organiser entering it into the composite result as another
component (其他组成部分, with its weight and, when it replaces an earlier import, a reason). The figures posted
are those the page showed: if the opinions changed since, nothing is recorded and the page says so. Also as a
.csv in the 其他得分 file format (部门, 得分), to import into another round or system."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError, InvalidInput
from projections.handling_score import HandlingScore, component_scores, handling_scores
from web.organiser.reads import OPINION_HANDLING, department_names
from web.platform.forms import actor, back, flash, organiser, posted, render, round_row, text

PAGE = "/organiser/opinions/assessment"
COMPONENT = "意见办理"


async def figures(request: Request, round_key: str) -> tuple[list[HandlingScore], dict[str, str]]:
    reads = request.app.state.reads
    names = await department_names(reads, round_key)
    rows = await reads.fetch(OPINION_HANDLING, round_key, request.app.state.commands.today().isoformat())
    return handling_scores(rows, names), names


async def assessment(request: Request) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    scores, names = await figures(request, who.round_key)
    weight = round_["instrument"].get("components", {}).get(COMPONENT)
    context = {
        "round": round_,
        "scores": scores,
        "names": names,
        "component": COMPONENT,
        "imported": COMPONENT in round_["components"],
        "weight": f"{(float(weight) * 100):g}" if weight else "10",
        "scores_json": json.dumps(component_scores(scores), ensure_ascii=False, sort_keys=True),
        "today": request.app.state.commands.today().isoformat(),
    }
    return render(request, "organiser/opinion_assessment.html", context)


def _shown(raw: object) -> dict[str, Any] | None:
    try:
        shown = json.loads(raw) if isinstance(raw, str) and len(raw) < 200_000 else None
    except ValueError:
        return None
    return shown if isinstance(shown, dict) else None


async def enter(request: Request) -> Response:
    """计入综合得分 — the figures shown, as the component 意见办理 with the weight given."""
    who = organiser(request)
    form = await posted(request)
    scores, _ = await figures(request, who.round_key)
    current = component_scores(scores)
    if _shown(form.get("scores")) != current:
        flash(request, "办理数据在您查看后有变化，请核对新的得分后再提交", "error")
        return back(PAGE)
    command = request.app.state.commands.import_component_scores
    reason = text(form, "reason") or ""
    try:
        if not current:
            raise InvalidInput("还没有可计入的办理得分（没有到期或已答复的意见）")
        await run_in_threadpool(
            command, who.round_key, COMPONENT, text(form, "weight"), current, actor(who), reason
        )
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return back(PAGE)
    flash(request, f"已将 {len(current)} 个部门的意见办理得分计入综合得分，权重 {text(form, 'weight')}%")
    return back(PAGE)


async def download(request: Request) -> Response:
    """部门, 得分 — the departments with a figure, by name, in the 其他得分 file format."""
    who = organiser(request)
    scores, names = await figures(request, who.round_key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["部门", "得分"])
    writer.writerows(
        [names.get(s.department, s.department), str(s.score)] for s in scores if s.score is not None
    )
    name = quote(f"意见办理得分-{who.round_key}.csv")
    headers = {"Content-Disposition": f"attachment; filename=handling.csv; filename*=UTF-8''{name}"}
    return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8", headers=headers)


routes = [
    Route(PAGE, assessment),
    Route(PAGE, enter, methods=["POST"]),
    Route(PAGE + ".csv", download),
]
