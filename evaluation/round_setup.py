"""活动方案的创建与导出 — a whole round created from one plan in one transaction, and read back as a plan."""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from evaluation.department import Department, department_id
from evaluation.errors import AlreadyExists
from evaluation.instrument import Instrument
from evaluation.registration import _placed, registered, rows_fingerprint
from evaluation.representative import Roster, roster_id
from evaluation.roster_check import representatives_of
from evaluation.round import NAMESPACE, Round, round_id
from evaluation.round_plan import (
    PlannedCategory,
    PlannedDepartment,
    PlannedGroup,
    PlannedRepresentative,
    PlannedScore,
    PlannedSitting,
    PlannedVenue,
    PlanRejected,
    RoundPlan,
    plan_problems,
    scores_by_component,
)
from evaluation.service import ServiceBase, refuse_nul

FROM_PLAN = "随活动方案导入"
"""The reason recorded with other components' scores that came with the plan."""


def round_profile_id(round_key: str) -> UUID:
    return uuid5(NAMESPACE, f"round-profile:{round_key}")


class RoundProfile(Aggregate):
    """活动概况 — what a round is besides its configuration: its year, and the file it was created from."""

    @event("Created")
    def __init__(self, round_key: str, year: int | None, source: str, source_sha256: str, by: str) -> None:
        self.round_key = round_key
        self.year = year

    @staticmethod
    def create_id(round_key: str) -> UUID:
        return round_profile_id(round_key)

    @event("YearSet")
    def set_year(self, year: int | None, by: str, reason: str) -> None:
        """年度, changed on the setup pages."""
        self.year = year


class RoundSetup(ServiceBase):
    """The round as one plan: created whole from it (活动工作簿导入), and read back as one (导出)."""

    def create_round_from_plan(
        self, plan: RoundPlan, by: str, source: str = "", source_sha256: str = ""
    ) -> tuple[str, str]:
        """Creates the round and everything in the plan, all or nothing (one save); returns the round's key
        and its organiser sign-in code. Representatives get their credentials as an import gives them."""
        if problems := plan_problems(plan):
            raise PlanRejected(problems)
        if self.find(Round, round_id(plan.key)):
            raise AlreadyExists(what=f"评议活动「{plan.key}」")
        round_ = Round(key=plan.key, title=plan.title.strip(), instrument=plan.instrument.to_dict(), by=by)
        round_.require_check_in(plan.check_in_required, by)  # 是 unless the workbook says 否
        for category in plan.categories:
            round_.define_category(category.key, category.name, category.share, by)
        for group in plan.groups:
            round_.define_group(group.key, group.name, by)
        for venue in plan.venues:
            round_.define_venue(venue.key, venue.name, by)
        made: list[Aggregate] = [round_, RoundProfile(plan.key, plan.year, source, source_sha256, by)]
        for d in plan.departments:
            round_.enrol_department(d.key, d.group, by)
            made.append(Department(plan.key, d.key, d.name, d.short_name or d.name, d.group, d.head, by))
        for s in plan.sittings:
            round_.define_sitting(s.key, s.name, s.date, s.half_day, list(s.agenda), by)
        for component, scores in scores_by_component(plan).items():
            round_.import_component(component, scores, by, FROM_PLAN)
        if plan.representatives:
            made += self._registered(round_, plan.representatives, source, source_sha256, by)
        for aggregate in made:
            for pending in aggregate.pending_events:
                refuse_nul(vars(pending))
        try:
            self.save(*made)
        except IntegrityError:  # the same round created meanwhile by another command
            raise AlreadyExists(what=f"评议活动「{plan.key}」") from None
        return plan.key, self.keys.organiser_code(plan.key)

    def _registered(
        self, round_: Round, people: tuple[PlannedRepresentative, ...], source: str, sha: str, by: str
    ) -> list[Aggregate]:
        """A new roster numbering ``people`` from 1, each with a first credential (as an import)."""
        roster = Roster(round_.key)
        placed = [_placed(round_, person) for person in people]
        made, _ = registered(self.keys, round_.key, placed, 1, by)
        roster.enrol(len(people), source or "活动方案", sha, by, rows_fingerprint(placed))
        return [roster, *made]

    def round_plan(self, round_key: str, with_people: bool = True) -> RoundPlan:
        """The round's set-up as a plan (what its workbook holds), read from its aggregates; without its
        representatives when not ``with_people`` (the setup pages)."""
        round_ = self.round(round_key)
        profile = self.find(RoundProfile, round_profile_id(round_key))
        ids = [department_id(round_key, key) for key in round_.departments]
        departments = [d for i in ids if (d := self.find(Department, i)) is not None]
        roster = self.find(Roster, roster_id(round_key)) if with_people else None
        reps = representatives_of(self, roster)
        return RoundPlan(
            key=round_.key,
            title=round_.title,
            year=profile.year if profile else None,
            instrument=Instrument.from_dict(round_.instrument_dict),
            categories=tuple(PlannedCategory(k, c["name"], c["share"]) for k, c in round_.categories.items()),
            groups=tuple(PlannedGroup(k, name) for k, name in round_.groups.items()),
            venues=tuple(PlannedVenue(k, name) for k, name in round_.venues.items()),
            sittings=tuple(
                PlannedSitting(k, s["name"], s["date"], s["half_day"], tuple(s["agenda"]))
                for k, s in round_.sittings.items()
            ),
            departments=tuple(
                PlannedDepartment(d.key, d.name, d.short_name, d.group, d.head) for d in departments
            ),
            representatives=tuple(
                PlannedRepresentative(r.name, r.category, r.venue, r.sitting, r.phone) for r in reps
            ),
            other_scores=tuple(
                PlannedScore(component, dept, score)
                for component, scores in round_.components.items()
                for dept, score in scores.items()
            ),
            check_in_required=round_.check_in_required,
        )
