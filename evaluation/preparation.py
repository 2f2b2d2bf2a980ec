"""准备 — the organiser's commands that set a round up: instrument, categories, groups, venues, agenda (for
scripts and tests; the setup pages use ``round_editing``). Codes, names, shares and dates are held to the setup
rules by the round and the department themselves (``Round``, ``Department``), as on every other path."""

from __future__ import annotations

from uuid import UUID

from evaluation.department import Department, department_id
from evaluation.errors import AlreadyExists
from evaluation.instrument import Instrument
from evaluation.keys import new_credential_code
from evaluation.representative import CredentialIndex
from evaluation.round import Round, round_id
from evaluation.staff import SharedCodeNotIssued
from evaluation.staff_accounts import StaffAdministration


class Preparation(StaffAdministration):
    def create_round(
        self,
        key: str,
        title: str,
        by: str,
        instrument: Instrument | None = None,
        check_in_required: bool = True,
    ) -> UUID:
        """A new round requires check-in before voting unless told otherwise (``require_check_in``)."""
        instrument = instrument or Instrument()
        if self.find(Round, round_id(key)):
            raise AlreadyExists(what=f"评议活动「{key}」")
        round_ = Round(key=key, title=title.strip(), instrument=instrument.to_dict(), by=by)
        round_.require_check_in(check_in_required, by)
        self.save(round_)
        return round_.id

    def require_check_in(self, round_key: str, required: bool, by: str) -> None:
        round_ = self.round(round_key)
        round_.require_check_in(required, by)
        self.save(round_)

    def change_instrument(self, round_key: str, instrument: Instrument, by: str, reason: str) -> None:
        round_ = self.round(round_key)
        round_.change_instrument(instrument, by, reason)
        self.save(round_)

    def define_category(self, round_key: str, key: str, name: str, by: str, share: str = "1") -> None:
        """代表类别 with its share s_c (docs/scoring.md §3), by the setup form's rule (``share_problem``)."""
        round_ = self.round(round_key)
        round_.define_category(key, name, share, by)
        self.save(round_)

    def define_group(self, round_key: str, key: str, name: str, by: str) -> None:
        round_ = self.round(round_key)
        round_.define_group(key, name, by)
        self.save(round_)

    def define_venue(self, round_key: str, key: str, name: str, by: str) -> None:
        round_ = self.round(round_key)
        round_.define_venue(key, name, by)
        self.save(round_)

    def define_sitting(
        self,
        round_key: str,
        key: str,
        name: str,
        agenda: list[str],
        by: str,
        date: str = "",
        half_day: str = "",
    ) -> None:
        round_ = self.round(round_key)
        round_.define_sitting(key, name, date, half_day, agenda, by)
        self.save(round_)

    def register_department(
        self, round_key: str, key: str, name: str, group: str, by: str, short_name: str = "", head: str = ""
    ) -> UUID:
        round_ = self.round(round_key)
        round_.enrol_department(key, group, by)
        name, head = name.strip(), head.strip()
        dept = Department(round_key, key, name, short_name.strip() or name, group, head, by)
        self.save(round_, dept)
        return dept.id

    def issue_department_credential(self, round_key: str, department: str, by: str) -> str:
        """部门登录码 — returns the code (printed once); only its keyed hash is stored. Refused once the
        department has a personal 部门工作人员 account: its shared code is retired for good."""
        dept = self.department(round_key, department)
        if self.department_has_staff(round_key, department):
            raise SharedCodeNotIssued(department=dept.name)
        code = new_credential_code()
        digest = self.keys.credential_hash(code)
        dept.issue_credential(digest, dept.credential_serial + 1, by)
        self.save(dept, CredentialIndex(digest, "department", dept.id))
        return code

    def department(self, round_key: str, key: str) -> Department:
        return self.load(Department, department_id(round_key, key), f"部门「{key}」")
