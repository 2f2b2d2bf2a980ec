"""工作人员账号的命令 — the administrator creates accounts, replaces their codes, disables them; a code signs
its holder in (or is refused, recorded); the accounts are listed from the register."""

from __future__ import annotations

from uuid import UUID

from evaluation.department import Department, department_id
from evaluation.errors import InvalidCredential, InvalidInput, NotFound
from evaluation.keys import new_credential_code
from evaluation.representative import CredentialIndex, credential_index_id
from evaluation.service import ServiceBase, refuse_nul
from evaluation.staff import (
    ROLE_NAMES,
    ROUND_ROLES,
    AccountDisabled,
    StaffAccount,
    StaffRegister,
    staff_register_id,
)

STAFF = "staff"
"""The CredentialIndex kind of a staff account's code (the index also holds every replaced code's hash)."""


class StaffAdministration(ServiceBase):
    def add_staff(
        self,
        name: str,
        role: str,
        by: str,
        unit: str = "",
        round_key: str = "",
        venue: str = "",
        department: str = "",
    ) -> tuple[UUID, str]:
        """新建工作人员账号 — returns the account's id and its first code (shown once, never stored)."""
        name, unit = name.strip(), unit.strip()
        refuse_nul([name, unit, round_key, venue, department])
        if not name or len(name) > 50:
            raise InvalidInput("姓名不能为空，且最多 50 个字")
        if len(unit) > 100:
            raise InvalidInput("单位最多 100 个字")
        if role not in ROLE_NAMES:
            raise InvalidInput(f"没有「{role}」这个角色，可选：{'、'.join(ROLE_NAMES)}")
        round_key, venue, department = self._scope(role, round_key.strip(), venue.strip(), department.strip())
        account = StaffAccount(name, unit, role, round_key, venue, department, by)
        register = self.find(StaffRegister, staff_register_id()) or StaffRegister()
        register.list_account(str(account.id))
        code = new_credential_code()
        digest = self.keys.credential_hash(code)
        account.issue_code(digest, 1, by, "新建账号")
        self.save(account, register, CredentialIndex(digest, STAFF, account.id))
        return account.id, code

    def _scope(self, role: str, round_key: str, venue: str, department: str) -> tuple[str, str, str]:
        """The round, venue and department the role needs, each checked against the round; others dropped."""
        if role not in ROUND_ROLES:
            return "", "", ""
        if not round_key:
            raise InvalidInput(f"{ROLE_NAMES[role]}须指定评议活动")
        round_ = self.round(round_key)
        if role == "checkin":
            if venue not in round_.venues:
                raise InvalidInput("签到员须指定本活动的一个会场")
        else:
            venue = ""
        if role == "department":
            if self.find(Department, department_id(round_key, department)) is None:
                raise InvalidInput("部门工作人员须指定本活动的一个部门")
        else:
            department = ""
        return round_key, venue, department

    def replace_staff_code(self, account_id: UUID, by: str) -> str:
        """更换登录码 — a new code, shown once; the old one stops working at once."""
        account = self.staff_account(account_id)
        if account.disabled:
            raise AccountDisabled()
        code = new_credential_code()
        digest = self.keys.credential_hash(code)
        account.issue_code(digest, account.serial + 1, by, "更换登录码")
        self.save(account, CredentialIndex(digest, STAFF, account.id))
        return code

    def disable_staff(self, account_id: UUID, by: str, reason: str = "") -> None:
        """停用 — the account signs in no more (its sessions are ended by the caller)."""
        account = self.staff_account(account_id)
        refuse_nul(reason)
        account.disable(by, reason.strip() or "停用账号")
        self.save(account)

    def staff_sign_in(self, code: str) -> StaffAccount | None:
        """The account whose current code this is, its sign-in recorded; None if it is no staff code.

        A replaced code of an account, or any code of a disabled one, is refused and recorded."""
        digest = self.keys.credential_hash(code)
        index = self.find(CredentialIndex, credential_index_id(digest))
        if index is None or index.holder_kind != STAFF:
            return None
        account = self.staff_account(index.holder_id)
        if account.disabled or account.code_hash != digest:
            why = "账号已停用" if account.disabled else "已更换的旧登录码"
            account.record_refused_sign_in(why, "anonymous")
            self.save(account)
            raise AccountDisabled() if account.disabled else InvalidCredential()
        account.record_sign_in(account.serial, account.actor)
        self.save(account)
        return account

    def staff_code_is_current(self, account_id: UUID, code: str) -> bool:
        """Whether ``code`` is the account's code now (its card may be printed only while it is)."""
        account = self.staff_account(account_id)
        return not account.disabled and account.code_hash == self.keys.credential_hash(code)

    def record_signed_out_everywhere(self, account_id: UUID, by: str) -> None:
        account = self.staff_account(account_id)
        account.record_signed_out_everywhere(by)
        self.save(account)

    def staff_account(self, account_id: UUID) -> StaffAccount:
        return self.load(StaffAccount, account_id, "工作人员账号")

    def staff_accounts(self) -> list[StaffAccount]:
        """Every account, oldest first (a platform has dozens to hundreds)."""
        register = self.find(StaffRegister, staff_register_id())
        if register is None:
            return []
        return [self.staff_account(UUID(i)) for i in register.accounts]

    def staff_of_round(self, round_key: str, role: str | None = None) -> list[StaffAccount]:
        return [a for a in self.staff_accounts() if a.round_key == round_key and role in (None, a.role)]

    def round_has_staff(self, round_key: str, role: str) -> bool:
        """Whether the round was ever given an account of ``role``. Accounts are disabled, never removed, so
        once true it stays true: a round's shared organiser code is retired by its first 会务组 account, and
        its first 计票员 account takes locking and publishing from that code for good."""
        return any(a.round_key == round_key and a.role == role for a in self.staff_by_actor().values())

    def departments_with_staff(self, round_key: str) -> set[str]:
        """The round's departments that were ever given a personal 部门工作人员 account: their shared code
        (部门登录码) is retired for good, as the round's shared organiser code is by its first 会务组 account."""
        return {
            a.department
            for a in self.staff_by_actor().values()
            if a.round_key == round_key and a.role == "department"
        }

    def department_has_staff(self, round_key: str, department: str) -> bool:
        return department in self.departments_with_staff(round_key)

    def staff_by_actor(self) -> dict[str, StaffAccount]:
        """``staff:<id>`` → account as created (name, unit, role, round, venue, department): how the history
        and the trail name who did what. Read from each account's first event only, never its sign-ins, so
        naming stays as fast after thousands of sign-ins (codes and disabling are not read: see
        ``staff_accounts``)."""
        register = self.find(StaffRegister, staff_register_id())
        created: list[object] = (
            [self.repository.get(UUID(i), version=1) for i in register.accounts] if register else []
        )
        return {a.actor: a for a in created if isinstance(a, StaffAccount)}


def account_id_of(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise NotFound(what="工作人员账号") from None


ACCOUNT_EVENTS = {
    "Created": "新建账号",
    "CodeIssued": "发放登录码",
    "Disabled": "停用账号",
    "SignedIn": "登录",
    "SignInRefused": "登录被拒",
    "SignedOutEverywhere": "退出全部登录",
}


class StaffTrail(StaffAdministration):
    def account_trail(self, round_key: str) -> list[tuple[object, StaffAccount, str, str, str]]:
        """每个账号的记录 — (when, account, what, by, why) of every account of the round, oldest first: its
        creation, codes, sign-ins, refused sign-ins, sign-outs everywhere and disabling."""
        rows: list[tuple[object, StaffAccount, str, str, str]] = []
        for account in self.staff_by_actor().values():
            if account.round_key != round_key:
                continue
            for event in self.events.get(account.id):
                kind = type(event).__qualname__.rsplit(".", 1)[-1]
                why = str(getattr(event, "reason", "") or getattr(event, "why", "") or "")
                at, by = getattr(event, "timestamp", ""), str(getattr(event, "by", ""))
                rows.append((at, account, ACCOUNT_EVENTS.get(kind, kind), by, why))
        return sorted(rows, key=lambda row: str(row[0]))
