"""评议活动 — one yearly round: its instrument, categories, groups, venues, sittings and agenda."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import AlreadyExists, InvalidInput, NotFound, ResultsNotLocked, RoundNotEditable
from evaluation.instrument import Instrument

NAMESPACE = uuid5(NAMESPACE_URL, "https://sanmin.example/evaluation")


def round_id(key: str) -> UUID:
    return uuid5(NAMESPACE, f"round:{key}")


class Round(Aggregate):
    """评议活动 — the aggregate that holds a round's configuration and the state of its results."""

    check_in_required = False
    """签到后才能评分: rounds created before the rule existed never set it; new rounds set it on at creation."""
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
    def create_id(key: str) -> UUID:
        return round_id(key)

    @property
    def instrument(self) -> Instrument:
        """Built once per instrument (every ballot of a batch checks its choice against it)."""
        made: tuple[dict[str, Any], Instrument] | None = getattr(self, "_instrument_made", None)
        if made is None or made[0] is not self.instrument_dict:
            made = (self.instrument_dict, Instrument.from_dict(self.instrument_dict))
            self._instrument_made = made
        return made[1]

    # --- preparation (准备) -------------------------------------------------------------------------

    def change_instrument(self, instrument: Instrument, by: str, reason: str) -> None:
        self._editable()
        if problems := instrument.problems():
            raise InvalidInput("；".join(problems))
        self._instrument_changed(instrument.to_dict(), by, reason)

    @event("InstrumentChanged")
    def _instrument_changed(self, instrument: dict[str, Any], by: str, reason: str) -> None:
        self.instrument_dict = instrument

    def define_category(self, key: str, name: str, share: str, by: str) -> None:
        self._editable()
        self._category_defined(key, name, share, by)

    @event("CategoryDefined")
    def _category_defined(self, key: str, name: str, share: str, by: str) -> None:
        self.categories[key] = {"name": name, "share": share}

    def define_group(self, key: str, name: str, by: str) -> None:
        self._editable()
        self._group_defined(key, name, by)

    @event("GroupDefined")
    def _group_defined(self, key: str, name: str, by: str) -> None:
        self.groups[key] = name

    def define_venue(self, key: str, name: str, by: str) -> None:
        self._editable()
        self._venue_defined(key, name, by)

    @event("VenueDefined")
    def _venue_defined(self, key: str, name: str, by: str) -> None:
        self.venues[key] = name

    def enrol_department(self, key: str, group: str, by: str) -> None:
        self._editable()
        if key in self.departments:
            raise AlreadyExists(what=f"部门 {key} ")
        self._known("groups", group, "部门组")
        self._department_enrolled(key, group, by)

    @event("DepartmentEnrolled")
    def _department_enrolled(self, key: str, group: str, by: str) -> None:
        self.departments[key] = group

    def define_sitting(
        self, key: str, name: str, date: str, half_day: str, agenda: list[str], by: str
    ) -> None:
        """场次 and its 议程: the departments that report in it, in order."""
        self._editable()
        for dept in agenda:
            self._known("departments", dept, "部门")
            elsewhere = self.sitting_of(dept)
            if elsewhere not in (None, key):
                raise InvalidInput(f"部门 {dept} 已安排在场次 {elsewhere}")
        if len(set(agenda)) != len(agenda):
            raise InvalidInput("议程中有重复的部门")
        self._sitting_defined(key, name, date, half_day, agenda, by)

    @event("SittingDefined")
    def _sitting_defined(
        self, key: str, name: str, date: str, half_day: str, agenda: list[str], by: str
    ) -> None:
        self.sittings[key] = {"name": name, "date": date, "half_day": half_day, "agenda": list(agenda)}

    def sitting_of(self, department: str) -> str | None:
        return next((k for k, s in self.sittings.items() if department in s["agenda"]), None)

    def check_placement(self, category: str, venue: str, sitting: str) -> None:
        self._known("categories", category, "代表类别")
        self._known("venues", venue, "会场")
        self._known("sittings", sitting, "场次")

    def _known(self, collection: str, key: str, what: str) -> None:
        if key not in getattr(self, collection):
            raise NotFound(what=f"{what}「{key}」")

    def _editable(self) -> None:
        if self.locked:
            raise RoundNotEditable()

    # --- results (结果) ------------------------------------------------------------------------------

    def import_component(self, component: str, scores: dict[str, str], by: str, reason: str) -> None:
        """Import another component (e.g. 日常评议) of the composite result, 0-100 per department."""
        self._editable()
        if component == "live" or component not in self.instrument.components:
            raise InvalidInput(f"本次活动没有名为「{component}」的组成部分")
        for dept in scores:
            self._known("departments", dept, "部门")
        self._component_imported(component, scores, by, reason)

    @event("CheckInRequirementSet")
    def require_check_in(self, required: bool, by: str) -> None:
        """Whether a representative must be checked in (签到) at a hall before their ballot counts."""
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
