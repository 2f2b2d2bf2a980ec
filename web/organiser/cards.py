"""打印评议卡 — card PDFs for one sitting and/or venue at a time, at most ``PER_FILE`` cards per file
(numbered parts), or one representative's card. Codes are random and stored only as keyed hashes, so a PDF
is made in the request (a POST) that issues its cards: printing again issues new cards, recorded with who
and why, and the earlier ones stop working. Revoked credentials get no card."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import InvalidInput
from web.organiser.cards_pdf import Card, cards_pdf
from web.organiser.credentials import at_the_desk
from web.organiser.reads import CARD_COUNTS, count_representatives, representatives, roster_filter
from web.organiser.roster import page_number
from web.platform.builds import build
from web.platform.forms import actor, organiser, posted, render, round_row, text
from web.platform.pdf_font import cjk_font
from web.platform.security import CHECKIN, ORGANISER, require
from web.platform.sittings import sitting_label

PER_FILE = 1000


def public_url(request: Request) -> str:
    """Where the QR codes send the phone: SANMIN_PUBLIC_URL, or the address this page was asked on."""
    return os.environ.get("SANMIN_PUBLIC_URL") or str(request.base_url)


def card_of(round_: Any, rep: Any, code: str) -> Card:
    sitting = round_["sittings"].get(rep["sitting"])
    return Card(
        name=rep["name"],
        number=rep["number"],
        sitting=sitting_label(sitting) if sitting else rep["sitting"],
        venue=round_["venues"].get(rep["venue"], rep["venue"]),
        code=code,
    )


async def new_cards(request: Request, round_: Any, rows: list[Any], why: str) -> list[Card]:
    """Issues a new card to each representative of ``rows`` (revoked ones get none), in their order."""
    who = require(request, ORGANISER, CHECKIN)
    form = await posted(request)
    await run_in_threadpool(cjk_font)  # a missing font refuses before any card is replaced
    reason = text(form, "reason")[:200] or why
    ids = [r["representative_id"] for r in rows]
    commands = request.app.state.commands
    codes = await run_in_threadpool(commands.print_cards, who.round_key, ids, actor(who), reason)
    # the old cards' sessions end with them
    await request.app.state.representative_sessions.end_of(codes, actor(who), "replaced")
    return [
        card_of(round_, r, codes[r["representative_id"]]) for r in rows if r["representative_id"] in codes
    ]


def pdf_response(content: bytes, filename: str) -> Response:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", filename)
    headers = {"Content-Disposition": f"attachment; filename={safe}; filename*=UTF-8''{quote(filename)}"}
    return Response(content, media_type="application/pdf", headers=headers | {"Cache-Control": "no-store"})


async def cards_page(request: Request) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    counts = [
        {**dict(r), "parts": range(1, -(-r["cards"] // PER_FILE) + 1)}
        for r in await request.app.state.reads.fetch(CARD_COUNTS, who.round_key)
    ]
    return render(request, "organiser/cards.html", {"round": round_, "counts": counts, "per_file": PER_FILE})


async def cards_file(request: Request) -> Response:
    """POST /organiser/cards.pdf?sitting=…&venue=…&page=n — new cards for the n-th part of that selection."""
    who = organiser(request)
    params = {k: request.query_params.get(k, "")[:100] for k in ("sitting", "venue")}
    if not any(params.values()):
        raise InvalidInput("请选择场次或会场，每次打印一个场次或会场的评议卡")
    round_ = await round_row(request, who.round_key)
    where, args = roster_filter(who.round_key, params)
    reads = request.app.state.reads
    total = await count_representatives(reads, where, args, valid=True)
    part = page_number(request, max(1, -(-total // PER_FILE)))
    rows = await representatives(reads, where, args, PER_FILE, (part - 1) * PER_FILE, valid=True)
    name = "-".join(v for v in (params["sitting"], params["venue"]) if v)
    cards = await new_cards(request, round_, list(rows), f"打印评议卡：{name} 第 {part} 份")
    content = await build(request, cards_pdf, round_["title"], cards, public_url(request))
    return pdf_response(content, f"评议卡-{name}-{part}.pdf")


async def one_card(request: Request) -> Response:
    """One representative's new card (补卡 at the desk: check-in staff, their venue's representatives only)."""
    who, rep = await at_the_desk(request)
    if rep["revoked"]:
        raise InvalidInput("该代表的评议卡已作废，请先补发新卡")
    round_ = await round_row(request, who.round_key)
    cards = await new_cards(request, round_, [rep], "打印单张评议卡")
    if not cards:
        raise InvalidInput("该代表的评议卡已作废，请先补发新卡")
    content = await build(request, cards_pdf, round_["title"], cards, public_url(request))
    return pdf_response(content, f"评议卡-{rep['number']}.pdf")


routes = [
    Route("/organiser/cards", cards_page),
    Route("/organiser/cards.pdf", cards_file, methods=["POST"]),
    Route("/organiser/representatives/{representative}/card.pdf", one_card, methods=["POST"]),
]
