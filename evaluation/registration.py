"""报名与发卡 — registering representatives (one by one or from the organisers' roster file),
their credentials, check-in, and logging in with a credential code."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from evaluation.department import Department
from evaluation.errors import (
    InvalidCredential,
    InvalidInput,
    NotFound,
    OutsideVenue,
    RosterAlreadyImported,
    RosterRejected,
)
from evaluation.keys import Keyring, new_credential_code
from evaluation.representative import CredentialIndex, Representative, Roster, credential_index_id, roster_id
from evaluation.roster import Listed, RosterError, RosterRow, normalise_phone, read_roster
from evaluation.roster_check import (
    already_registered,
    key_of,
    placed_rows,
    placement,
    refuse_if_registered,
    registered_people,
    resolved,
)
from evaluation.round import Round
from evaluation.service import ServiceBase, refuse_nul
from evaluation.staff import StaffAccount

Row = TypeVar("Row", bound=Listed)


@dataclass(frozen=True)
class Holder:
    """Who a credential code belongs to: a representative or a department."""

    kind: str
    id: UUID
    round_key: str


class Registration(ServiceBase):
    def register_representative(
        self,
        round_key: str,
        name: str,
        category: str,
        venue: str,
        sitting: str,
        by: str,
        phone: str | None = None,
    ) -> tuple[UUID, str]:
        """Returns the new representative's id and credential code."""
        normalised, wrong = normalise_phone((phone or "").strip())
        if wrong:
            raise InvalidInput(f"手机号{wrong}")
        row = RosterRow(name.strip(), category, venue, sitting, normalised, line=0)
        if not row.name or len(row.name) > 50:
            raise InvalidInput("姓名不能为空，且最多 50 个字")
        placed = _placed(self.round(round_key), row)
        refuse_if_registered(self, self.find(Roster, roster_id(round_key)), placed)
        return self._enrol(round_key, [placed], "单个登记", "", by)[0]

    def import_representatives(
        self, round_key: str, data: bytes, filename: str, by: str
    ) -> list[tuple[UUID, str]]:
        """名单导入 — all rows or none: any bad row refuses the whole file, listing every problem of every row,
        a row naming someone the round already has among them (``evaluation.roster_check``)."""
        try:
            rows, problems, flawed = self.parse(read_roster, data, filename)
        except RosterError as unusable:
            raise RosterRejected([(p.line, p.message) for p in unusable.problems]) from None
        placed, unplaced = placed_rows(self.round(round_key), rows, flawed)
        found = [*problems, *unplaced]
        sha, rows_sha = hashlib.sha256(data).hexdigest(), rows_fingerprint(placed)
        roster = self.find(Roster, roster_id(round_key))
        if not found and roster is not None and (earlier := roster.earlier_import(sha, rows_sha)):
            raise RosterAlreadyImported(source=earlier)  # said as such: the whole file is the one imported
        found += already_registered(placed, registered_people(self, roster))
        if found:
            raise RosterRejected([(p.line, p.message) for p in sorted(found, key=lambda p: p.line)])
        if not placed:
            raise InvalidInput("名单中没有代表")
        return self._enrol(round_key, placed, filename, sha, by, rows_sha)

    def _enrol(
        self, round_key: str, rows: list[RosterRow], source: str, sha: str, by: str, rows_sha: str = ""
    ) -> list[tuple[UUID, str]]:
        """Registers rows already resolved to the round's keys (see ``_placed``), in one transaction."""
        roster = self.find(Roster, roster_id(round_key)) or Roster(round_key)
        made, issued = registered(self.keys, round_key, rows, roster.next_number, by)
        roster.enrol(len(rows), source, sha, by, rows_sha)
        self.save(roster, *made)
        return issued

    def reissue_credential(self, representative_id: UUID, by: str) -> str:
        """补卡 — a new code; the old one stops working."""
        rep = self.representative(representative_id)
        self._at_the_desk(rep, by)
        return self._new_cards([rep], by, "补卡")[rep.id]

    def print_cards(
        self, round_key: str, representative_ids: list[UUID], by: str, reason: str
    ) -> dict[UUID, str]:
        """打印评议卡 — every card printed is a new card: a new random code (returned, never stored, so it can
        never be printed again), recorded with who and why, the code of each earlier card void. Revoked
        credentials get no card: they are replaced by 补卡."""
        refuse_nul(reason)
        reps = [self.representative(i) for i in dict.fromkeys(representative_ids)]
        if any(rep.round_key != round_key for rep in reps):
            raise NotFound(what="代表")
        for rep in reps:
            self._at_the_desk(rep, by)
        return self._new_cards([rep for rep in reps if not rep.revoked], by, reason.strip() or "打印评议卡")

    def _new_cards(self, reps: list[Representative], by: str, reason: str) -> dict[UUID, str]:
        aggregates: list[Representative | CredentialIndex] = []
        codes = {}
        for rep in reps:
            code = new_credential_code()
            digest = self.keys.credential_hash(code)
            rep.issue_credential(digest, rep.credential_serial + 1, by, reason)
            aggregates += [rep, CredentialIndex(digest, "representative", rep.id)]
            codes[rep.id] = code
        if aggregates:
            self.save(*aggregates)
        return codes

    def revoke_credential(self, representative_id: UUID, by: str, reason: str) -> None:
        rep = self.representative(representative_id)
        rep.revoke_credential(by, reason)
        self.save(rep)

    def check_in(self, representative_id: UUID, by: str) -> None:
        """签到 at the representative's venue."""
        rep = self.representative(representative_id)
        self._at_the_desk(rep, by)
        rep.check_in(rep.venue, by)
        self.save(rep)

    def end_sessions(self, representative_id: UUID, by: str) -> None:
        """结束会话 — recorded with who ended the representative's tablet sessions."""
        rep = self.representative(representative_id)
        rep.end_sessions(by)
        self.save(rep)

    def _at_the_desk(self, rep: Representative, by: str) -> None:
        """签到员 (``by`` = ``staff:<account id>`` of a check-in account) check in, re-issue and print cards only
        for the representatives of their own round and venue; organisers and other callers are not limited."""
        kind, _, subject = by.partition(":")
        try:
            account = self.find(StaffAccount, UUID(subject)) if kind == "staff" else None
        except ValueError:
            account = None
        desk = (account.round_key, account.venue) if account and account.role == "checkin" else None
        if desk is not None and desk != (rep.round_key, rep.venue):
            raise OutsideVenue()

    def authenticate(self, code: str) -> Holder:
        """登录 — the holder of a credential code; refused if unknown, replaced or revoked."""
        digest = self.keys.credential_hash(code)
        index = self.find(CredentialIndex, credential_index_id(digest))
        if index is None:
            raise InvalidCredential()
        if index.holder_kind == "representative":
            rep = self.representative(index.holder_id)
            rep.require_credential(digest)
            return Holder("representative", rep.id, rep.round_key)
        dept = self.load(Department, index.holder_id, "部门")
        if dept.credential_hash != digest:
            raise InvalidCredential()
        return Holder("department", dept.id, dept.round_key)

    def representative(self, representative_id: UUID) -> Representative:
        return self.load(Representative, representative_id, "代表")


def registered(
    keys: Keyring, round_key: str, rows: Sequence[Listed], first: int, by: str
) -> tuple[list[Aggregate], list[tuple[UUID, str]]]:
    """Each of ``rows`` (already resolved to the round's keys, see ``_placed``) as a Representative numbered
    from ``first`` with a first credential and its index entry; and each one's id and credential code."""
    made: list[Aggregate] = []
    issued = []
    for number, row in enumerate(rows, start=first):
        rep = Representative(round_key, number, row.name, row.category, row.venue, row.sitting, row.phone, by)
        code = new_credential_code()
        digest = keys.credential_hash(code)
        rep.issue_credential(digest, 1, by)
        made += [rep, CredentialIndex(digest, "representative", rep.id)]
        issued.append((rep.id, code))
    return made, issued


def rows_fingerprint(rows: Sequence[Listed]) -> str:
    """The same people in any order, from any file (CSV or Excel): the same fingerprint."""
    people = sorted((r.name, r.phone or "", r.category, r.venue, r.sitting) for r in rows)
    return hashlib.sha256(repr(people).encode()).hexdigest()


def _placed(round_: Round, row: Row) -> Row:
    """Resolves category, venue and sitting given by key or by name (名单里常写名称); refused naming each one
    the round does not know."""
    keys, unknown = placement(round_, row)
    if unknown:
        raise InvalidInput("；".join(unknown))
    return resolved(row, keys)


def _resolve(value: str, names: dict[str, str], what: str) -> str:
    key = key_of(value, names)
    if key is None:
        raise InvalidInput(f"没有名为「{value}」的{what}")
    return key
