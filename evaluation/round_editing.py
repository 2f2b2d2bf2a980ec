"""活动设置 — a round created empty and set up piece by piece (the setup pages), each change by its rule.

Every command finds the departments whose scoring window has ever opened (``scored``) and hands them to
the round, which decides: before the first window opens anything can change or go; after, a change that
cannot alter a counted ballot's meaning needs a reason (recorded in its event), and one that could is
refused (``ScoringStarted``). Removing what something still refers to is refused (``StillInUse``).

A save command adds an item or changes one. Told ``new`` (the page's 新增 form), it only adds: a code already
in use is refused (``AlreadyExists``) and nothing changes, since the organiser meant another item.
"""

from __future__ import annotations

from collections.abc import Callable

from evaluation.department import Department, department_id
from evaluation.errors import AlreadyExists, InvalidInput
from evaluation.instrument import Instrument
from evaluation.representative import Roster, roster_id
from evaluation.roster_check import representatives_of
from evaluation.round import Round, round_id
from evaluation.round_plan import RoundPlan
from evaluation.round_setup import RoundProfile, RoundSetup, round_profile_id
from evaluation.service import ServiceBase
from evaluation.setup_rules import (
    DATE_RULE,
    KEY,
    KEY_RULE,
    MAX_NAME,
    MAX_TITLE,
    half_day_problem,
    share_problem,
    sitting_date,
)
from evaluation.window import ScoringWindow, window_id

Define = Callable[[Round, str, str, str, frozenset[str], str], None]
"""``Round.define_group`` or ``Round.define_venue``."""
Remove = Callable[[Round, str, str, str, frozenset[str], bool], None]
"""``Round.remove_category``, ``remove_venue`` or ``remove_sitting``."""


def checked_key(key: str, what: str) -> str:
    if not KEY.fullmatch(key):
        raise InvalidInput(f"{what}代码{KEY_RULE}")
    return key


def checked_name(name: str, what: str, longest: int = MAX_NAME) -> str:
    name = name.strip()
    if not name or len(name) > longest:
        raise InvalidInput(f"{what}名称不能为空，且最多 {longest} 个字")
    return name


class RoundEditing(ServiceBase):
    def create_empty_round(self, key: str, title: str, year: int | None, by: str) -> tuple[str, str]:
        """新建评议活动: the default instrument, check-in required (as every new round), nothing else yet.
        Returns the key and the round's organiser sign-in code."""
        checked_key(key, "活动")
        title = checked_name(title, "活动", MAX_TITLE)
        if year is not None and not 2000 <= year <= 2100:
            raise InvalidInput(f"年度「{year}」不是 2000 到 2100 之间的年份")
        if self.find(Round, round_id(key)):
            raise AlreadyExists(what=f"评议活动「{key}」")
        round_ = Round(key=key, title=title, instrument=Instrument().to_dict(), by=by)
        round_.require_check_in(True, by)
        self.save(round_, RoundProfile(key, year, "", "", by))
        return key, self.keys.organiser_code(key)

    def save_basics(self, round_key: str, title: str, year: int | None, by: str, reason: str = "") -> None:
        """活动名称与年度."""
        round_ = self.round(round_key)
        if year is not None and not 2000 <= year <= 2100:
            raise InvalidInput(f"年度「{year}」不是 2000 到 2100 之间的年份")
        scored = self.scored_departments(round_key)
        round_.retitle(title, by, reason, scored)
        profile = self.find(RoundProfile, round_profile_id(round_key))
        if profile is None:  # a round created before profiles were kept
            profile = RoundProfile(round_key, year, "", "", by)
        elif profile.year != year:
            profile.set_year(year, by, round_.reason_for_change(scored, reason))
        self.save(round_, profile)

    def set_check_in(self, round_key: str, required: bool, by: str) -> None:
        """评分前须先签到 — whether a ballot needs its representative checked in at a hall."""
        round_ = self.round(round_key)
        if round_.check_in_required != required:
            round_.require_check_in(required, by)
            self.save(round_)

    def scored_departments(self, round_key: str) -> frozenset[str]:
        """The round's departments whose scoring window has opened at least once (a window exists only
        once opened: ``Sittings._window_command``). Empty: scoring has not begun."""
        round_ = self.round(round_key)
        return frozenset(d for d in round_.departments if self.find(ScoringWindow, window_id(round_key, d)))

    def setup_plan(self, round_key: str) -> RoundPlan:
        """The round's set-up as the setup pages show it (the plan without its representatives)."""
        return RoundSetup.round_plan(self, round_key, with_people=False)  # type: ignore[arg-type]

    def set_instrument(self, round_key: str, instrument: Instrument, by: str, reason: str = "") -> None:
        round_ = self.round(round_key)
        round_.change_instrument(instrument, by, reason, self.scored_departments(round_key))
        self.save(round_)

    def save_category(
        self, round_key: str, key: str, name: str, share: str, by: str, reason: str = "", new: bool = False
    ) -> None:
        round_ = self.round(round_key)
        if new:
            round_.check_new("categories", key, "代表类别")
        if problem := share_problem(share):
            raise InvalidInput(f"类别{problem}")
        scored = self.scored_departments(round_key)
        name = checked_name(name, "代表类别")
        round_.define_category(checked_key(key, "代表类别"), name, share, by, scored, reason)
        self.save(round_)

    def remove_category(self, round_key: str, key: str, by: str, reason: str = "") -> None:
        self._remove_placed(round_key, Round.remove_category, "category", key, by, reason)

    def save_group(
        self, round_key: str, key: str, name: str, by: str, reason: str = "", new: bool = False
    ) -> None:
        self._save_named(round_key, Round.define_group, "groups", "部门组", key, name, by, reason, new)

    def remove_group(self, round_key: str, key: str, by: str, reason: str = "") -> None:
        round_ = self.round(round_key)
        round_.remove_group(key, by, reason, self.scored_departments(round_key))
        self.save(round_)

    def save_venue(
        self, round_key: str, key: str, name: str, by: str, reason: str = "", new: bool = False
    ) -> None:
        self._save_named(round_key, Round.define_venue, "venues", "会场", key, name, by, reason, new)

    def remove_venue(self, round_key: str, key: str, by: str, reason: str = "") -> None:
        self._remove_placed(round_key, Round.remove_venue, "venue", key, by, reason)

    def save_sitting(
        self,
        round_key: str,
        key: str,
        name: str,
        date: str,
        half_day: str,
        by: str,
        reason: str = "",
        new: bool = False,
    ) -> None:
        """场次: a new one (empty agenda) or a new name, date or half-day of one (its agenda kept). The date is
        read as a workbook's cell is (``setup_rules.sitting_date``) and kept as 2027-03-15."""
        round_ = self.round(round_key)
        name = checked_name(name, "场次")
        if (kept := sitting_date(date)) is None:
            raise InvalidInput(f"日期「{date}」{DATE_RULE}")
        if problem := half_day_problem(half_day):
            raise InvalidInput(problem)
        agenda = list(round_.sittings.get(key, {}).get("agenda", []))
        scored = self.scored_departments(round_key)
        if new:
            round_.check_new("sittings", key, "场次")
        round_.define_sitting(checked_key(key, "场次"), name, kept, half_day, agenda, by, scored, reason)
        self.save(round_)

    def change_agenda(
        self, round_key: str, sitting: str, agenda: list[str], by: str, reason: str = ""
    ) -> None:
        """议程: the sitting's departments in report order."""
        round_ = self.round(round_key)
        s = round_.sittings.get(sitting)
        if s is None:
            raise InvalidInput(f"没有代码为「{sitting}」的场次")
        scored = self.scored_departments(round_key)
        round_.define_sitting(sitting, s["name"], s["date"], s["half_day"], agenda, by, scored, reason)
        self.save(round_)

    def remove_sitting(self, round_key: str, key: str, by: str, reason: str = "") -> None:
        self._remove_placed(round_key, Round.remove_sitting, "sitting", key, by, reason)

    def save_department(
        self,
        round_key: str,
        key: str,
        name: str,
        short_name: str,
        group: str,
        head: str,
        by: str,
        reason: str = "",
        new: bool = False,
    ) -> None:
        """被评议部门: enrols a new one (or one withdrawn earlier), or changes one's details and group."""
        round_ = self.round(round_key)
        if new:
            round_.check_new("departments", key, "部门")
        name = checked_name(name, "部门")
        short_name = short_name.strip() or name
        if len(short_name) > MAX_NAME or len(head) > MAX_NAME:
            raise InvalidInput(f"简称和负责人最多 {MAX_NAME} 个字")
        scored = self.scored_departments(round_key)
        dept = self.find(Department, department_id(round_key, checked_key(key, "部门")))
        if key in round_.departments and dept is not None:
            reason = round_.reason_for_change(scored, reason)
            round_.regroup_department(key, group, by, reason, scored)
            if (name, short_name, group, head.strip()) != (dept.name, dept.short_name, dept.group, dept.head):
                dept.change_details(name, short_name, group, head, by, reason)
            self.save(round_, dept)
            return
        round_.enrol_department(key, group, by, scored, reason)
        if dept is None:
            dept = Department(round_key, key, name, short_name, group, head.strip(), by)
        else:
            dept.rejoin(name, short_name, group, head.strip(), by)
        self.save(round_, dept)

    def remove_department(self, round_key: str, key: str, by: str, reason: str = "") -> None:
        round_ = self.round(round_key)
        round_.withdraw_department(key, by, reason, self.scored_departments(round_key))
        dept = self.load(Department, department_id(round_key, key), f"部门「{key}」")
        dept.withdraw(by, reason.strip())
        self.save(round_, dept)

    def _save_named(
        self,
        round_key: str,
        define: Define,
        collection: str,
        what: str,
        key: str,
        name: str,
        by: str,
        reason: str,
        new: bool,
    ) -> None:
        """A 部门组 or 会场 (``what``, in the round's ``collection``): a new one or a new name of one."""
        round_ = self.round(round_key)
        if new:
            round_.check_new(collection, key, what)
        name = checked_name(name, what)
        define(round_, checked_key(key, what), name, by, self.scored_departments(round_key), reason)
        self.save(round_)

    def _remove_placed(
        self, round_key: str, remove: Remove, field: str, key: str, by: str, reason: str
    ) -> None:
        """A category, venue or sitting: the round refuses one a representative is still placed in."""
        round_ = self.round(round_key)
        placed_in = placed(self, round_key, field, key)
        remove(round_, key, by, reason, self.scored_departments(round_key), placed_in)
        self.save(round_)


def placed(app: ServiceBase, round_key: str, field: str, key: str) -> bool:
    """Whether a representative of the round is placed in this category, venue or sitting."""
    roster = app.find(Roster, roster_id(round_key))
    return any(getattr(rep, field) == key for rep in representatives_of(app, roster))
