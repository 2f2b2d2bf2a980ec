"""评议活动 — one yearly round: its instrument, categories, groups, venues, sittings and agenda."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import AlreadyExists, InvalidInput, ResultsNotLocked, ScoringStarted, StillInUse
from evaluation.instrument import Instrument
from evaluation.round_checks import RoundChecks
from evaluation.setup_rules import MAX_TITLE, date_problem, half_day_problem, share_problem

NAMESPACE = uuid5(NAMESPACE_URL, "https://sanmin.example/evaluation")


def round_id(key: str) -> UUID:
    return uuid5(NAMESPACE, f"round:{key}")


class Round(RoundChecks, Aggregate):
    """评议活动 — the aggregate that holds a round's configuration and the state of its results."""

    check_in_required = False
    """签到后才能评分: rounds created before the rule existed never set it; new rounds set it on at creation."""
    pre_reading = False
    """公开预读: the organiser opened the round's reports to the public (``evaluation.reports``)."""
    proposal: tuple[str, str] | None = None
    """发布提议 — (the results officer who proposed publishing, when: ISO time), awaiting a second officer."""

    @event("Created")
    def __init__(self, key: str, title: str, instrument: dict[str, Any], by: str) -> None:
        self.key = key
        self.title = title
        self.instrument_dict = instrument
        self.created_by = by
        self.categories: dict[str, dict[str, str]] = {}
        self.groups: dict[str, str] = {}
        self.venues: dict[str, str] = {}
        self.sittings: dict[str, dict[str, Any]] = {}
        self.departments: dict[str, str] = {}
        self.components: dict[str, dict[str, str]] = {}
        self.revealed = False
        self.locked = False
        self.published = False

    @staticmethod
    def create_id(key: str, title: str, instrument: dict[str, Any]) -> UUID:
        """Asked only when a round is made, never on replay: its setup rules (``RoundChecks.check_new_round``)."""
        Round.check_new_round(key, title, instrument)
        return round_id(key)

    # --- preparation (准备): ``scored`` as ``RoundChecks.reason_for_change`` says ----------------------
    def retitle(self, title: str, by: str, reason: str = "", scored: frozenset[str] = frozenset()) -> None:
        """活动名称 — changes nothing a ballot means: with a reason once scoring began."""
        reason = self.reason_for_change(scored, reason)
        if not title.strip() or len(title.strip()) > MAX_TITLE:
            raise InvalidInput(f"活动名称不能为空，且最多 {MAX_TITLE} 个字")
        if title.strip() != self.title:
            self._retitled(title.strip(), by, reason)

    @event("Retitled")
    def _retitled(self, title: str, by: str, reason: str) -> None:
        self.title = title

    def change_instrument(
        self, instrument: Instrument, by: str, reason: str, scored: frozenset[str] = frozenset()
    ) -> None:
        """Once scoring began only the weights of the composite's components may change (not a ballot's
        meaning: they weigh whole results); the levels, criteria and tally parameters are fixed."""
        self._editable()
        if scored and replace(instrument, components=self.instrument.components) != self.instrument:
            raise ScoringStarted(what="评议表和计分参数")
        if problems := instrument.problems():
            raise InvalidInput("；".join(problems))
        self._instrument_changed(instrument.to_dict(), by, reason)

    @event("InstrumentChanged")
    def _instrument_changed(self, instrument: dict[str, Any], by: str, reason: str) -> None:
        self.instrument_dict = instrument

    def define_category(
        self, key: str, name: str, share: str, by: str, scored: frozenset[str] = frozenset(), reason: str = ""
    ) -> None:
        """代表类别: a new one, or a new name or share of one. Its share weighs counted ballots: fixed once
        scoring began, as is the list of categories."""
        reason = self.reason_for_change(scored, reason)
        self.check_item("代表类别", key, name, (p := share_problem(share)) and f"类别{p}")
        if scored and self.categories.get(key, {}).get("share") != share:
            raise ScoringStarted(what="代表类别及其权重")
        self._category_defined(key, name, share, by, reason)

    @event("CategoryDefined")
    def _category_defined(self, key: str, name: str, share: str, by: str, reason: str = "") -> None:
        self.categories[key] = {"name": name, "share": share}

    def remove_category(self, key: str, by: str, reason: str, scored: frozenset[str], placed: bool) -> None:
        reason = self.reason_for_change(scored, reason)
        self._known("categories", key, "代表类别")
        if scored:
            raise ScoringStarted(what="代表类别及其权重")
        if placed:
            raise StillInUse(what=f"代表类别「{self.categories[key]['name']}」（还有代表属于它）")
        self._category_removed(key, by, reason)

    @event("CategoryRemoved")
    def _category_removed(self, key: str, by: str, reason: str) -> None:
        del self.categories[key]

    def define_group(
        self, key: str, name: str, by: str, scored: frozenset[str] = frozenset(), reason: str = ""
    ) -> None:
        self.check_item("部门组", key, name)
        self._group_defined(key, name, by, self.reason_for_change(scored, reason))

    @event("GroupDefined")
    def _group_defined(self, key: str, name: str, by: str, reason: str = "") -> None:
        self.groups[key] = name

    def remove_group(self, key: str, by: str, reason: str, scored: frozenset[str]) -> None:
        reason = self.reason_for_change(scored, reason)
        self._known("groups", key, "部门组")
        if key in self.departments.values():
            raise StillInUse(what=f"部门组「{self.groups[key]}」（还有部门属于它）")
        self._group_removed(key, by, reason)

    @event("GroupRemoved")
    def _group_removed(self, key: str, by: str, reason: str) -> None:
        del self.groups[key]

    def define_venue(
        self, key: str, name: str, by: str, scored: frozenset[str] = frozenset(), reason: str = ""
    ) -> None:
        self.check_item("会场", key, name)
        self._venue_defined(key, name, by, self.reason_for_change(scored, reason))

    @event("VenueDefined")
    def _venue_defined(self, key: str, name: str, by: str, reason: str = "") -> None:
        self.venues[key] = name

    def remove_venue(self, key: str, by: str, reason: str, scored: frozenset[str], placed: bool) -> None:
        reason = self.reason_for_change(scored, reason)
        self._known("venues", key, "会场")
        if placed:
            raise StillInUse(what=f"会场「{self.venues[key]}」（还有代表在此会场）")
        self._venue_removed(key, by, reason)

    @event("VenueRemoved")
    def _venue_removed(self, key: str, by: str, reason: str) -> None:
        del self.venues[key]

    def enrol_department(
        self, key: str, group: str, by: str, scored: frozenset[str] = frozenset(), reason: str = ""
    ) -> None:
        reason = self.reason_for_change(scored, reason)
        if key in self.departments:
            raise AlreadyExists(what=f"部门 {key} ")
        self.check_item("部门", key)
        self._known("groups", group, "部门组")
        self._department_enrolled(key, group, by, reason)

    def regroup_department(self, key: str, group: str, by: str, reason: str, scored: frozenset[str]) -> None:
        """Moves a department to another 部门组 (it is ranked within it): not once its sitting was scored."""
        reason = self.reason_for_change(scored, reason)
        self._known("departments", key, "部门")
        self._known("groups", group, "部门组")
        if self.departments[key] != group:
            if self._sitting_scored(self.sitting_of(key), scored):
                raise ScoringStarted(what=f"已开始评分的场次中部门「{key}」的部门组")
            self._department_enrolled(key, group, by, reason)

    @event("DepartmentEnrolled")
    def _department_enrolled(self, key: str, group: str, by: str, reason: str = "") -> None:
        self.departments[key] = group

    def withdraw_department(self, key: str, by: str, reason: str, scored: frozenset[str]) -> None:
        """Removes a department from the round: only one in no agenda, never scored, with no other score."""
        reason = self.reason_for_change(scored, reason)
        self._check_withdrawal(key, scored)
        self._department_withdrawn(key, by, reason)

    @event("DepartmentWithdrawn")
    def _department_withdrawn(self, key: str, by: str, reason: str) -> None:
        del self.departments[key]

    def define_sitting(
        self,
        key: str,
        name: str,
        date: str,
        half_day: str,
        agenda: list[str],
        by: str,
        scored: frozenset[str] = frozenset(),
        reason: str = "",
    ) -> None:
        """场次 and its 议程: the departments that report in it, in order. Once a sitting was scored, none of
        its departments may leave it (their ballots were cast in it), nor may one move from another scored
        sitting; names, dates, the order of reports and new departments remain (with a reason)."""
        reason = self.reason_for_change(scored, reason)
        self.check_item("场次", key, name, date_problem(date), half_day_problem(half_day))
        self._check_agenda(key, agenda, scored)
        self._sitting_defined(key, name, date, half_day, agenda, by, reason)

    @event("SittingDefined")
    def _sitting_defined(
        self, key: str, name: str, date: str, half_day: str, agenda: list[str], by: str, reason: str = ""
    ) -> None:
        self.sittings[key] = {"name": name, "date": date, "half_day": half_day, "agenda": list(agenda)}

    def remove_sitting(self, key: str, by: str, reason: str, scored: frozenset[str], placed: bool) -> None:
        """Removes a 场次; its agenda's departments are then in no sitting. Not once it was scored, nor while
        representatives sit in it."""
        reason = self.reason_for_change(scored, reason)
        self._known("sittings", key, "场次")
        if self._sitting_scored(key, scored):
            raise ScoringStarted(what=f"已开始评分的场次「{self.sittings[key]['name']}」")
        if placed:
            raise StillInUse(what=f"场次「{self.sittings[key]['name']}」（还有代表参加此场次）")
        self._sitting_removed(key, by, reason)

    @event("SittingRemoved")
    def _sitting_removed(self, key: str, by: str, reason: str) -> None:
        del self.sittings[key]

    # --- results (结果) ------------------------------------------------------------------------------

    def import_component(self, component: str, scores: dict[str, str], by: str, reason: str) -> None:
        """Import another component (e.g. 日常评议) of the composite result, 0-100 per department."""
        self._editable()
        if component == "live" or component not in self.instrument.components:
            raise InvalidInput(f"本次活动没有名为「{component}」的组成部分")
        for dept in scores:
            self._known("departments", dept, "部门")
        self._component_imported(component, scores, by, reason)

    def require_check_in(self, required: bool, by: str) -> None:
        """Whether a representative must be checked in (签到) at a hall before their ballot counts: may change
        until the results are locked (a venue's desk added, or dropped, on the day)."""
        self._editable()
        self._check_in_set(required, by)

    @event("CheckInRequirementSet")
    def _check_in_set(self, required: bool, by: str) -> None:
        self.check_in_required = required

    @event("ComponentImported")
    def _component_imported(self, component: str, scores: dict[str, str], by: str, reason: str) -> None:
        self.components[component] = dict(scores)

    @event("ResultsRevealed")
    def reveal_results(self, by: str) -> None:
        """亮分 — show the live ranking on the projector."""
        self.revealed = True

    @event("ResultsHidden")
    def hide_results(self, by: str) -> None:
        self.revealed = False

    def lock_results(self, by: str) -> None:
        self._editable()
        self._results_locked(by)

    @event("ResultsLocked")
    def _results_locked(self, by: str) -> None:
        self.locked = True

    def publish_results(self, by: str) -> None:
        if not self.locked:
            raise ResultsNotLocked()
        if not self.published:
            self._results_published(by)

    @event("ResultsPublished")
    def _results_published(self, by: str) -> None:
        self.published = True
        self.proposal = None

    def propose_publication(self, by: str, at: str) -> None:
        """计票员提议发布 — the first of the two signatures; a second officer confirms (``publish_results``)."""
        if not self.locked:
            raise ResultsNotLocked()
        self._publication_proposed(by, at)

    @event("PublicationProposed")
    def _publication_proposed(self, by: str, at: str) -> None:
        self.proposal = (by, at)

    # --- reports (述职报告) ---------------------------------------------------------------------------

    @event("PreReadingOpened")
    def open_pre_reading(self, by: str) -> None:
        """公开预读 — the round's reports are shown on the public pre-reading page."""
        self.pre_reading = True

    @event("PreReadingClosed")
    def close_pre_reading(self, by: str, reason: str) -> None:
        self.pre_reading = False
