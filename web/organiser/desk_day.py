"""签到台的今天 — the check-in desk's roster opens on today's 场次 at its venue (Beijing's date,
``evaluation.round_day``): with two sittings today, the one of this half-day (上午 until 12:00). No sitting
of the venue today: every sitting, as before. A chosen 场次 (「全部」 too) or a search is left as asked."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request

from evaluation.round_day import ROUND_ZONE
from web.organiser.reads import VENUE_SITTINGS
from web.platform.sittings import sitting_label, sittings_in_order


def sitting_of_today(round_: Any, today: date, hour: int, here: set[str]) -> str:
    """The key of today's sitting among ``here`` (the venue's sittings), or "" when there is none."""
    todays = [
        key for key, s in sittings_in_order(round_) if key in here and s.get("date") == today.isoformat()
    ]
    now = "上午" if hour < 12 else "下午"
    return next(
        (k for k in todays if round_["sittings"][k].get("half_day") == now), todays[0] if todays else ""
    )


async def desk_today(request: Request, round_key: str, round_: Any, venue: str) -> dict[str, str]:
    """Today's sitting for the desk of ``venue``, if the page was opened without a 场次 or a search:
    ``{"key", "label", "day"}``, else {}."""
    if "sitting" in request.query_params or request.query_params.get("q"):
        return {}
    moment = request.app.state.commands.clock().astimezone(ROUND_ZONE)
    rows = await request.app.state.reads.fetch(VENUE_SITTINGS, round_key, venue)
    key = sitting_of_today(round_, moment.date(), moment.hour, {r["sitting"] for r in rows})
    if not key:
        return {}
    label = sitting_label(round_["sittings"][key])
    return {"key": key, "label": label, "day": f"{moment.month}月{moment.day}日"}
