"""准备情况 — the organiser's checklist before the first sitting: what is still missing in the round's set-up,
each item with a link to the page where it is put right.

Every item is one small function of the read models; ``departments_without_report`` is kept apart so that
the reports' own read model can be wired in one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.organiser.reads import (
    UNPRINTED_CARDS,
    UNREPORTED_DEPARTMENTS,
    VENUE_CATEGORY_COUNTS,
    department_names,
)
from web.platform.database import ReadModels
from web.platform.forms import organiser, render, round_row
from web.platform.sittings import sitting_label, sittings_in_order

SMALLEST_GROUP = 5
"""k = 5: a category with fewer representatives in a venue makes their ballots easier to tell apart."""

SET_UP = ("/organiser/workbook", "修改活动设置（上传活动工作簿）")
"""Where the round's sittings, agenda and departments are changed (the setup screens, once they exist)."""


@dataclass
class Item:
    """One line of the checklist: done when ``problems`` is empty."""

    key: str
    title: str
    fix_url: str
    fix_label: str
    problems: list[str] = field(default_factory=list)
    note: str = ""


Check = Callable[[ReadModels, Any], Awaitable[Item]]


async def departments_without_report(reads: ReadModels, round_: Any) -> Item:
    """部门未提交述职报告 — from departments_view.report (null until the department submits one)."""
    item = Item("reports", "各部门已提交述职报告", "/organiser/departments", "查看部门")
    rows = await reads.fetch(UNREPORTED_DEPARTMENTS, round_["round_key"])
    item.problems = [f"「{r['name']}」尚未提交述职报告" for r in rows]
    return item


async def sittings_without_agenda(reads: ReadModels, round_: Any) -> Item:
    item = Item("agenda", "每个场次都排好了议程", *SET_UP)
    item.problems = [
        f"{sitting_label(s)}没有安排任何部门" for _, s in sittings_in_order(round_) if not s["agenda"]
    ]
    if not round_["sittings"]:
        item.problems.append("尚未设置任何场次")
    return item


async def departments_in_no_sitting(reads: ReadModels, round_: Any) -> Item:
    item = Item("placed", "每个部门都安排在一个场次", *SET_UP)
    names = await department_names(reads, round_["round_key"])
    placed = {d for s in round_["sittings"].values() for d in s["agenda"]}
    item.problems = [f"「{name}」不在任何场次的议程中" for key, name in names.items() if key not in placed]
    return item


async def venues_without_representatives(reads: ReadModels, round_: Any) -> Item:
    item = Item("venues", "每个会场都有代表", "/organiser/representatives", "登记或导入代表")
    counts = await reads.fetch(VENUE_CATEGORY_COUNTS, round_["round_key"])
    peopled = {r["venue"] for r in counts}
    item.problems = [f"「{name}」还没有代表" for key, name in round_["venues"].items() if key not in peopled]
    if not round_["venues"]:
        item.problems.append("尚未设置任何会场")
    return item


async def small_categories(reads: ReadModels, round_: Any) -> Item:
    item = Item(
        "small",
        f"每个会场的每个代表类别至少有 {SMALLEST_GROUP} 人",
        "/organiser/representatives",
        "调整代表名单",
        note=f"某会场某类别的代表少于 {SMALLEST_GROUP} 人时，该类别的评议结果容易推断出个人的评价。",
    )
    counts = await reads.fetch(VENUE_CATEGORY_COUNTS, round_["round_key"])
    categories, venues = round_["categories"], round_["venues"]
    item.problems = [
        f"「{venues.get(r['venue'], r['venue'])}」的「{categories.get(r['category'], {}).get('name', r['category'])}」"
        f"只有 {r['people']} 人"
        for r in counts
        if r["people"] < SMALLEST_GROUP
    ]
    return item


async def cards_not_printed(reads: ReadModels, round_: Any) -> Item:
    item = Item("cards", "所有代表的评议卡都已打印", "/organiser/cards", "打印评议卡")
    rows = await reads.fetch(UNPRINTED_CARDS, round_["round_key"])
    sittings, venues = round_["sittings"], round_["venues"]
    item.problems = [
        f"{sitting_label(sittings[r['sitting']]) if r['sitting'] in sittings else r['sitting']}"
        f" · {venues.get(r['venue'], r['venue'])}：{r['cards']} 张未打印"
        for r in rows
    ]
    return item


CHECKS: tuple[Check, ...] = (
    departments_without_report,
    sittings_without_agenda,
    departments_in_no_sitting,
    venues_without_representatives,
    small_categories,
    cards_not_printed,
)


async def checklist(reads: ReadModels, round_: Any) -> list[Item]:
    return [await check(reads, round_) for check in CHECKS]


async def readiness(request: Request) -> Response:
    who = organiser(request)
    round_ = await round_row(request, who.round_key)
    items = await checklist(request.app.state.reads, round_)
    pending = sum(1 for item in items if item.problems)
    return render(request, "organiser/readiness.html", {"round": round_, "items": items, "pending": pending})


routes = [Route("/organiser/readiness", readiness)]
