"""历年对比（组织方）— each department's score, satisfaction and rank in every published round of its chain, with
a chart; and the links that make the chain: which round this one follows (上一轮评议活动), and which
department of it each department was (by code, by name, or as the organiser says: confirmed or overridden,
recorded with who and why). The organiser changes them; its results officers and auditor read."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.year_over_year import NO_MATCH
from projections.year_over_year import named_counterpart, round_years
from web.organiser.reads import OTHER_ROUNDS
from web.platform.forms import actor, attempt, back, posted, render, round_row
from web.platform.security import ORGANISER, RESULTS_OFFICER, require
from web.platform.years import chain_results

PAGE = "/organiser/years"


async def years_page(request: Request) -> Response:
    who = require(request, ORGANISER, RESULTS_OFFICER)
    round_ = await round_row(request, who.round_key)
    chain, results = await chain_results(request, who.round_key)
    link = chain[0]
    previous = results.get(link.previous)
    matches: dict[str, Any] = {}
    if previous is not None:
        for department in results[who.round_key].departments:
            found = named_counterpart(link, results[who.round_key], previous, department)
            how = (
                "组织方指定"
                if department in link.matches
                else ("同一代码" if found == department else "同一名称")
            )
            matches[department] = {"key": found, "how": how if found or department in link.matches else ""}
    context = {
        "round": round_,
        "link": link,
        "previous": previous,
        "matches": matches,
        "years": round_years(chain, results),
        "rounds": await request.app.state.reads.fetch(OTHER_ROUNDS, who.round_key),
        "no_match": NO_MATCH,
    }
    return render(request, "organiser/years.html", context)


async def follow(request: Request) -> Response:
    who = require(request, ORGANISER)
    form = await posted(request)
    previous, reason = str(form.get("previous") or "")[:100], str(form.get("reason") or "")
    done = "已设置上一轮评议活动" if previous else "已取消与上一轮评议活动的对应"
    commands = request.app.state.commands
    await attempt(request, done, commands.follow_round, who.round_key, previous, by=actor(who), reason=reason)
    return back(PAGE)


async def match(request: Request) -> Response:
    who = require(request, ORGANISER)
    form = await posted(request)
    department = str(form.get("department") or "")[:100]
    earlier, reason = str(form.get("previous_department") or "")[:100], str(form.get("reason") or "")
    commands = request.app.state.commands
    await attempt(
        request,
        "已记录部门的对应关系",
        commands.match_department,
        who.round_key,
        department,
        earlier,
        by=actor(who),
        reason=reason,
    )
    return back(PAGE)


routes = [
    Route(PAGE, years_page, methods=["GET"]),
    Route(f"{PAGE}/previous", follow, methods=["POST"]),
    Route(f"{PAGE}/match", match, methods=["POST"]),
]
