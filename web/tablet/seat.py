"""代表的席位 — what a signed-in representative's tablet shows: their sitting, its departments and windows.

Read from the read models. A credential revoked or replaced (补卡) since sign-in ends the session here. Once the
round's results are locked the evaluation is over (``over``): the page says so, links the results notice once
``published``, and offers no more 留名建议 (the domain refuses them: ``evaluation.errors.EvaluationOver``).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from uuid import UUID

from starlette.requests import Request

from web.platform.ballot_form import public_instrument
from web.platform.errors import NotReady
from web.platform.security import Principal, end_if_replaced
from web.platform.windows import window_state
from web.tablet import reads

Seat = dict[str, Any]


async def load_seat(request: Request, who: Principal) -> Seat:
    async with request.app.state.reads.pool.acquire() as conn:
        rep = await conn.fetchrow(reads.REPRESENTATIVE, UUID(who.subject))
        round_ = await conn.fetchrow(reads.ROUND, who.round_key)
        if rep is None or round_ is None:
            raise NotReady()
        end_if_replaced(request, rep["credential_serial"], rep["revoked"])
        sitting = round_["sittings"].get(rep["sitting"], {"name": rep["sitting"], "agenda": []})
        agenda: list[str] = sitting["agenda"]
        departments = await conn.fetch(reads.AGENDA_DEPARTMENTS, who.round_key, agenda)
        windows = await conn.fetch(reads.AGENDA_WINDOWS, who.round_key, agenda)
    return {
        "round": {
            "key": who.round_key,
            "title": round_["title"],
            "over": round_["locked"],  # 评议已结束: the results are locked, no suggestion is taken any more
            "published": round_["published"],
        },
        "representative": {
            "name": rep["name"],
            "sitting": rep["sitting"],
            "sitting_name": sitting["name"],
            "venue_name": round_["venues"].get(rep["venue"], rep["venue"]),
        },
        "instrument": public_instrument(round_["instrument"]),
        "departments": _agenda(agenda, departments, windows),
    }


async def end_if_card_replaced(request: Request, who: Principal) -> None:
    """For a request that reads nothing else of the representative: their session ends if their card
    was replaced or revoked since sign-in (as the views show it)."""
    rep = await request.app.state.reads.fetchrow(reads.CARD_STATE, UUID(who.subject))
    if rep is None:
        raise NotReady()
    end_if_replaced(request, rep["credential_serial"], rep["revoked"])


def _agenda(agenda: list[str], departments: list[Any], windows: list[Any]) -> list[dict[str, Any]]:
    by_key = {d["department"]: d for d in departments}
    by_window = {w["department"]: w for w in windows}
    listed = []
    for key in agenda:
        dept = by_key.get(key)
        report = dept["report"] if dept is not None else None
        listed.append(
            {
                "key": key,
                "name": dept["name"] if dept is not None else key,
                "short_name": dept["short_name"] if dept is not None else key,
                "window": window_state(by_window.get(key)),
                "report": {"title": report["title"], "summary": report["summary"]} if report else None,
            }
        )
    return listed


def outbox_tag(secret: bytes, who: Principal) -> str:
    """Names this representative's queue in the browser's storage, so a shared tablet never sends one
    person's pending ballots under another's session; says nothing about who it is."""
    return hmac.new(secret, f"outbox:{who.subject}".encode(), hashlib.sha256).hexdigest()[:16]
