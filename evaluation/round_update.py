"""用工作簿更新活动 — a round's set-up replaced by an edited workbook's plan, before its first scoring window
opens: first what would change (added / changed / removed, per sheet), then, once confirmed, all of it in one
save or nothing.

What the update does not do, it says: representatives are registered, imported and corrected on the roster
page (their sheet is compared, never applied). Removals are applied by the same commands the setup screens
use, with their checks: a category, venue or sitting someone is placed in, or a group a department still
belongs to, is not removed, and then nothing of the update is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate

from evaluation.department import Department, department_id
from evaluation.errors import InvalidInput, RoundNotEditable
from evaluation.roster_upkeep import scoring_started
from evaluation.round import Round
from evaluation.round_editing import placed
from evaluation.round_plan import (
    PlannedDepartment,
    PlanRejected,
    RoundPlan,
    plan_problems,
    scores_by_component,
)
from evaluation.round_setup import RoundProfile, RoundSetup, round_profile_id

ADDED, CHANGED, REMOVED, KEPT_APART = "新增", "修改", "删除", "不随工作簿更新"
SHEETS = {
    "round": "活动",
    "instrument": "评价等级 / 评价指标",
    "categories": "代表类别",
    "groups": "部门组",
    "venues": "会场",
    "sittings": "场次",
    "departments": "部门",
    "other_scores": "其他得分",
    "representatives": "代表",
}
STARTED = "第一个评分窗口已经开启，不能再用工作簿更新活动设置；请在各设置页面逐项修改"


class UpdatePlanRejected(PlanRejected):
    """The plan refused while updating a round: the round was left as it was (PlanRejected's code and
    problems; its message says nothing was changed, not that nothing was created)."""

    template = "活动方案有 {count} 处错误，未作任何修改"


@dataclass(frozen=True)
class PlanChange:
    """One line of what an update would do: in ``part`` (a RoundPlan field), ``kind`` the item ``key``."""

    part: str
    kind: str
    key: str
    before: str
    after: str

    @property
    def sheet(self) -> str:
        return SHEETS[self.part]

    @property
    def applies(self) -> bool:
        """Whether confirming records it (the roster is not applied: it is kept apart)."""
        return self.kind in (ADDED, CHANGED, REMOVED)


def plan_changes(old: RoundPlan, new: RoundPlan) -> list[PlanChange]:
    """Every difference between the round as it is (``old``) and the workbook (``new``), sheet by sheet."""
    found = _round_fields(old, new)
    found += _keyed("instrument", _instrument_items(old), _instrument_items(new))
    for part in ("categories", "groups", "venues", "sittings", "departments"):
        found += _keyed(part, _items(getattr(old, part)), _items(getattr(new, part)))
    found += _keyed("other_scores", _scores(old), _scores(new))
    before, after = _people(old), _people(new)
    if before != after:
        said = f"工作簿列出 {len(after)} 名代表，本活动现有 {len(before)} 名"
        found.append(
            PlanChange("representatives", KEPT_APART, "代表名单", said, "请在「代表名单」页面导入或修改")
        )
    return found


def _people(plan: RoundPlan) -> list[tuple[str, ...]]:
    """The plan's representatives with category, venue and sitting by key (a workbook may give names)."""
    keys = [
        {c.name: c.key for c in plan.categories},
        {v.name: v.key for v in plan.venues},
        {s.name: s.key for s in plan.sittings},
    ]
    return sorted(
        (
            p.name,
            *(
                names.get(given, given)
                for names, given in zip(keys, (p.category, p.venue, p.sitting), strict=True)
            ),
            p.phone or "",
        )
        for p in plan.representatives
    )


def _round_fields(old: RoundPlan, new: RoundPlan) -> list[PlanChange]:
    pairs = {
        "活动名称": (old.title, new.title),
        "年度": (old.year or "", new.year or ""),
        "评分前须先签到": ("是" if old.check_in_required else "否", "是" if new.check_in_required else "否"),
    }
    return [PlanChange("round", CHANGED, k, str(a), str(b)) for k, (a, b) in pairs.items() if a != b]


def _instrument_items(plan: RoundPlan) -> dict[str, str]:
    """The instrument as the workbook shows it: its settings, and each level or criterion."""
    d = plan.instrument.to_dict()
    items = {k: str(d[k]) for k in ("kind", "weighting", "trim", "min_valid_votes", "unknown_label")}
    items["satisfied_threshold"] = str(d.get("satisfied_threshold", ""))
    weights = sorted(d["components"].items())
    items["components"] = "、".join(f"{k} {format(Decimal(w).normalize(), 'f')}" for k, w in weights)
    for level in d.get("levels", []):
        items[f"等级 {level[0]}"] = " ".join(map(str, level[1:]))
    for criterion in d.get("criteria", []):
        items[f"指标 {criterion[0]}"] = " ".join(map(str, criterion[1:]))
    return items


FIELD_TITLES = {
    "name": "名称",
    "share": "权重",
    "date": "日期",
    "half_day": "时段",
    "agenda": "议程",
    "short_name": "简称",
    "group": "部门组",
    "head": "负责人",
}
"""How the workbook's columns are called, for showing an item's fields."""


def _items(listed: Iterable[Any]) -> dict[str, str]:
    """Each item by key, its fields as 「名称 第二场；议程 kjj、zjj」 (a department's blank short name is its
    name, as the round records it)."""
    shown = {}
    for item in listed:
        if isinstance(item, PlannedDepartment):
            item = replace(item, short_name=item.short_name or item.name)
        values = {f: getattr(item, f) for f in FIELD_TITLES if hasattr(item, f)}
        shown[item.key] = "；".join(
            f"{FIELD_TITLES[f]} {'、'.join(v) if isinstance(v, tuple) else v}" for f, v in values.items() if v
        )
    return shown


def _differing(before: str, after: str) -> tuple[str, str]:
    """Only the fields that differ, on both sides (「名称 …；议程 …」 parts)."""
    old, new = before.split("；"), after.split("；")
    return "；".join(p for p in old if p not in new), "；".join(p for p in new if p not in old)


def _scores(plan: RoundPlan) -> dict[str, str]:
    return {f"{s.component} · {s.department}": s.score for s in plan.other_scores}


def _keyed(part: str, old: dict[str, str], new: dict[str, str]) -> list[PlanChange]:
    changes = [PlanChange(part, ADDED, k, "", v) for k, v in new.items() if k not in old]
    changes += [
        PlanChange(part, CHANGED, k, *_differing(old[k], v))
        for k, v in new.items()
        if k in old and old[k] != v
    ]
    return changes + [PlanChange(part, REMOVED, k, v, "") for k, v in old.items() if k not in new]


class RoundUpdate(RoundSetup):
    def round_update_changes(self, round_key: str, plan: RoundPlan) -> list[PlanChange]:
        """What updating the round with ``plan`` would change; refused as the update itself would be (it is
        tried on the round as loaded, and nothing is saved)."""
        changes, _ = self._applied(round_key, plan, "", "")
        return changes

    def update_round_from_plan(self, round_key: str, plan: RoundPlan, by: str, source: str = "") -> int:
        """Applies the plan's additions, changes and removals, all in one save; returns how many it applied.

        Refused whole once a window has opened, when the plan is another round's or has problems, or when a
        removal is refused (something still uses what it removes)."""
        changes, made = self._applied(round_key, plan, by, source)
        self.save(*made)
        return sum(1 for c in changes if c.applies)

    def _applied(
        self, round_key: str, plan: RoundPlan, by: str, source: str
    ) -> tuple[list[PlanChange], list[Aggregate]]:
        """The changes, and the aggregates holding their events (not saved). Sittings go first (their
        departments are then free to join another), then what is defined, then departments leave (out of
        every agenda by then), then groups, categories and venues nothing uses any more."""
        round_ = self._updatable(round_key, plan)
        changes = plan_changes(self.round_plan(round_key), plan)
        gone = {part: [c.key for c in changes if c.kind == REMOVED and c.part == part] for part in SHEETS}
        reason = f"随活动工作簿更新（{source}）" if source else "随活动工作簿更新"
        nothing: frozenset[str] = frozenset()  # no window has opened (``_updatable``)
        made: list[Aggregate] = [round_]
        if plan.instrument != round_.instrument:
            round_.change_instrument(plan.instrument, by, reason)
        if plan.title.strip() != round_.title:
            round_.retitle(plan.title.strip(), by, reason)
        if plan.check_in_required != round_.check_in_required:
            round_.require_check_in(plan.check_in_required, by)
        profile = self.find(RoundProfile, round_profile_id(round_key))
        if profile is not None and profile.year != plan.year:
            profile.set_year(plan.year, by, reason)
            made.append(profile)
        for key in gone["sittings"]:
            round_.remove_sitting(key, by, reason, nothing, placed(self, round_key, "sitting", key))
        for c in plan.categories:
            if round_.categories.get(c.key) != {"name": c.name, "share": c.share}:
                round_.define_category(c.key, c.name, c.share, by)
        for g in plan.groups:
            if round_.groups.get(g.key) != g.name:
                round_.define_group(g.key, g.name, by)
        for v in plan.venues:
            if round_.venues.get(v.key) != v.name:
                round_.define_venue(v.key, v.name, by)
        made += self._departments_updated(round_, plan, by, reason)
        _sittings_updated(round_, plan, by)
        wanted = scores_by_component(plan)
        for component in sorted(set(wanted) | set(round_.components)):
            scores = wanted.get(component, {})
            if round_.components.get(component, {}) != scores and component in round_.instrument.components:
                round_.import_component(component, scores, by, reason)
        for key in gone["departments"]:
            round_.withdraw_department(key, by, reason, nothing)
            department = self.load(Department, department_id(round_key, key), f"部门「{key}」")
            department.withdraw(by, reason)
            made.append(department)
        for key in gone["groups"]:
            round_.remove_group(key, by, reason, nothing)
        for key in gone["categories"]:
            round_.remove_category(key, by, reason, nothing, placed(self, round_key, "category", key))
        for key in gone["venues"]:
            round_.remove_venue(key, by, reason, nothing, placed(self, round_key, "venue", key))
        return changes, made

    def _updatable(self, round_key: str, plan: RoundPlan) -> Round:
        round_ = self.round(round_key)
        if plan.key != round_key:
            raise InvalidInput(f"工作簿的活动代码是「{plan.key}」，不是本活动的「{round_key}」")
        if round_.locked:
            raise RoundNotEditable()
        if scoring_started(self, round_):
            raise InvalidInput(STARTED)
        if problems := plan_problems(plan):
            raise UpdatePlanRejected(problems)
        return round_

    def _departments_updated(self, round_: Round, plan: RoundPlan, by: str, reason: str) -> list[Aggregate]:
        made: list[Aggregate] = []
        for d in plan.departments:
            short = d.short_name or d.name
            found = self.find(Department, department_id(round_.key, d.key))
            if found is None:
                round_.enrol_department(d.key, d.group, by)
                made.append(Department(round_.key, d.key, d.name, short, d.group, d.head, by))
                continue
            if (found.name, found.short_name, found.group, found.head) != (d.name, short, d.group, d.head):
                found.change_details(d.name, short, d.group, d.head, by, reason)
                made.append(found)
            if round_.departments.get(d.key) != d.group:
                round_.regroup_department(d.key, d.group, by, reason, frozenset())  # no window opened yet
        return made


def _sittings_updated(round_: Round, plan: RoundPlan, by: str) -> None:
    """Departments leaving a sitting leave first, so that one moving to another sitting is never in two."""
    new = {s.key: s for s in plan.sittings}
    for key, old in list(round_.sittings.items()):
        if key in new and (staying := [d for d in old["agenda"] if d in new[key].agenda]) != old["agenda"]:
            round_.define_sitting(key, old["name"], old["date"], old["half_day"], staying, by)
    for s in plan.sittings:
        wanted = {"name": s.name, "date": s.date, "half_day": s.half_day, "agenda": list(s.agenda)}
        if round_.sittings.get(s.key) != wanted:
            round_.define_sitting(s.key, s.name, s.date, s.half_day, list(s.agenda), by)
