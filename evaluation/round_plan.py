"""活动方案 — a whole round's set-up as one plain value, and every reason it cannot be created.

A plan is what an organiser hands over at once (the round's workbook): the round, its instrument,
categories, groups, venues, sittings with their agenda, departments, and optionally representatives and
the scores of other result components. ``plan_problems`` lists every problem, each placed by the part of
the plan, the item's position in it and the field, so a reader of the plan can say where it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, get_args, get_type_hints

from evaluation.errors import EvaluationError, InvalidInput
from evaluation.instrument import Instrument
from evaluation.registration import _resolve
from evaluation.roster import MAX_NAME as MAX_PERSON_NAME
from evaluation.roster import Listed, normalise_phone
from evaluation.setup_rules import (
    KEY,
    KEY_RULE,
    MAX_NAME,
    MAX_TITLE,
    date_problem,
    half_day_problem,
    key_problem,
    name_problem,
    share_problem,
)

LIVE = "live"


@dataclass(frozen=True)
class PlannedCategory:
    key: str
    name: str
    share: str


@dataclass(frozen=True)
class PlannedGroup:
    key: str
    name: str


@dataclass(frozen=True)
class PlannedVenue:
    key: str
    name: str


@dataclass(frozen=True)
class PlannedSitting:
    key: str
    name: str
    date: str
    half_day: str
    agenda: tuple[str, ...]


@dataclass(frozen=True)
class PlannedDepartment:
    key: str
    name: str
    short_name: str
    group: str
    head: str


PlannedRepresentative = Listed
"""A plan lists its representatives as a roster file does: category, venue and sitting by key or by name."""


@dataclass(frozen=True)
class PlannedScore:
    """One department's score (0-100) in another result component (e.g. 日常考核), whose weight is in the
    instrument's ``components``."""

    component: str
    department: str
    score: str


@dataclass(frozen=True)
class RoundPlan:
    key: str
    title: str
    year: int | None
    instrument: Instrument
    categories: tuple[PlannedCategory, ...]
    groups: tuple[PlannedGroup, ...]
    venues: tuple[PlannedVenue, ...]
    sittings: tuple[PlannedSitting, ...]
    departments: tuple[PlannedDepartment, ...]
    representatives: tuple[PlannedRepresentative, ...] = ()
    other_scores: tuple[PlannedScore, ...] = ()
    check_in_required: bool = True
    """评分前须先签到: a representative's ballot needs their check-in at a hall (every new round's default)."""


def item_type(part: str) -> type[Any]:
    """The type of the items a part of a plan lists (``PlannedGroup`` for "groups"): its field's type."""
    item: type[Any] = get_args(get_type_hints(RoundPlan)[part])[0]
    return item


@dataclass(frozen=True)
class PlanProblem:
    """``part`` names a field of RoundPlan ("round" for the round's own fields, "instrument" for the
    instrument as a whole); ``index`` the item in that part (None: the part as a whole); ``field`` the
    item's field ("" when it is about the whole item)."""

    part: str
    index: int | None
    field: str
    message: str


ROUND_SETTINGS = ("trim", "min_valid_votes", "unknown_label", "satisfied_threshold")
"""The instrument's settings that are the round's own (a workbook's 活动 sheet has a row for each): a problem
with one is the round's, placed by that field, not the instrument's as a whole."""


class PlanRejected(EvaluationError):
    """The whole plan is refused; ``problems`` lists every problem found."""

    code, template = "plan_rejected", "活动方案有 {count} 处错误，未创建任何内容"

    def __init__(self, problems: list[PlanProblem]) -> None:
        self.problems = problems
        super().__init__("；".join(p.message for p in problems[:5]), count=len(problems))


def plan_problems(plan: RoundPlan) -> list[PlanProblem]:
    found: list[PlanProblem] = []
    if not KEY.fullmatch(plan.key):
        found.append(PlanProblem("round", None, "key", f"活动代码{KEY_RULE}"))
    if not plan.title.strip():
        found.append(PlanProblem("round", None, "title", "活动名称不能为空"))
    elif problem := name_problem(plan.title.strip(), "活动名称", MAX_TITLE):
        found.append(PlanProblem("round", None, "title", problem))
    if plan.year is not None and not 2000 <= plan.year <= 2100:
        found.append(PlanProblem("round", None, "year", f"年度「{plan.year}」不是 2000 到 2100 之间的年份"))
    for field, message in plan.instrument.field_problems():
        part = "round" if field in ROUND_SETTINGS else "instrument"  # the round's own rows of settings
        found.append(PlanProblem(part, None, field if part == "round" else "", message))
    others = [w for c, w in plan.instrument.components.items() if c != LIVE]
    if any(w <= 0 for w in others) or sum(others, Decimal(0)) >= 1:
        found.append(PlanProblem("instrument", None, "components", "其他得分的权重须为正数，且合计小于 1"))
    for part in ("categories", "groups", "venues", "sittings", "departments"):
        found += _keys_and_names(part, getattr(plan, part))
    for index, category in enumerate(plan.categories):
        if problem := share_problem(category.share):
            found.append(PlanProblem("categories", index, "share", problem))
    groups = {g.key for g in plan.groups}
    for index, dept in enumerate(plan.departments):
        if dept.group not in groups:
            found.append(PlanProblem("departments", index, "group", f"没有代码为「{dept.group}」的部门组"))
        for field, what in (("short_name", "部门简称"), ("head", "部门负责人")):
            if problem := name_problem(getattr(dept, field), what, MAX_NAME, required=False):
                found.append(PlanProblem("departments", index, field, problem))
    found += _sitting_problems(plan)
    found += _representative_problems(plan)
    found += _score_problems(plan)
    return found


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def name(self) -> str: ...


PART_NAMES = {
    "categories": "代表类别",
    "groups": "部门组",
    "venues": "会场",
    "sittings": "场次",
    "departments": "部门",
}
"""What the items of each keyed part of a plan are called, in its problems."""


def _keys_and_names(part: str, items: Sequence[_Keyed]) -> list[PlanProblem]:
    """Each code present, unique, and of the one shape codes have (``setup_rules.KEY``: a code of another shape
    would make a page whose buttons post to paths that reach nothing); each name present, and no longer than
    the setup form allows (``setup_rules.MAX_NAME``)."""
    found = []
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if not item.key:
            found.append(PlanProblem(part, index, "key", "代码不能为空"))
        elif problem := key_problem(item.key, PART_NAMES[part]):
            found.append(PlanProblem(part, index, "key", problem))
        elif first.setdefault(item.key, index) != index:
            found.append(PlanProblem(part, index, "key", f"代码「{item.key}」重复"))
        if not item.name:
            found.append(PlanProblem(part, index, "name", "名称不能为空"))
        elif problem := name_problem(item.name, f"{PART_NAMES[part]}名称", MAX_NAME):
            found.append(PlanProblem(part, index, "name", problem))
    return found


def _sitting_problems(plan: RoundPlan) -> list[PlanProblem]:
    """Each sitting's date (``setup_rules.date_problem``, as the setup form's) and half-day; each department on
    one agenda at most."""
    found = []
    departments = {d.key for d in plan.departments}
    placed: dict[str, str] = {}
    for index, sitting in enumerate(plan.sittings):
        if problem := date_problem(sitting.date):
            found.append(PlanProblem("sittings", index, "date", problem))
        if problem := half_day_problem(sitting.half_day):
            found.append(PlanProblem("sittings", index, "half_day", problem))
        for dept in sitting.agenda:
            if dept not in departments:
                found.append(PlanProblem("sittings", index, "agenda", f"议程中的部门「{dept}」不在部门表中"))
            elif dept in placed:
                elsewhere = placed[dept]
                again = "重复列出" if elsewhere == sitting.key else f"已安排在场次「{elsewhere}」"
                found.append(PlanProblem("sittings", index, "agenda", f"部门「{dept}」{again}"))
            placed.setdefault(dept, sitting.key)
    return found


def _representative_problems(plan: RoundPlan) -> list[PlanProblem]:
    found = []
    names = {
        "category": ({c.key: c.name for c in plan.categories}, "代表类别"),
        "venue": ({v.key: v.name for v in plan.venues}, "会场"),
        "sitting": ({s.key: s.name for s in plan.sittings}, "场次"),
    }
    for index, rep in enumerate(plan.representatives):
        if not rep.name or len(rep.name) > MAX_PERSON_NAME:
            found.append(
                PlanProblem("representatives", index, "name", f"姓名不能为空，且最多 {MAX_PERSON_NAME} 个字")
            )
        if normalise_phone(rep.phone or "") != (rep.phone, None):
            found.append(PlanProblem("representatives", index, "phone", f"手机号「{rep.phone}」不正确"))
        for field, (known, what) in names.items():
            try:
                _resolve(getattr(rep, field), known, what)
            except InvalidInput as unknown:
                found.append(PlanProblem("representatives", index, field, unknown.detail))
    return found


def _score_problems(plan: RoundPlan) -> list[PlanProblem]:
    found = []
    departments = {d.key for d in plan.departments}
    first: dict[tuple[str, str], int] = {}
    for index, given in enumerate(plan.other_scores):
        if given.component == LIVE or given.component not in plan.instrument.components:
            found.append(
                PlanProblem("other_scores", index, "component", f"没有名为「{given.component}」的组成部分")
            )
        if given.department not in departments:
            found.append(
                PlanProblem("other_scores", index, "department", f"部门「{given.department}」不在部门表中")
            )
        elif first.setdefault((given.component, given.department), index) != index:
            repeated = f"部门「{given.department}」在项目「{given.component}」中重复"
            found.append(PlanProblem("other_scores", index, "department", repeated))
        if not _number_between(given.score, 0, 100):
            found.append(
                PlanProblem("other_scores", index, "score", f"得分「{given.score}」应为 0 到 100 之间的数")
            )
    return found


def scores_by_component(plan: RoundPlan) -> dict[str, dict[str, str]]:
    """As ``Results.import_component`` keeps them: each score written as its Decimal."""
    found: dict[str, dict[str, str]] = {}
    for given in plan.other_scores:
        found.setdefault(given.component, {})[given.department] = str(Decimal(given.score))
    return found


def _number_between(value: str, low: Decimal | int, high: Decimal | int | None) -> bool:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return False
    return number.is_finite() and number >= low and (high is None or number <= high)
