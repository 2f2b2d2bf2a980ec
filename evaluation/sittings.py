"""述职报告会 — what the organiser does during a sitting: open, close and reopen scoring windows; whether
the sitting is over."""

from __future__ import annotations

from collections.abc import Callable

from evaluation.errors import NotFound, RoundNotEditable
from evaluation.signed_suggestions import SignedSuggestions
from evaluation.window import ScoringWindow, window_id


class Sittings(SignedSuggestions):
    def open_window(self, round_key: str, department: str, by: str) -> None:
        self._window_command(round_key, department, lambda w, name: w.open(by, name))

    def close_window(self, round_key: str, department: str, by: str) -> None:
        self._window_command(round_key, department, lambda w, name: w.close(by, name))

    def reopen_window(self, round_key: str, department: str, by: str, reason: str) -> None:
        self._window_command(round_key, department, lambda w, name: w.reopen(by, reason, name))

    def _window_command(
        self, round_key: str, department: str, change: Callable[[ScoringWindow, str], None]
    ) -> None:
        """``change`` is given the window and the department's name, which its refusals show."""
        round_ = self.round(round_key)
        if round_.locked:
            raise RoundNotEditable()
        if round_.sitting_of(department) is None:
            raise NotFound(what=f"议程中的部门「{department}」")
        window = self.find(ScoringWindow, window_id(round_key, department)) or ScoringWindow(
            round_key, department
        )
        change(window, self.department_name(round_key, department))
        if window.is_open:
            self.save(window)
        else:  # a close: the department's held signed suggestions are recorded with it
            self.save_releasing_suggestions(round_key, department, window)

    def sitting_over(self, round_key: str, department: str) -> str | None:
        """散会 — the sitting of ``department`` if its scoring is over: every window of its agenda has been
        closed and none is open again. None while one is open or not yet opened (a sitting has no close of
        its own: its last window's close ends it, and a reopened window starts it again)."""
        round_ = self.round(round_key)
        sitting = round_.sitting_of(department)
        if sitting is None:
            return None
        for key in round_.sittings[sitting]["agenda"]:
            window = self.window(round_key, key)
            if window is None or window.is_open or not window.ever_closed:
                return None
        return sitting

    def window(self, round_key: str, department: str) -> ScoringWindow | None:
        return self.find(ScoringWindow, window_id(round_key, department))
