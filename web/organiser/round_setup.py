"""活动设置页面 — a round set up in the browser: its instrument, categories, groups, venues, departments,
sittings and agenda. For the round's organiser and the platform's administrator (who also creates rounds
here: 新建评议活动). The pages read the round from the domain (what was just saved shows at once); the
forms are in ``round_setup_forms``. A refused form comes back to its page with the domain's message beside
it and what was typed kept in that same form (Post/Redirect/Get: the note waits in the session): the 新增
form's section is ``new-{item}``, an item's own form's ``{item}-{key}``, the 评议表's ``instrument``."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import NotFound
from evaluation.instrument import MAX_CRITERION_LABEL, MAX_LEVEL_LABEL
from evaluation.round_plan import RoundPlan
from evaluation.setup_rules import HALF_DAYS, MAX_KEY, MAX_NAME, MAX_TITLE
from web.organiser.instrument_form import instrument_fields
from web.platform.forms import administrator, render
from web.platform.security import ADMINISTRATOR, Principal, require, writes

PROBLEM = "setup_problem"
LIMITS = {
    "key": MAX_KEY,
    "title": MAX_TITLE,
    "name": MAX_NAME,
    "level": MAX_LEVEL_LABEL,
    "criterion": MAX_CRITERION_LABEL,
}
"""The ``maxlength`` of each kind of field on the setup forms (``limits.name`` …): the domain's own bounds,
so that a form lets through what the rule (and a workbook) allows, and no more."""
PAGES = {
    "": ("setup", "评议表与计分"),
    "lists": ("setup_lists", "代表类别、部门组与会场"),
    "departments": ("setup_departments", "被评议部门"),
    "sittings": ("setup_sittings", "场次与议程"),
}
"""Each setup page: its path under /organiser/rounds/{key}/setup, its template and its heading."""
ITEMS = {
    "category": "categories",
    "group": "groups",
    "venue": "venues",
    "department": "departments",
    "sitting": "sittings",
}
"""Each kind of item, whose own form is the section ``{item}-{key}`` (``category-npc``; a sitting's is its
whole section), and the plan's list of them, whose section shows a refusal for an item no longer there."""


async def setup_visitor(request: Request, round_key: str) -> Principal:
    """The round's organiser, or the administrator (with the current code); another round is not found."""
    who = require(request, "organiser", ADMINISTRATOR)
    if who.role == ADMINISTRATOR:
        await administrator(request)
    elif who.round_key != round_key:
        raise NotFound(what=f"评议活动「{round_key}」")
    return who


def setup_url(round_key: str, page: str = "") -> str:
    return f"/organiser/rounds/{round_key}/setup" + (f"/{page}" if page else "")


def keep_problem(request: Request, section: str, message: str, given: dict[str, str]) -> None:
    """The refusal shown beside ``section``'s form on the next page, with what was typed."""
    request.session[PROBLEM] = {"section": section, "message": message, "given": given}


async def setup_page(request: Request) -> Response:
    key = request.path_params["round_key"]
    who = await setup_visitor(request, key)
    page = request.url.path.removeprefix(setup_url(key)).strip("/")
    template, heading = PAGES[page]
    commands = request.app.state.commands
    plan = await run_in_threadpool(commands.setup_plan, key)
    scored = await run_in_threadpool(commands.scored_departments, key)
    locked = (await run_in_threadpool(commands.round, key)).locked
    problem = placed_problem(request.session.pop(PROBLEM, None), plan)
    placed = {d for s in plan.sittings for d in s.agenda}
    context: dict[str, Any] = {
        "round": {"round_key": key, "title": plan.title},
        "plan": plan,
        "started": bool(scored),
        "locked": locked,
        "editable": writes(who) and not locked,
        "scored": scored,
        "admin": who.role == ADMINISTRATOR,
        "page": page,
        "pages": [(p, title) for p, (_, title) in PAGES.items()],
        "heading": heading,
        "base": setup_url(key),
        "problem": problem,
        "given": problem["given"],
        "instrument": instrument_fields(
            plan.instrument, problem["given"] if problem["section"] == "instrument" else None
        ),
        "half_days": HALF_DAYS,
        "limits": LIMITS,
        "unplaced": [d for d in plan.departments if d.key not in placed],
        "names": {d.key: d.name for d in plan.departments},
        "groups": dict((g.key, g.name) for g in plan.groups),
    }
    return render(request, f"organiser/{template}.html", context)


def placed_problem(problem: Any, plan: RoundPlan) -> dict[str, Any]:
    """The refusal kept for this page, beside the form it came from. One for an item that is no longer there
    shows above its list, without what was typed (which no form of the page is for)."""
    if not isinstance(problem, dict):
        return {"section": "", "message": "", "given": {}}
    item, dash, key = problem["section"].partition("-")
    if dash and item in ITEMS and key not in {i.key for i in getattr(plan, ITEMS[item])}:
        return {**problem, "section": ITEMS[item], "given": {}}
    return problem


routes = [
    Route("/organiser/rounds/{round_key}/setup", setup_page),
    Route("/organiser/rounds/{round_key}/setup/lists", setup_page),
    Route("/organiser/rounds/{round_key}/setup/departments", setup_page),
    Route("/organiser/rounds/{round_key}/setup/sittings", setup_page),
]
