"""网络评议 — a round's online channel: its period (from, to; some or all departments), who may score online
(invited citizens, volunteers with a verified phone), and the organiser's who and why for each change.

The period is a fact of the round set by the organiser; the times are ISO strings in UTC, compared with the
``now`` a command is given (the domain reads no clock of its own).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import EvaluationError, InvalidInput, stated
from evaluation.round import NAMESPACE


class OnlineClosed(EvaluationError):
    code, template = "online_closed", "网络评议{when}"


class NotOnline(EvaluationError):
    code, template = "not_online", "「{department}」不在本次网络评议的范围内"


class WayNotOffered(EvaluationError):
    code, template = "way_not_offered", "本次网络评议不接受{way}"


def online_channel_id(round_key: str) -> UUID:
    return uuid5(NAMESPACE, f"online-channel:{round_key}")


class OnlineChannel(Aggregate):
    """网络评议期 — when citizens may score online, which departments, and by which ways."""

    @event("PeriodSet")
    def __init__(
        self,
        round_key: str,
        opens: str,
        closes: str,
        departments: list[str] | None,
        invitations: bool,
        volunteers: bool,
        by: str,
        reason: str,
    ) -> None:
        self.round_key = round_key
        self._set(opens, closes, departments, invitations, volunteers)

    @staticmethod
    def create_id(round_key: str, **_: object) -> UUID:
        return online_channel_id(round_key)

    def _set(
        self, opens: str, closes: str, departments: list[str] | None, invitations: bool, volunteers: bool
    ) -> None:
        self.opens = opens
        self.closes = closes
        self.departments = departments
        self.invitations = invitations
        self.volunteers = volunteers

    def change(
        self,
        opens: str,
        closes: str,
        departments: list[str] | None,
        invitations: bool,
        volunteers: bool,
        by: str,
        reason: str,
    ) -> None:
        """改期 — a new period replaces the old; the reason stays in the history."""
        self._changed(self.round_key, opens, closes, departments, invitations, volunteers, by, stated(reason))

    @event("PeriodChanged")
    def _changed(
        self,
        round_key: str,
        opens: str,
        closes: str,
        departments: list[str] | None,
        invitations: bool,
        volunteers: bool,
        by: str,
        reason: str,
    ) -> None:
        self._set(opens, closes, departments, invitations, volunteers)

    def covers(self, department: str) -> bool:
        return self.departments is None or department in self.departments

    def state_at(self, now: datetime) -> str:
        return period_state(self.opens, self.closes, now)

    def require_open(self, department: str, now: datetime) -> None:
        """A ballot is taken only inside the period and for a department it covers."""
        state = self.state_at(now)
        if state != "open":
            raise OnlineClosed(when="尚未开始" if state == "before" else "已经结束")
        if not self.covers(department):
            raise NotOnline(department=department)

    def require_not_over(self, now: datetime) -> None:
        """Signing in (or verifying a phone) is possible until the period ends (to read reports beforehand)."""
        if self.state_at(now) == "after":
            raise OnlineClosed(when="已经结束")

    def require_way(self, way: str) -> None:
        if way == "invitation" and not self.invitations:
            raise WayNotOffered(way="邀请链接")
        if way == "phone" and not self.volunteers:
            raise WayNotOffered(way="志愿者手机验证")


def period_state(opens: str, closes: str, now: datetime) -> str:
    """``before``, ``open`` or ``after`` the period [opens, closes)."""
    if now < datetime.fromisoformat(opens):
        return "before"
    return "open" if now < datetime.fromisoformat(closes) else "after"


def checked_period(opens: datetime, closes: datetime) -> tuple[str, str]:
    """The period as stored: timezone-aware, ``opens`` before ``closes``."""
    if opens.tzinfo is None or closes.tzinfo is None:
        raise InvalidInput("网络评议的起止时间须带时区")
    if not opens < closes:
        raise InvalidInput("网络评议的结束时间须晚于开始时间")
    return opens.isoformat(), closes.isoformat()
