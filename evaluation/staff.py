"""工作人员账号 — a named person's account: their name, unit, role and (for most roles) the round, venue or
department they work for, the keyed hash of their current personal sign-in code, and whether it is disabled.

Roles (角色), and the scope each one needs:

- ``administrator`` 平台管理员 — the platform's (no round);
- ``organiser`` 会务组 — a round;
- ``checkin`` 签到员 — a round and one of its venues;
- ``results_officer`` 计票员 — a round;
- ``auditor`` 监督员 — a round;
- ``department`` 部门工作人员 — a round and one of its departments (several accounts per department).

The code is random, shown once, stored only as its keyed hash; a new code voids the old one at once (the
account's ``serial`` counts the codes: a session opened with an older serial is over). The accounts are
listed by the ``StaffRegister`` (one per platform), so the administrator's page needs no read model.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import EvaluationError
from evaluation.round import NAMESPACE

ROLE_NAMES = {
    "administrator": "平台管理员",
    "organiser": "会务组",
    "checkin": "签到员",
    "results_officer": "计票员",
    "auditor": "监督员",
    "department": "部门工作人员",
}
"""Every staff role and its Chinese name, as shown on pages and in the history."""
ROUND_ROLES = frozenset(ROLE_NAMES) - {"administrator"}


class AccountDisabled(EvaluationError):
    code, template = "account_disabled", "此工作人员账号已停用，请联系平台管理员"


class SharedCodeRetired(EvaluationError):
    code, template = "shared_code_retired", "共用登录码已停用：{holder}已有个人账号，请使用您本人的登录码登录"


class SharedCodeNotIssued(SharedCodeRetired):
    """A department with a personal account gets no new shared code: the same stable code, said to the
    organiser who asked for one."""

    template = "{department}已有部门工作人员个人账号，共用登录码已停用，不再发放新的共用登录码"


class SecondOfficerRequired(EvaluationError):
    code, template = "second_officer_required", "发布评议结果须由另一位计票员确认"


def staff_register_id() -> UUID:
    return uuid5(NAMESPACE, "staff-register")


class StaffAccount(Aggregate):
    """工作人员 — one person's account."""

    @event("Created")
    def __init__(
        self, name: str, unit: str, role: str, round_key: str, venue: str, department: str, by: str
    ) -> None:
        self.name = name
        self.unit = unit
        self.role = role
        self.round_key = round_key
        self.venue = venue
        self.department = department
        self.code_hash = ""
        self.serial = 0
        self.disabled = False

    @event("CodeIssued")
    def issue_code(self, code_hash: str, serial: int, by: str, reason: str) -> None:
        """A new personal code (第 serial 个): the previous one stops working at once."""
        self.code_hash = code_hash
        self.serial = serial

    def disable(self, by: str, reason: str) -> None:
        if not self.disabled:
            self._disabled(by, reason)

    @event("Disabled")
    def _disabled(self, by: str, reason: str) -> None:
        self.disabled = True

    @event("SignedIn")
    def record_sign_in(self, serial: int, by: str) -> None:
        """登录 — recorded in the staff trail (by: the account itself)."""

    @event("SignInRefused")
    def record_refused_sign_in(self, why: str, by: str) -> None:
        """A sign-in with this account's replaced code, or while it is disabled."""

    @event("SignedOutEverywhere")
    def record_signed_out_everywhere(self, by: str) -> None:
        """退出全部登录 — every session of the account was ended (by the person or an administrator)."""

    @property
    def actor(self) -> str:
        """How the commands this person gives record them: ``by`` = ``staff:<account id>``."""
        return f"staff:{self.id}"


class StaffRegister(Aggregate):
    """工作人员名册 — the ids of every staff account, in the order they were created."""

    @event("Opened")
    def __init__(self) -> None:
        self.accounts: list[str] = []

    @staticmethod
    def create_id() -> UUID:
        return staff_register_id()

    @event("AccountListed")
    def list_account(self, account: str) -> None:
        self.accounts.append(account)
