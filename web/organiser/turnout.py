"""投票进度与对账 — live turnout per department (returned of eligible) and per venue (credentials issued,
checked in; a ballot names no venue, so none are counted per venue), as the projection last counted them.
When the round does not require check-in before scoring, the check-in figures say they are only indicative
(the requirement is the domain's ``Round.check_in_required``, read from the round itself: no view holds it)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.organiser.reads import TURNOUT, VENUES, department_names
from web.platform.forms import organiser, render, round_row
from web.platform.sittings import sittings_in_order


async def turnout(request: Request) -> Response:
    who = organiser(request)
    reads = request.app.state.reads
    round_ = await round_row(request, who.round_key)
    names = await department_names(reads, who.round_key)
    results = {r["department"]: r for r in await reads.fetch(TURNOUT, who.round_key)}
    order = [d for _, sitting in sittings_in_order(round_) for d in sitting["agenda"]]
    departments = [
        {
            "key": d,
            "name": names.get(d, d),
            "eligible": results[d]["eligible"],
            "returned": results[d]["returned"],
        }
        for d in [*order, *sorted(set(results) - set(order))]
        if d in results
    ]
    venues = [
        {**dict(r), "name": round_["venues"].get(r["venue"], r["venue"])}
        for r in await reads.fetch(VENUES, who.round_key)
    ]
    domain_round = await run_in_threadpool(request.app.state.commands.round, who.round_key)
    context = {
        "round": round_,
        "departments": departments,
        "venues": venues,
        "check_in_required": domain_round.check_in_required,
    }
    return render(request, "organiser/turnout.html", context)


routes = [Route("/organiser/turnout", turnout)]
