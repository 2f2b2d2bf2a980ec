"""评议结果（组织方，实时）— every group's ranking and each department's tally, and the four result
commands: reveal on / hide from the projector (会务组), lock and publish (计票员: publishing takes two of them,
one proposes and a second confirms; a round's shared organiser code does both alone only in a round
without results officers).
The organiser, the results officers and the auditor see this page."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError
from evaluation.instrument import UNKNOWN, Instrument
from evaluation.results import CONFIRM_WITHIN
from projections.feedback import level_label
from projections.public_numbers import public_line, public_tally
from storage.signing import public_key_text
from web.organiser.components import LIVE, percent, weights_of
from web.organiser.reads import RANKINGS, TALLIES, by_department, department_names
from web.organiser.results_as_of import results_as_of
from web.organiser.sealed_tallies import LEVEL_COUNT_READERS, scoring_now, sealed, without_level_counts
from web.platform.forms import actor, attempt, back, flash, posted, render, round_row
from web.platform.security import ORGANISER, RESULTS_OFFICER, Forbidden, Principal, require
from web.platform.sittings import sittings_in_order
from web.platform.templating import CLOCK, local_time

COMMANDS = {
    "reveal": ("reveal_results", "大屏已显示评议结果"),
    "hide": ("hide_results", "大屏已隐藏评议结果"),
    "lock": ("lock_results", "评议结果已锁定"),
    "publish": ("publish_results", "评议结果已发布，各部门现在可以查看"),
}


def level_columns(instrument: Instrument) -> list[tuple[str, str]]:
    """A column per choice; 不了解's is the abstentions' (one column, not two with the same number)."""
    return [
        (choice, level_label(instrument, choice) + ("（弃权）" if choice == UNKNOWN else ""))
        for choice in instrument.choices()
    ]


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
    who = require(request, ORGANISER, RESULTS_OFFICER)
    if "as_of" in request.query_params:
        return await results_as_of(request, who.round_key)
    reads = request.app.state.reads
    round_ = await round_row(request, who.round_key)
    names = await department_names(reads, who.round_key)
    tallies = {r["department"]: r["tally"] for r in await reads.fetch(TALLIES, who.round_key)}
    scoring = await scoring_now(reads, who.round_key)
    groups = ranked_groups(round_, names, tallies, await reads.fetch(RANKINGS, who.round_key), scoring)
    levels = level_columns(Instrument.from_dict(round_["instrument"]))
    if who.role not in LEVEL_COUNT_READERS:
        groups, levels = without_level_counts(groups), []
    public_key = public_key_text(request.app.state.settings.secret)
    proposal, proposer = await run_in_threadpool(pending_proposal, request.app.state.commands, who.round_key)
    weights = weights_of(round_["instrument"])
    context = {
        "round": round_,
        "groups": groups,
        "levels": levels,
        "parts": [(k, percent(w)) for k, w in weights.items() if k != LIVE],
        "live_weight": percent(weights.get(LIVE, Decimal(1))),
        "public_key": public_key,
        "proposal": proposal,
        "proposed_by_me": bool(proposal) and proposer == actor(who),
        "counts_alone": await counts_alone(request, who),
        "scoring": bool(scoring),
        "provisional_file": who.role in LEVEL_COUNT_READERS or await counts_alone(request, who),
        "never_scored": await never_scored(reads, round_, names),
    }
    return render(request, "organiser/results.html", context)


async def never_scored(reads: Any, round_: Any, names: dict[str, str]) -> list[str]:
    """The agenda's departments whose window was never opened, in the agenda's order: a lock shuts them out."""
    windows = await by_department(reads, "windows_view", round_["round_key"])
    return [
        names.get(dept, dept)
        for _, sitting in sittings_in_order(round_)
        for dept in sitting["agenda"]
        if dept not in windows or windows[dept]["openings"] == 0
    ]


def pending_proposal(commands: Any, round_key: str) -> tuple[str, str]:
    """待确认的发布提议 — who proposed publishing and when, while it awaits a second results officer, and the
    proposer's actor (who cannot confirm it); ``("", "")`` without one."""
    proposal = commands.round(round_key).proposal
    if proposal is None:
        return "", ""
    by, at = proposal
    if datetime.now(UTC) - datetime.fromisoformat(at) > CONFIRM_WITHIN:
        return "", ""
    account = commands.staff_by_actor().get(by)
    name = account.name if account is not None else by
    since = local_time(at, CLOCK)
    return f"计票员{name}已于 {since} 提议发布，须由另一位计票员在 30 分钟内确认发布", by


COUNTING = {"lock", "publish"}
"""The results officers' commands (计票员); the others are the organiser's (会务组)."""


async def counts_alone(request: Request, who: Principal) -> bool:
    """Whether this is a round's shared organiser code in a round without results officers: it locks and
    publishes alone, as before personal accounts. The round's first 计票员 account ends that for good."""
    if who.role != ORGANISER or who.account:
        return False
    officers = await run_in_threadpool(
        request.app.state.commands.round_has_staff, who.round_key, RESULTS_OFFICER
    )
    return not officers


async def allowed(request: Request, who: Principal, command: str) -> None:
    """会务组 reveal and hide; 计票员 lock and publish; a round's shared organiser code (no account) does all
    while the round has no results officers."""
    if who.role == ORGANISER and not who.account:
        if command in COUNTING and not await counts_alone(request, who):
            raise Forbidden("本活动已有计票员：锁定和发布评议结果须由计票员进行，发布须两位计票员确认")
        return
    if command in COUNTING and who.role != RESULTS_OFFICER:
        raise Forbidden("锁定和发布评议结果须由计票员进行")
    if command not in COUNTING and who.role != ORGANISER:
        raise Forbidden("大屏显示或隐藏结果由会务组进行")


async def result_command(request: Request) -> Response:
    who = require(request, ORGANISER, RESULTS_OFFICER)
    command = request.path_params["command"]
    if command not in COMMANDS:
        raise HTTPException(404)
    await allowed(request, who, command)
    await posted(request)
    if command == "publish" and who.role == RESULTS_OFFICER:
        return await publish_by_officer(request, who)
    method, done = COMMANDS[command]
    await attempt(request, done, getattr(request.app.state.commands, method), who.round_key, by=actor(who))
    return back("/organiser/results")


async def publish_by_officer(request: Request, who: Principal) -> Response:
    """The first officer's publish is a proposal; a second, different officer's within 30 minutes publishes."""
    commands = request.app.state.commands
    now = datetime.now(UTC)
    try:
        published = await run_in_threadpool(commands.publish_as_officer, who.round_key, actor(who), now)
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return back("/organiser/results")
    if published:
        flash(request, COMMANDS["publish"][1])
    else:
        flash(request, "已提议发布评议结果，须由另一位计票员在 30 分钟内确认发布")
    return back("/organiser/results")


routes = [
    Route("/organiser/results", results),
    Route("/organiser/results/{command:str}", result_command, methods=["POST"]),
]
