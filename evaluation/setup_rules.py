"""活动设置的取值规则 — the one rule for each value of a round's set-up that comes both from the setup forms
(``round_editing``) and from a round plan or its workbook (``round_plan.plan_problems``, ``workbook/reader.py``):
codes, sitting dates, category shares. Each rule answers with its problem in plain Chinese, or None when the
value is good, so that a form refuses its one value and a plan lists every problem at once; what a form
accepts a workbook accepts, and the other way round.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from evaluation.errors import InvalidInput

MAX_KEY = 40
KEY = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_KEY}}}", re.ASCII)
"""A code — of a round, category, group, venue, sitting, department, level or criterion. Codes name their item
in URL paths (``/organiser/windows/{department}/open``), in files and in events: a ``/``, ``?``, ``#``, a space
or a Chinese character there makes a path that reaches nothing (or something else)."""

KEY_RULE = f"须由 1 到 {MAX_KEY} 个字母、数字、- 或 _ 组成"


def key_problem(key: str, what: str) -> str | None:
    """Why ``key`` cannot be the code of a ``what`` (部门, 场次, 评价等次 …)."""
    return None if KEY.fullmatch(key) else f"{what}代码「{key}」{KEY_RULE}"


MAX_TITLE = 100
"""活动名称: at most this many characters (the forms' ``maxlength``, rounds.html and setup.html)."""
MAX_NAME = 100
"""The 名称 of a category, group, venue, sitting or department, and a department's 简称 and 负责人: at most this
many characters (the setup forms' ``maxlength``). A name is shown whole on the setup pages, the agenda, the
projector and the reports; longer than this is a slip (a cell pasted whole), not a name."""


def name_problem(name: str, what: str, longest: int, required: bool = True) -> str | None:
    """Why ``name`` cannot be a ``what`` (活动名称, 部门简称 …): blank when ``required``, or longer than ``longest``
    characters. The forms' ``maxlength`` is the same ``longest``, so what a form lets through, a workbook may
    hold, and the other way round."""
    if required and (not name.strip() or len(name) > longest):
        return f"{what}「{name}」须有 1 到 {longest} 个字"
    return f"{what}「{name}」最多 {longest} 个字" if len(name) > longest else None


def refuse(*problems: str | None) -> None:
    """A command refused (``InvalidInput``) with every problem found; nothing when there is none."""
    if found := [p for p in problems if p]:
        raise InvalidInput("；".join(found))


_WRITTEN_DATE = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})", re.ASCII)
DATE_RULE = "应是实际存在的日期，写成 2027-03-15 的形式"


def sitting_date(written: str) -> str | None:
    """A sitting's date as a form or a workbook cell writes it — 2027-03-15, 2027/3/15 or 2027.3.15, in ASCII
    digits — as the round keeps it (2027-03-15); "" (no date yet) stays "". None when it is not a day of the
    calendar: 2027-02-30, 2027-13-45, full-width ２０２７-０３-１６ (``\\d`` would take those digits)."""
    if not written:
        return ""
    found = _WRITTEN_DATE.fullmatch(written)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups())).isoformat()
    except ValueError:
        return None


def date_problem(kept: str) -> str | None:
    """Why ``kept`` cannot be a sitting's date in a plan: blank, or a real date written as the round keeps it."""
    return None if sitting_date(kept) == kept else f"日期「{kept}」{DATE_RULE}"


HALF_DAYS = ("上午", "下午")


def half_day_problem(half_day: str) -> str | None:
    """Why ``half_day`` cannot be a sitting's 时段: blank (not yet decided), 上午 or 下午."""
    return None if half_day in ("", *HALF_DAYS) else f"时段「{half_day}」应为上午或下午"


MAX_SHARE = Decimal(100)
SHARE_PLACES = 4
_PLAIN_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?", re.ASCII)


def share_problem(share: str) -> str | None:
    """Why ``share`` cannot be a category's share s_c (docs/scoring.md §3).

    A share is not a fraction of a whole: the score divides by the sum of the shares of the categories that
    voted, so 1 and 1, 0.5 and 0.5 or 50 and 50 weigh alike, and a share above 1 is ordinary (人大代表 2). Only
    the ratio between shares matters, so the bound is on what makes a sensible ratio: a plain decimal greater
    than 0, at most 100 and with at most 4 decimal places. That takes equal shares, doubled ones, percentages
    (30, 20, 50) and fractions (0.3, 0.25), and refuses a slip such as ``1e30`` (every other category would
    weigh nothing next to it, while the round's published rule still lists them) or ``0.00001``."""
    try:
        number = Decimal(share)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number <= 0:
        return f"权重「{share}」必须是正数"
    places = len(share.partition(".")[2].rstrip("0"))
    if not _PLAIN_NUMBER.fullmatch(share) or number > MAX_SHARE or places > SHARE_PLACES:
        return f"权重「{share}」须是不大于 {MAX_SHARE} 的数，最多 {SHARE_PLACES} 位小数（如 1、1.5、30）"
    return None
