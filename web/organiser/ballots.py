"""作废评议票 — the organiser finds a ballot by the receipt code its voter was shown (receipts_view) and
voids it with a reason. The page shows whose department and whether it counts, never the choice. A code
given to more than one ballot of the round (rare: receipts are short keyed hashes) lists each of them."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.keys import normalise_code
from web.organiser.reads import BALLOT_IN_ROUND, RECEIPT_BALLOTS
from web.platform.forms import actor, attempt, back, found, organiser, posted, render, round_row, text
from web.platform.paths import path_id


async def find_ballots(request: Request, round_key: str, receipt: str) -> list[dict[str, Any]]:
    return [dict(row) for row in await request.app.state.reads.fetch(RECEIPT_BALLOTS, round_key, receipt)]


async def ballots(request: Request) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    receipt = normalise_code(request.query_params.get("receipt", ""))[:20]
    found = await find_ballots(request, who.round_key, receipt) if receipt else []
    context = {"round": round_, "receipt": receipt, "ballots": found}
    return render(request, "organiser/ballots.html", context)


async def void(request: Request) -> Response:
    who = organiser(request)
    ballot = path_id(request, "ballot")
    found(await request.app.state.reads.fetchrow(BALLOT_IN_ROUND, ballot, who.round_key), "评议票")
    form = await posted(request)
    receipt = normalise_code(text(form, "receipt"))
    commands = request.app.state.commands
    await attempt(
        request, "该评议票已作废", commands.void_ballot, ballot, by=actor(who), reason=text(form, "reason")
    )
    return back(f"/organiser/ballots?receipt={receipt}")


routes = [
    Route("/organiser/ballots", ballots),
    Route("/organiser/ballots/{ballot}/void", void, methods=["POST"]),
]
