"""结果 — revealing on the projector, importing other components, locking and publishing."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from evaluation.errors import InvalidInput, ResultsNotLocked, ScoringUnderway, WindowAlreadyOpen
from evaluation.signed_suggestions import SignedSuggestions
from evaluation.staff import SecondOfficerRequired
from evaluation.window import ScoringWindow, window_id


class Results(SignedSuggestions):
    def reveal_results(self, round_key: str, by: str) -> None:
        """亮分 — the projector may show the live ranking."""
        round_ = self.round(round_key)
        if not round_.revealed:
            round_.reveal_results(by)
            self.save(round_)

    def hide_results(self, round_key: str, by: str) -> None:
        round_ = self.round(round_key)
        if round_.revealed:
            round_.hide_results(by)
            self.save(round_)

    def import_component(
        self, round_key: str, component: str, scores: dict[str, str], by: str, reason: str
    ) -> None:
        """e.g. 日常评议 — a score 0-100 per department, combined per docs/scoring.md §6."""
        for dept, value in scores.items():
            try:
                number = Decimal(value)
            except InvalidOperation:
                raise InvalidInput(f"部门 {dept} 的分数「{value}」不是数字") from None
            if not 0 <= number <= 100:
                raise InvalidInput(f"部门 {dept} 的分数须在 0 到 100 之间")
        round_ = self.round(round_key)
        round_.import_component(component, {d: str(Decimal(v)) for d, v in scores.items()}, by, reason)
        self.save(round_)

    def lock_results(self, round_key: str, by: str) -> None:
        """锁定 — only when every window is closed; nothing about the tally can change afterwards."""
        round_ = self.round(round_key)
        if scoring := self.being_scored(round_key):
            raise WindowAlreadyOpen("须先结束所有评分", department=self.department_name(round_key, scoring))
        round_.lock_results(by)
        self.save_releasing_suggestions(round_key, None, round_)

    def being_scored(self, round_key: str) -> str | None:
        """The department of the round whose scoring window is open, if any."""
        for dept in self.round(round_key).departments:
            window = self.find(ScoringWindow, window_id(round_key, dept))
            if window is not None and window.is_open:
                return dept
        return None

    def check_provisional_results(self, round_key: str) -> None:
        """下载临时结果 — refused while a department is being scored (``ScoringUnderway``)."""
        if scoring := self.being_scored(round_key):
            raise ScoringUnderway(department=self.department_name(round_key, scoring))

    def publish_results(self, round_key: str, by: str) -> None:
        """发布 — departments see their results and feedback from now on."""
        round_ = self.round(round_key)
        round_.publish_results(by)
        self.save(round_)

    def publish_as_officer(self, round_key: str, by: str, now: datetime) -> bool:
        """计票员发布 — two signatures, as on paper: the first results officer proposes, a different one confirms
        within ``CONFIRM_WITHIN``. Returns True once published, False when this was the proposal (a proposal
        older than that is void, and this one takes its place)."""
        round_ = self.round(round_key)
        if round_.published:
            return True
        if not round_.locked:
            raise ResultsNotLocked()
        proposal = round_.proposal
        if proposal is not None and now - datetime.fromisoformat(proposal[1]) <= CONFIRM_WITHIN:
            if proposal[0] == by:
                raise SecondOfficerRequired()
            round_.publish_results(by)
            self.save(round_)
            return True
        round_.propose_publication(by, now.isoformat())
        self.save(round_)
        return False


CONFIRM_WITHIN = timedelta(minutes=30)
"""How long a results officer's proposal to publish waits for the second officer."""
