"""评议活动的查验 — what a round's commands ask of its state before they change anything: is a key known (or,
for an addition, unused), is the round still editable, which sitting holds a department, was that sitting
scored, may an agenda stand, may a department leave. A mixin of ``evaluation.round.Round``: it reads the
round's state and raises the refusals; every change of state stays with the aggregate's events."""

from __future__ import annotations

from typing import Any

from evaluation.errors import (
    AlreadyExists,
    InvalidInput,
    NotFound,
    RoundNotEditable,
    ScoringStarted,
    StillInUse,
    optional_reason,
    stated,
)
from evaluation.instrument import Instrument
from evaluation.setup_rules import MAX_NAME, MAX_TITLE, key_problem, name_problem, refuse


class RoundChecks:
    """The round's questions and guards (a mixin: the state is the aggregate's)."""

    instrument_dict: dict[str, Any]
    sittings: dict[str, dict[str, Any]]
    components: dict[str, dict[str, str]]
    locked: bool

    @property
    def instrument(self) -> Instrument:
        """Built once per instrument (every ballot of a batch checks its choice against it)."""
        made: tuple[dict[str, Any], Instrument] | None = getattr(self, "_instrument_made", None)
        if made is None or made[0] is not self.instrument_dict:
            made = (self.instrument_dict, Instrument.from_dict(self.instrument_dict))
            self._instrument_made = made
        return made[1]

    @staticmethod
    def check_new_round(key: str, title: str, instrument: dict[str, Any]) -> None:
        """A new round's code, name and instrument, by the setup rules (``setup_rules``, ``Instrument``).

        Asked from ``Round.create_id``, which the library calls only when a round is made: so every new round
        passes here (a setup form, a workbook, a script), and a round recorded before a rule still replays (a
        rule in ``__init__`` would be asked again on every replay)."""
        title_problem = name_problem(title, "活动名称", MAX_TITLE)
        refuse(key_problem(key, "活动"), title_problem, *Instrument.from_dict(instrument).problems())

    @staticmethod
    def check_item(what: str, key: str, name: str | None = None, *more: str | None) -> None:
        """A 代表类别, 部门组, 会场, 场次 or 部门 (``what``) defined: its code and name by the setup rules (as the
        forms and a workbook have them), and the ``more`` problems its command found; ``InvalidInput`` with
        them all. A department's name is its own aggregate's (``Department``): ``name`` None."""
        named = None if name is None else name_problem(name, f"{what}名称", MAX_NAME)
        refuse(key_problem(key, what), named, *more)

    def _check_agenda(self, key: str, agenda: list[str], scored: frozenset[str]) -> None:
        """场次的议程: known departments, each in no other sitting and once; none may leave a scored sitting."""
        for dept in agenda:
            self._known("departments", dept, "部门")
            elsewhere = self.sitting_of(dept)
            if elsewhere not in (None, key):
                raise InvalidInput(f"部门 {dept} 已安排在场次 {elsewhere}")
        if len(set(agenda)) != len(agenda):
            raise InvalidInput("议程中有重复的部门")
        before = self.sittings.get(key, {}).get("agenda", [])
        if self._sitting_scored(key, scored) and set(before) - set(agenda):
            raise ScoringStarted(what="已开始评分的场次中的部门安排")

    def _check_withdrawal(self, key: str, scored: frozenset[str]) -> None:
        """A department may leave the round only when in no agenda, never scored, with no other score."""
        self._known("departments", key, "部门")
        if key in scored:
            raise ScoringStarted(what=f"已评分的部门「{key}」")
        if (sitting := self.sitting_of(key)) is not None:
            raise StillInUse(
                what=f"部门「{key}」（它在场次「{self.sittings[sitting]['name']}」的议程中，请先移出）"
            )
        if any(key in scores for scores in self.components.values()):
            raise StillInUse(what=f"部门「{key}」（其他得分中有它的成绩）")

    def _sitting_scored(self, sitting: str | None, scored: frozenset[str]) -> bool:
        return sitting is not None and bool(set(self.sittings.get(sitting, {}).get("agenda", [])) & scored)

    def reason_for_change(self, scored: frozenset[str], reason: str) -> str:
        """A change of the set-up: never once results are locked; with a reason once scoring began.

        ``scored``: the departments whose scoring window has ever opened (the application finds them). Until
        the first opens, everything can change; after, a change that cannot alter a counted ballot's meaning
        needs a reason (recorded with it), and one that could is refused (``ScoringStarted``)."""
        self._editable()
        return stated(reason) if scored else optional_reason(reason)

    def sitting_of(self, department: str) -> str | None:
        return next((k for k, s in self.sittings.items() if department in s["agenda"]), None)

    def check_placement(self, category: str, venue: str, sitting: str) -> None:
        self._known("categories", category, "代表类别")
        self._known("venues", venue, "会场")
        self._known("sittings", sitting, "场次")

    def check_new(self, collection: str, key: str, what: str) -> None:
        """新增: the code must be unused (``collection``: categories, groups, venues, sittings, departments),
        so that an addition never overwrites an item; an item is changed by saving that item."""
        if key in getattr(self, collection):
            raise AlreadyExists(
                f"新增须用一个未使用的代码；要修改原有的{what}，请直接修改那一项", what=f"{what}代码「{key}」"
            )

    def _known(self, collection: str, key: str, what: str) -> None:
        if key not in getattr(self, collection):
            raise NotFound(what=f"{what}「{key}」")

    def _editable(self) -> None:
        if self.locked:
            raise RoundNotEditable()
