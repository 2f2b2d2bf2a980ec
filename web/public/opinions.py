"""意见答复公开 — the published answers of a round, by department and theme (redacted, anonymous), with the signers'
ratings per department; and, for a representative signed in with their card, every suggestion they signed with
every answer given to it: the department's on 「留名建议答复」 at once, and the published answer of the opinion it
became, which they rate (满意 / 基本满意 / 不满意)."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.opinion import RATINGS
from projections.public_numbers import public_ratings
from web.platform.forms import attempt, back, found, posted, render, text
from web.platform.paths import path_id
from web.platform.security import principal, require
from web.public.reads import MY_OPINIONS, MY_SUGGESTIONS, OPINION_RATINGS, OPINION_ROUND, PUBLISHED_OPINIONS


def _answer(row: Any) -> dict[str, Any]:
    item = dict(row)
    if isinstance(item.get("answer"), str):
        item["answer"] = json.loads(item["answer"])
    return item


async def published(request: Request) -> Response:
    reads = request.app.state.public_reads
    round_ = found(await reads.fetchrow(OPINION_ROUND, request.path_params["round_key"][:40]), "评议活动")
    departments: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in await reads.fetch(PUBLISHED_OPINIONS, round_["round_key"]):
        name = row["department_name"] or row["lead"]
        departments.setdefault(name, {}).setdefault(row["theme"], []).append(_answer(row))
    ratings = [public_ratings(r) for r in await reads.fetch(OPINION_RATINGS, round_["round_key"])]
    context = {"round": round_, "departments": departments, "ratings": ratings}
    return render(request, "opinions/published.html", context)


async def _signed(request: Request) -> tuple[Any, list[Any], dict[UUID, UUID]]:
    """The signed-in representative, their suggestions, and their opinions: opinion id → suggestion id."""
    who = require(request, "representative")
    rows = await request.app.state.reads.fetch(MY_SUGGESTIONS, UUID(who.subject), who.round_key)
    return who, rows, {r["opinion_id"]: r["suggestion_id"] for r in rows}


async def mine(request: Request) -> Response:
    """Each suggestion with the department's direct answer (not repeated when the published answer says the
    same) and the published answer of its opinion, with the rating form."""
    visitor = principal(request)
    if visitor is None or visitor.role != "representative":
        return render(request, "opinions/mine.html", {"items": None, "ratings": RATINGS})
    who, rows, ids = await _signed(request)
    found_opinions = await request.app.state.reads.fetch(MY_OPINIONS, list(ids))
    opinions = {ids[r["opinion_id"]]: _answer(r) for r in found_opinions}
    items = []
    for r in rows:
        o = opinions.get(r["suggestion_id"])
        public = o if o is not None and o["published"] else None
        repeated = public is not None and public["answer"]["text"] == r["answer"]
        items.append({"suggestion": r, "direct": None if repeated else r["answer"], "opinion": public})
    context = {"items": items, "ratings": RATINGS, "round_key": who.round_key}
    return render(request, "opinions/mine.html", context)


async def rate(request: Request) -> Response:
    _, _, ids = await _signed(request)
    opinion = path_id(request, "signed")
    if opinion not in ids:
        raise HTTPException(404)
    form = await posted(request)
    command = request.app.state.commands.rate_opinion
    rating = text(form, "rating")
    thanks = f"感谢您的评价：{rating}"  # shown only once the domain took it: one of RATINGS
    await attempt(request, thanks, command, opinion, ids[opinion], rating, "代表（留名建议）")
    return back("/opinions/mine")


routes = [
    Route("/opinions/mine", mine),
    Route("/opinions/mine/{signed}/rate", rate, methods=["POST"]),
    Route("/opinions/round/{round_key}", published),
]
