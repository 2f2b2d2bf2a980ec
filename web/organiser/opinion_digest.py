"""每日办理提醒 — the organiser's daily digest of the opinions in hand (``projections.opinion_digest``): per lead
department overdue, due within 3 working days, returned for rework and asking for reassignment; the answers
waiting for review. ``?day=YYYY-MM-DD`` shows it as of another day (a bad date: 400 with a plain note)."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projections.opinion_digest import DUE_SOON, daily_digest
from web.organiser.reads import OPINION_DIGEST, department_names
from web.platform.forms import organiser, render, round_row


def day_asked(request: Request) -> date | None:
    """The ``day`` asked for, the round's today (Beijing's) when none; None when it is not a date."""
    text = request.query_params.get("day", "")
    if not text:
        today: date = request.app.state.commands.today()
        return today
    try:
        return date.fromisoformat(text[:10]) if len(text) == 10 else None
    except ValueError:
        return None


async def digest(request: Request) -> Response:
    who = organiser(request)
    reads = request.app.state.reads
    context = {"round": await round_row(request, who.round_key), "due_soon": DUE_SOON}
    day = day_asked(request)
    if day is None:
        problem = "日期格式不对，请写成 2026-12-07 这样的年-月-日"
        return render(request, "organiser/opinion_digest.html", context | {"problem": problem}, status=400)
    rows = await reads.fetch(OPINION_DIGEST, who.round_key)
    context |= {"digest": daily_digest(rows, day), "names": await department_names(reads, who.round_key)}
    return render(request, "organiser/opinion_digest.html", context)


routes = [Route("/organiser/opinions/digest", digest)]
