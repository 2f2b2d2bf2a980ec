"""评分窗口 — the scoring window of one department: opened after its report, closed by the organiser."""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import ReasonRequired, WindowAlreadyOpen, WindowNotOpen, stated
from evaluation.round import NAMESPACE


@lru_cache(maxsize=4096)
def window_id(round_key: str, department: str) -> UUID:
    return uuid5(NAMESPACE, f"window:{round_key}:{department}")


class ScoringWindow(Aggregate):
    """评分窗口 — ballots are accepted only while it is open. Closing is final unless reopened with a reason."""

    @event("Created")
    def __init__(self, round_key: str, department: str) -> None:
        self.round_key = round_key
        self.department = department
        self.is_open = False
        self.openings = 0
        self.ever_closed = False

    @staticmethod
    def create_id(round_key: str, department: str) -> UUID:
        return window_id(round_key, department)

    def open(self, by: str, name: str = "") -> None:
        """``name``: the department's name, which a refusal shows (its key when not given)."""
        if self.is_open:
            raise WindowAlreadyOpen(department=name or self.department)
        if self.ever_closed:
            raise ReasonRequired("评分已结束，重新开启须填写原因")
        self._opened(by)

    @event("Opened")
    def _opened(self, by: str) -> None:
        self.is_open = True
        self.openings += 1

    def close(self, by: str, name: str = "") -> None:
        if not self.is_open:
            raise WindowNotOpen(department=name or self.department)
        self._closed(by)

    @event("Closed")
    def _closed(self, by: str) -> None:
        self.is_open = False
        self.ever_closed = True

    def reopen(self, by: str, reason: str, name: str = "") -> None:
        if self.is_open:
            raise WindowAlreadyOpen(department=name or self.department)
        self._reopened(by, stated(reason))

    @event("Reopened")
    def _reopened(self, by: str, reason: str) -> None:
        self.is_open = True
        self.openings += 1
