"""截至某时的结果 — ``/organiser/results?as_of=…``: the results recounted from the events up to an event
position or a moment ("what did the hall see when window 7 closed").

``as_of`` is a whole number (an event position) or a time (``2026-03-01 10:42``, Beijing time unless a
zone is given). Recounted with the auditor's implementation (``projections.as_of``) in a build slot; a
department whose window was still open then, or with fewer than 5 ballots, shows no numbers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from evaluation.application import EvaluationApp
from projections.as_of import BadMoment, in_groups, moment_or_position, resolve, sealed_results_as_of
from web.organiser.reads import department_names
from web.platform.builds import build
from web.platform.forms import render, round_row


def _recount(app: EvaluationApp, round_key: str, as_of: int | datetime) -> tuple[int, dict[str, Any]]:
    position = resolve(app, as_of)
    return position, sealed_results_as_of(app, round_key, position)


async def results_as_of(request: Request, round_key: str) -> Response:
    text = request.query_params.get("as_of", "")
    round_ = await round_row(request, round_key)
    context: dict[str, Any] = {"round": round_, "as_of": text[:60], "groups": [], "position": None}
    try:
        as_of = moment_or_position(text)
    except BadMoment as bad:
        return render(request, "organiser/results_as_of.html", context | {"problem": str(bad)}, status=400)
    position, found = await build(request, _recount, request.app.state.commands, round_key, as_of)
    names = await department_names(request.app.state.reads, round_key)
    groups = [
        {
            "name": round_["groups"].get(group, group),
            "lines": [{**numbers, "name": names.get(d, d)} for d, numbers in lines],
        }
        for group, lines in in_groups(found).items()
    ]
    return render(request, "organiser/results_as_of.html", context | {"groups": groups, "position": position})
