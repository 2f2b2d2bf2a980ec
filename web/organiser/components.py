"""其他得分 — importing another component of the composite result (e.g. 日常考核) from an .xlsx or .csv file
with its weight: the upload is checked and previewed (each department's live score, the component's and the
composite per docs/scoring.md §6) and recorded only when the organiser confirms. Replacing needs a reason.

A file with problems lists every one of them and records nothing (status 422)."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError, InvalidInput
from evaluation.instrument import Instrument
from projections.scoring import composite, round_half_up
from web.organiser.reads import TALLIES, department_names
from web.organiser.uploads import Upload, received
from web.platform.errors import status_of
from web.platform.forms import actor, back, flash, organiser, posted, render, round_row, text

MAX_UPLOAD = 2 * 1024 * 1024
SCORES = Upload(
    "scores", MAX_UPLOAD, f"成绩表不能超过 {MAX_UPLOAD >> 20} MB", "请选择要导入的成绩表（.xlsx 或 .csv）"
)
LIVE = "live"


def weights_of(instrument: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(w) for k, w in instrument.get("components", {LIVE: "1"}).items()}


def percent(weight: Decimal) -> str:
    return f"{(weight * 100).normalize():f}%"


def composite_rows(
    names: dict[str, str],
    tallies: dict[str, Any],
    instrument: dict[str, Any],
    components: dict[str, dict[str, str]],
) -> list[dict[str, Any]]:
    """Each department: its live score, each declared component's score and the composite, per the rule."""
    rule = Instrument.from_dict(instrument)
    declared = [k for k in rule.components if k != LIVE]
    rows = []
    for dept, name in names.items():
        tally = tallies.get(dept) or {}
        exact = tally.get("score_exact")
        live = Fraction(exact) if exact else None
        mine = {k: Decimal(components[k][dept]) for k in declared if dept in components.get(k, {})}
        final = composite(rule, live, mine)
        rows.append(
            {
                "department": dept,
                "name": name,
                "live": tally.get("score"),
                "components": [mine.get(k) for k in declared],
                "final": None if final is None else round_half_up(final, 3),
                "missing": [k for k in declared if k not in mine],
            }
        )
    return rows


async def scene(request: Request, round_: Any) -> tuple[dict[str, str], dict[str, Any]]:
    reads = request.app.state.reads
    names = await department_names(reads, round_["round_key"])
    tallies = {r["department"]: r["tally"] for r in await reads.fetch(TALLIES, round_["round_key"])}
    return names, tallies


async def components_page(request: Request, status: int = 200, **extra: Any) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    names, tallies = await scene(request, round_)
    weights = weights_of(round_["instrument"])
    context = {
        "round": round_,
        "weights": [(k, percent(w)) for k, w in weights.items()],
        "declared": [k for k in weights if k != LIVE],
        "rows": composite_rows(names, tallies, round_["instrument"], round_["components"]),
        "form": {"component": "日常考核", "weight": "20"},
        **extra,
    }
    return render(request, "organiser/components.html", context, status)


async def components(request: Request) -> Response:
    return await components_page(request)


async def preview(request: Request) -> Response:
    """Checks the uploaded file and shows what the composite would become; records nothing."""
    who = organiser(request)
    upload = await received(request, SCORES, "/organiser/components")
    if isinstance(upload, Response):
        return upload
    form = await request.form()  # already CSRF-checked by received
    fields = {f: text(form, f) for f in ("component", "weight")}
    filename, data = upload
    commands = request.app.state.commands
    try:
        plan = await run_in_threadpool(
            commands.plan_component, who.round_key, fields["component"], fields["weight"], data, filename
        )
    except EvaluationError as refusal:
        problems = getattr(refusal, "problems", None) or [(0, refusal.detail or refusal.message)]
        return await components_page(
            request, status_of(refusal.code), problems=problems, refusal=refusal.message, form=fields
        )
    round_ = await round_row(request, who.round_key)
    names, tallies = await scene(request, round_)
    instrument = dict(round_["instrument"]) | {"components": {k: str(w) for k, w in plan.weights.items()}}
    imported = dict(round_["components"]) | {plan.component: plan.scores}
    context = {
        "round": round_,
        "plan": plan,
        "file": filename,
        "weights": [(k, percent(w)) for k, w in plan.weights.items()],
        "declared": [k for k in plan.weights if k != LIVE],
        "rows": composite_rows(names, tallies, instrument, imported),
        "missing": [name for key, name in names.items() if key not in plan.scores],
        "scores_json": json.dumps(plan.scores, ensure_ascii=False, sort_keys=True),
        "weight": f"{(plan.weight * 100).normalize():f}",
    }
    return render(request, "organiser/component_preview.html", context)


async def import_scores(request: Request) -> Response:
    """Records the previewed scores and weight (confirmed), all at once."""
    who = organiser(request)
    form = await posted(request)
    fields = {f: text(form, f) for f in ("component", "weight", "reason")}
    try:
        scores = _scores(form.get("scores"))
        await run_in_threadpool(
            request.app.state.commands.import_component_scores,
            who.round_key,
            fields["component"],
            fields["weight"],
            scores,
            actor(who),
            fields["reason"],
        )
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return back("/organiser/components")
    flash(request, f"已导入「{fields['component']}」{len(scores)} 个部门的得分，权重 {fields['weight']}%")
    return back("/organiser/components")


def _scores(raw: object) -> dict[str, str]:
    """The previewed scores sent back by the confirm form: {department: score} or a refusal."""
    try:
        scores = json.loads(raw) if isinstance(raw, str) and len(raw) < 200_000 else None
    except ValueError:
        scores = None
    if (
        not isinstance(scores, dict)
        or not scores
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in scores.items())
    ):
        raise InvalidInput("得分数据有误，请重新上传成绩表")
    return scores


routes = [
    Route("/organiser/components", components),
    Route("/organiser/components", import_scores, methods=["POST"]),
    Route("/organiser/components/preview", preview, methods=["POST"]),
]
