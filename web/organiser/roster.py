"""代表名单 — the representatives of the round (filtered, paginated), registering one, and importing a
roster file (CSV/XLSX): a refused file shows every row problem, and nothing of it is imported."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError
from evaluation.small_groups import SMALLEST_GROUP
from web.organiser.credentials import issue_and_show
from web.organiser.desk_day import desk_today
from web.organiser.reads import SMALL_CELLS, count_representatives, roster_filter
from web.organiser.reads import representatives as representatives_page
from web.organiser.uploads import Upload, received
from web.platform.errors import status_of
from web.platform.forms import actor, back, flash, organiser, posted, render, round_row, text, whole_number
from web.platform.security import CHECKIN, ORGANISER, require

PAGE = 50
MAX_UPLOAD = 20 * 1024 * 1024
ROSTER_FILE = Upload(
    "roster",
    MAX_UPLOAD,
    f"名单文件不能超过 {MAX_UPLOAD // (1024 * 1024)} MB",
    "请选择要导入的名单文件（.xlsx 或 .csv）",
)


def _names(sittings: dict[str, Any]) -> dict[str, str]:
    return {key: s.get("name", key) for key, s in sittings.items()}


def page_number(request: Request, pages: int) -> int:
    return min(whole_number(request.query_params.get("page")) or 1, pages)


def filters(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "")[:100] for k in ("venue", "sitting", "q")}


async def roster_page(request: Request, status: int = 200, problems: Any = None) -> Response:
    who = require(request, ORGANISER, CHECKIN)
    reads = request.app.state.reads
    round_ = await round_row(request, who.round_key)
    params, today = filters(request), {}
    if who.role == CHECKIN:  # 签到员 find only the representatives of their own venue, today's sitting first
        params["venue"] = who.venue
        today = await desk_today(request, who.round_key, round_, who.venue)
        params["sitting"] = today.get("key", params["sitting"])
    where, args = roster_filter(who.round_key, params)
    total = await count_representatives(reads, where, args)
    pages = max(1, -(-total // PAGE))
    page = page_number(request, pages)
    rows = await representatives_page(reads, where, args, PAGE, (page - 1) * PAGE)
    small = await reads.fetch(SMALL_CELLS, who.round_key, SMALLEST_GROUP)
    # a desk's search found no one: is the person in another sitting here, or at another venue?
    elsewhere, other_sittings = [], []
    if who.role == CHECKIN and not total and params["q"]:
        if params["sitting"]:
            here = roster_filter(who.round_key, {"q": params["q"], "venue": who.venue})
            other_sittings = await representatives_page(reads, *here, 5, 0)
        if not other_sittings:
            elsewhere = await representatives_page(
                reads, *roster_filter(who.round_key, {"q": params["q"]}), 5, 0
            )
    context = {
        "small_cells": [
            {
                **dict(c),
                "place": (round_["venues"] if c["kind"] == "venue" else _names(round_["sittings"])).get(
                    c["place"], c["place"]
                ),
                "category": round_["categories"].get(c["category"], {}).get("name", c["category"]),
            }
            for c in small
        ],
        "k": SMALLEST_GROUP,
        "round": round_,
        "rows": rows,
        "signed_in": await request.app.state.representative_sessions.signed_in(
            [r["representative_id"] for r in rows]
        ),
        "total": total,
        "page": page,
        "pages": pages,
        "params": params,
        "query": urlencode(params),
        "problems": problems,
        "desk_only": who.role != ORGANISER,
        "elsewhere": elsewhere,
        "other_sittings": other_sittings,
        "today": today,
    }
    return render(request, "organiser/roster.html", context, status)


async def representatives(request: Request) -> Response:
    return await roster_page(request)


async def register(request: Request) -> Response:
    who = organiser(request)
    form = await posted(request)
    fields = {f: text(form, f) for f in ("name", "category", "venue", "sitting", "phone")}
    commands = request.app.state.commands
    return await issue_and_show(
        request,
        f"已登记代表「{fields['name']}」",
        lambda: commands.register_representative(
            who.round_key,
            fields["name"],
            fields["category"],
            fields["venue"],
            fields["sitting"],
            by=actor(who),
            phone=fields["phone"] or None,
        ),
    )


async def import_roster(request: Request) -> Response:
    who = organiser(request)
    upload = await received(request, ROSTER_FILE, "/organiser/representatives")
    if isinstance(upload, Response):
        return upload
    filename, data = upload
    try:
        issued = await run_in_threadpool(
            request.app.state.commands.import_representatives,
            who.round_key,
            data,
            filename,
            actor(who),
        )
    except EvaluationError as refusal:
        problems = getattr(refusal, "problems", None) or [(0, refusal.detail or refusal.message)]
        flash(request, refusal.message, "error")
        return await roster_page(request, status_of(refusal.code), problems)
    flash(request, f"已从「{filename}」导入 {len(issued)} 名代表，可到「评议卡」打印")
    return back("/organiser/representatives")


routes = [
    Route("/organiser/representatives", representatives),
    Route("/organiser/representatives", register, methods=["POST"]),
    Route("/organiser/representatives/import", import_roster, methods=["POST"]),
]
