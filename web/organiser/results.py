"""评议结果（组织方，实时）— every group's ranking and each department's tally, and the four result
commands: reveal on / hide from the projector, lock, publish. Only the organiser sees this page live."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.instrument import Instrument
from projections.feedback import level_label
from projections.public_numbers import public_line, public_tally
from storage.signing import public_key_text
from web.organiser.reads import RANKINGS, TALLIES, department_names
from web.organiser.results_as_of import results_as_of
from web.organiser.sealed_tallies import scoring_now, sealed
from web.platform.forms import actor, attempt, back, organiser, posted, render, round_row

COMMANDS = {
    "reveal": ("reveal_results", "大屏已显示评议结果"),
    "hide": ("hide_results", "大屏已隐藏评议结果"),
    "lock": ("lock_results", "评议结果已锁定"),
    "publish": ("publish_results", "评议结果已发布，各部门现在可以查看"),
}


def level_columns(instrument: Instrument) -> list[tuple[str, str]]:
    return [(choice, level_label(instrument, choice)) for choice in instrument.choices()]


def ranked_groups(
    round_: Any,
    names: dict[str, str],
    tallies: dict[str, Any],
    rankings: Any,
    scoring: Collection[str] = (),
) -> list[Any]:
    """Each group's name and its ranking lines, each with the department's name and tally (sealed while the
    department is ``scoring``)."""

    def line(entry: dict[str, Any]) -> dict[str, Any]:
        dept = entry["department"]
        shown = {
            **public_line(entry),
            "name": names.get(dept, dept),
            "tally": public_tally(tallies.get(dept, {})),
        }
        return sealed(shown) if dept in scoring else shown

    return [
        {
            "name": round_["groups"].get(r["group_key"], r["group_key"]),
            "lines": [line(e) for e in r["ranking"]],
        }
        for r in rankings
    ]


async def results(request: Request) -> Response:
    who = organiser(request)
    if "as_of" in request.query_params:
        return await results_as_of(request, who.round_key)
    reads = request.app.state.reads
    round_ = await round_row(request, who.round_key)
    names = await department_names(reads, who.round_key)
    tallies = {r["department"]: r["tally"] for r in await reads.fetch(TALLIES, who.round_key)}
    scoring = await scoring_now(reads, who.round_key)
    groups = ranked_groups(round_, names, tallies, await reads.fetch(RANKINGS, who.round_key), scoring)
    levels = level_columns(Instrument.from_dict(round_["instrument"]))
    public_key = public_key_text(request.app.state.settings.secret)
    context = {"round": round_, "groups": groups, "levels": levels, "public_key": public_key}
    return render(request, "organiser/results.html", context)


async def result_command(request: Request) -> Response:
    who = organiser(request)
    if request.path_params["command"] not in COMMANDS:
        raise HTTPException(404)
    await posted(request)
    method, done = COMMANDS[request.path_params["command"]]
    await attempt(request, done, getattr(request.app.state.commands, method), who.round_key, by=actor(who))
    return back("/organiser/results")


routes = [
    Route("/organiser/results", results),
    Route("/organiser/results/{command:str}", result_command, methods=["POST"]),
]
