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
from web.organiser.round_setup import setup_url
from web.platform.database import ReadModels
from web.platform.forms import organiser, render, round_row
from web.platform.sittings import sitting_label, sittings_in_order

SMALLEST_GROUP = 5
"""k = 5: a category with fewer representatives in a venue makes their ballots easier to tell apart."""

NONE_YET = {
    "categories": "还没有代表类别",
    "groups": "还没有部门组",
    "venues": "还没有会场",
    "departments": "还没有部门",
    "sittings": "还没有场次",
    "representatives": "还没有代表",
}
"""What an item says when what it asks about does not exist yet: a question about every department (or
venue, or representative) is not answered by a round that has none, so the item is not done."""

REPRESENTATIVES = ("/organiser/representatives", "登记或导入代表")


def set_up(round_: Any, page: str, label: str) -> tuple[str, str]:
    """A setup page of the round (活动设置: lists, departments, sittings) and the link's words."""
    return setup_url(round_["round_key"], page), label


@dataclass
class Item:
    """One line of the checklist: done when ``problems`` is empty."""

    key: str
    title: str
    fix_url: str
    fix_label: str
    problems: list[str] = field(default_factory=list)
    note: str = ""

    def none_yet(self, what: str, fix: tuple[str, str]) -> None:
        """Not done: there is no ``what`` (NONE_YET) yet; the link goes where it is added."""
        self.problems.append(NONE_YET[what])
        self.fix_url, self.fix_label = fix


Check = Callable[[ReadModels, Any], Awaitable[Item]]


async def lists_filled_in(reads: ReadModels, round_: Any) -> Item:
    """代表类别、部门组、会场: the lists everything else refers to, filled in on one setup page."""
    item = Item("lists", "已设置代表类别、部门组和会场", *set_up(round_, "lists", "设置类别、部门组与会场"))
    item.problems = [NONE_YET[what] for what in ("categories", "groups", "venues") if not round_[what]]
    return item


async def departments_registered(reads: ReadModels, round_: Any) -> Item:
    item = Item("departments", "已登记被评议部门", *set_up(round_, "departments", "登记部门"))
    if not await department_names(reads, round_["round_key"]):
        item.problems.append(NONE_YET["departments"])
    return item


async def sittings_defined(reads: ReadModels, round_: Any) -> Item:
    item = Item("sittings", "已设置场次", *set_up(round_, "sittings", "设置场次与议程"))
    if not round_["sittings"]:
        item.problems.append(NONE_YET["sittings"])
    return item


async def departments_without_report(reads: ReadModels, round_: Any) -> Item:
    """部门未提交述职报告 — from departments_view.report (null until the department submits one)."""
    item = Item("reports", "各部门已提交述职报告", "/organiser/departments", "查看部门")
    if not await department_names(reads, round_["round_key"]):
        item.none_yet("departments", set_up(round_, "departments", "登记部门"))
        return item
    rows = await reads.fetch(UNREPORTED_DEPARTMENTS, round_["round_key"])
    item.problems = [f"「{r['name']}」尚未提交述职报告" for r in rows]
    return item


async def sittings_without_agenda(reads: ReadModels, round_: Any) -> Item:
    item = Item("agenda", "每个场次都排好了议程", *set_up(round_, "sittings", "排定场次的议程"))
    item.problems = [
        f"{sitting_label(s)}没有安排任何部门" for _, s in sittings_in_order(round_) if not s["agenda"]
    ]
    if not round_["sittings"]:
        item.none_yet("sittings", set_up(round_, "sittings", "设置场次与议程"))
    return item


async def departments_in_no_sitting(reads: ReadModels, round_: Any) -> Item:
    item = Item("placed", "每个部门都安排在一个场次", *set_up(round_, "sittings", "排定场次的议程"))
    names = await department_names(reads, round_["round_key"])
    if not names:
        item.none_yet("departments", set_up(round_, "departments", "登记部门"))
        return item
    placed = {d for s in round_["sittings"].values() for d in s["agenda"]}
    item.problems = [f"「{name}」不在任何场次的议程中" for key, name in names.items() if key not in placed]
    return item


async def venues_without_representatives(reads: ReadModels, round_: Any) -> Item:
    item = Item("venues", "每个会场都有代表", *REPRESENTATIVES)
    counts = await reads.fetch(VENUE_CATEGORY_COUNTS, round_["round_key"])
    peopled = {r["venue"] for r in counts}
    item.problems = [f"「{name}」还没有代表" for key, name in round_["venues"].items() if key not in peopled]
    if not round_["venues"]:
        item.none_yet("venues", set_up(round_, "lists", "设置类别、部门组与会场"))
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
    if not counts:
        item.none_yet("representatives", REPRESENTATIVES)
        return item
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
    if not await reads.fetch(VENUE_CATEGORY_COUNTS, round_["round_key"]):
        item.none_yet("representatives", REPRESENTATIVES)
        return item
    rows = await reads.fetch(UNPRINTED_CARDS, round_["round_key"])
    sittings, venues = round_["sittings"], round_["venues"]
    item.problems = [
        f"{sitting_label(sittings[r['sitting']]) if r['sitting'] in sittings else r['sitting']}"
        f" · {venues.get(r['venue'], r['venue'])}：{r['cards']} 张未打印"
        for r in rows
    ]
    return item


CHECKS: tuple[Check, ...] = (
    lists_filled_in,
    departments_registered,
    sittings_defined,
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
