"""市民代表 — a registered citizen representative, its personal credential (评议卡) and its check-in."""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import CredentialRevoked, InvalidCredential, InvalidInput, stated
from evaluation.round import NAMESPACE


def representative_id(round_key: str, number: int) -> UUID:
    return uuid5(NAMESPACE, f"representative:{round_key}:{number}")


class Representative(Aggregate):
    """市民代表 — who they are, where and when they sit, and which credential is theirs now."""

    @event("Registered")
    def __init__(
        self,
        round_key: str,
        number: int,
        name: str,
        category: str,
        venue: str,
        sitting: str,
        phone: str | None,
        by: str,
    ) -> None:
        self.round_key = round_key
        self.number = number
        self.name = name
        self.category = category
        self.venue = venue
        self.sitting = sitting
        self.phone = phone
        self.credential_hash: str | None = None
        self.credential_serial = 0
        self.revoked = False
        self.checked_in = False

    @staticmethod
    def create_id(round_key: str, number: int) -> UUID:
        return representative_id(round_key, number)

    def edit(
        self, name: str, category: str, venue: str, sitting: str, phone: str | None, by: str, reason: str
    ) -> None:
        """修改代表信息 — name, placement or phone, always with a reason (the caller checks the round's rules)."""
        reason = stated(reason)
        if (name, category, venue, sitting, phone) == (
            self.name,
            self.category,
            self.venue,
            self.sitting,
            self.phone,
        ):
            raise InvalidInput("没有任何修改")
        self._edited(name, category, venue, sitting, phone, by, reason)

    @event("Edited")
    def _edited(
        self, name: str, category: str, venue: str, sitting: str, phone: str | None, by: str, reason: str
    ) -> None:
        self.name, self.category, self.venue, self.sitting, self.phone = name, category, venue, sitting, phone

    @event("CredentialIssued")
    def issue_credential(self, credential_hash: str, serial: int, by: str, reason: str = "") -> None:
        """发卡 / 补发 / 打印 — a new credential replaces any earlier one; ``reason`` says why (older events
        have none)."""
        self.credential_hash = credential_hash
        self.credential_serial = serial
        self.revoked = False

    def revoke_credential(self, by: str, reason: str) -> None:
        self._credential_revoked(by, stated(reason))

    @event("CredentialRevoked")
    def _credential_revoked(self, by: str, reason: str) -> None:
        self.revoked = True

    def check_in(self, venue: str, by: str) -> None:
        """签到 — idempotent: checking in twice records nothing new."""
        self.require_credential(self.credential_hash or "")
        if not self.checked_in:
            self._checked_in(venue, by)

    @event("CheckedIn")
    def _checked_in(self, venue: str, by: str) -> None:
        self.checked_in = True

    @event("SessionsEnded")
    def end_sessions(self, by: str) -> None:
        """结束会话 — the check-in desk or the organiser ended the representative's signed-in tablets (one lost,
        or left signed in); the card stays theirs. Recorded so that the history names who did it; the
        sessions themselves are the web's (web/platform/representative_sessions.py)."""

    def require_session(self, serial: int | None) -> None:
        """A session opened with the credential numbered ``serial`` acts only while that credential is
        still theirs: refused once it is revoked or replaced (补卡), so a found card's session ends when
        its owner gets a new one. ``None``: a caller with no session of the representative's own."""
        self.require_credential(self.credential_hash or "")
        if serial is not None and serial != self.credential_serial:
            raise CredentialRevoked()

    def require_credential(self, credential_hash: str) -> None:
        if self.revoked:
            raise CredentialRevoked()
        if credential_hash != self.credential_hash:
            raise InvalidCredential()


def credential_index_id(credential_hash: str) -> UUID:
    return uuid5(NAMESPACE, f"credential:{credential_hash}")


class CredentialIndex(Aggregate):
    """登录码索引 — finds the holder of a credential from the code's keyed hash (never the code itself)."""

    @event("Indexed")
    def __init__(self, credential_hash: str, holder_kind: str, holder_id: UUID) -> None:
        self.holder_kind = holder_kind
        self.holder_id = holder_id

    @staticmethod
    def create_id(credential_hash: str) -> UUID:
        return credential_index_id(credential_hash)


def roster_id(round_key: str) -> UUID:
    return uuid5(NAMESPACE, f"roster:{round_key}")


class Roster(Aggregate):
    """代表名册 — numbers representatives and records each import, so two imports never share a number."""

    @event("Opened")
    def __init__(self, round_key: str) -> None:
        self.round_key = round_key
        self.next_number = 1
        self.imported: dict[str, str] = {}
        """Each imported file's sha256 and its rows' fingerprint → the file's name (名单不重复导入)."""

    @staticmethod
    def create_id(round_key: str) -> UUID:
        return roster_id(round_key)

    @event("Enrolled")
    def enrol(self, count: int, source: str, file_sha256: str, by: str, rows_sha256: str = "") -> None:
        """Records one registration or one whole import; the numbers it takes follow on. ``rows_sha256`` is
        the fingerprint of an import's rows (events before it have none)."""
        self.next_number += count
        imported = self.__dict__.setdefault("imported", {})
        for digest in (file_sha256, rows_sha256):
            if digest:
                imported[digest] = source

    def earlier_import(self, file_sha256: str, rows_sha256: str) -> str | None:
        """The name of the file already imported with the same content (same bytes, or the same rows)."""
        imported: dict[str, str] = getattr(self, "imported", {})
        return imported.get(file_sha256) or imported.get(rows_sha256)
