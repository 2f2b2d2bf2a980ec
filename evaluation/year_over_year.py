"""历年对比的对应关系 — which earlier round a round follows, and which of its departments each department was.

A department's key is per round (``department:{round}:{key}``), and two cities' rounds on one deployment may
use the same codes; so a round is compared with no other until its organiser says which round it follows
(上一轮评议活动, e.g. the same city's previous year). Its departments are then matched with the previous round's
by their code — the same code in each year's workbook — or, for a code the previous round lacks, by the same
name or short name (``projections.year_over_year``). The organiser may confirm or override a department's
match (or say it has none: 新设部门), each recorded as an event with who and why.

Only the link lives here; the numbers compared are the published results of each round, read from the views.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import EvaluationError, InvalidInput
from evaluation.round import NAMESPACE, Round, round_id
from evaluation.round_setup import RoundProfile, round_profile_id
from evaluation.service import ServiceBase

LONGEST_CHAIN = 30
"""How many earlier rounds a comparison follows at most (thirty years of one city's rounds)."""
NO_MATCH = ""
"""A department matched to nothing: it has no counterpart in the previous round (新设部门)."""


def lineage_id(round_key: str) -> UUID:
    return uuid5(NAMESPACE, f"round-lineage:{round_key}")


class LineageCycle(EvaluationError):
    code, template = "lineage_cycle", "「{previous}」已经在本活动之后（或就是本活动），不能作为上一轮评议活动"


class NoPreviousRound(EvaluationError):
    code, template = "no_previous_round", "请先选择本活动的上一轮评议活动，再对应部门"


class AlreadyMatched(EvaluationError):
    code = "already_matched"
    template = "上一轮的「{previous}」已对应本活动的「{other}」：一个部门只能是一个部门的上一轮；请先改动「{other}」的对应"


class Lineage(Aggregate):
    """历年对应 — the round this one follows, and the departments whose match the organiser set by hand."""

    @event("Created")
    def __init__(self, round_key: str, by: str) -> None:
        self.round_key = round_key
        self.previous = ""
        self.matches: dict[str, str] = {}

    @staticmethod
    def create_id(round_key: str) -> UUID:
        return lineage_id(round_key)

    @event("PreviousSet")
    def follow(self, previous: str, by: str, reason: str) -> None:
        """上一轮评议活动 ("" for none). A new previous round drops the matches made against the old one."""
        self.previous = previous
        self.matches = {}

    def match(self, department: str, previous_department: str, by: str, reason: str) -> None:
        """Refused for a previous department the organiser matched with another of this round already: both
        would show its results as their own (a merge keeps one predecessor, the other's line ends)."""
        if not self.previous:
            raise NoPreviousRound()
        if previous_department != NO_MATCH and (other := self.matched_to(previous_department, department)):
            raise AlreadyMatched(previous=previous_department, other=other)
        self._matched(department, previous_department, by, reason)

    def matched_to(self, previous_department: str, but: str) -> str:
        """The department (not ``but``) the organiser matched with ``previous_department``; "" if none."""
        return next((d for d, p in self.matches.items() if p == previous_department and d != but), "")

    @event("DepartmentMatched")
    def _matched(self, department: str, previous_department: str, by: str, reason: str) -> None:
        """``previous_department`` is the department's key in the previous round, or ``NO_MATCH``."""
        self.matches[department] = previous_department


@dataclass(frozen=True)
class LinkedRound:
    """One round of a comparison chain: its year, the round it follows, and the matches set by hand."""

    round_key: str
    year: int | None
    previous: str
    matches: dict[str, str]


class YearOverYear(ServiceBase):
    """The organiser's commands linking a round to its previous one, and the chain a comparison follows."""

    def follow_round(self, round_key: str, previous: str, by: str, reason: str = "") -> None:
        """Links ``round_key`` to the round it follows (``previous``: a round key, or "" to unlink)."""
        self.round(round_key)
        previous = previous.strip()
        if previous:
            self.round(previous)
            if any(r.round_key == round_key for r in self.lineage(previous)):
                raise LineageCycle(previous=previous)
        lineage = self._lineage(round_key, by)
        if lineage.previous != previous:
            lineage.follow(previous, by, reason.strip()[:200])
            self.save(lineage)

    def match_department(
        self, round_key: str, department: str, previous_department: str, by: str, reason: str = ""
    ) -> None:
        """Says which department of the previous round ``department`` was (``NO_MATCH``: none)."""
        round_ = self.round(round_key)
        if department not in round_.departments:
            raise InvalidInput(f"本活动没有部门「{department}」")
        lineage = self._lineage(round_key, by)
        if not lineage.previous:
            raise NoPreviousRound()
        earlier = self.round(lineage.previous).departments
        if previous_department != NO_MATCH and previous_department not in earlier:
            raise InvalidInput(f"上一轮评议活动没有部门「{previous_department}」")
        if previous_department != NO_MATCH and (other := lineage.matched_to(previous_department, department)):
            raise AlreadyMatched(  # said by name: the lineage holds only codes
                previous=self.department_name(lineage.previous, previous_department),
                other=self.department_name(round_key, other),
            )
        if lineage.matches.get(department) != previous_department:
            lineage.match(department, previous_department, by, reason.strip()[:200])
            self.save(lineage)

    def lineage(self, round_key: str) -> list[LinkedRound]:
        """The round and the rounds before it, newest first, following each one's previous round."""
        chain: list[LinkedRound] = []
        key = round_key
        while key and len(chain) <= LONGEST_CHAIN and all(r.round_key != key for r in chain):
            if self.find(Round, round_id(key)) is None:
                break
            lineage = self.find(Lineage, lineage_id(key))
            profile = self.find(RoundProfile, round_profile_id(key))
            previous = lineage.previous if lineage else ""
            matches = dict(lineage.matches) if lineage else {}
            chain.append(LinkedRound(key, profile.year if profile else None, previous, matches))
            key = previous
        return chain

    def _lineage(self, round_key: str, by: str) -> Lineage:
        return self.find(Lineage, lineage_id(round_key)) or Lineage(round_key, by)
