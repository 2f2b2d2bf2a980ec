"""平台管理员 — the one administrator of the platform, who creates rounds; known by a sign-in code.

The code is random, shown once when it is issued, and stored only as its keyed hash (``Keyring
.credential_hash``) in the ``CodeIssued`` event. Issuing a new one voids the old: only the latest hash
signs in, and a session opened with an older code carries an older ``serial`` and is ended.
"""

from __future__ import annotations

import hmac
import secrets
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from evaluation.keys import CODE_ALPHABET
from evaluation.round import NAMESPACE
from evaluation.service import ServiceBase

CODE_LENGTH = 10


def administrator_id() -> UUID:
    return uuid5(NAMESPACE, "platform-administrator")


class Administrator(Aggregate):
    """The platform's administrator: the keyed hash of their current code and how many were issued."""

    @event("Created")
    def __init__(self, by: str) -> None:
        self.code_hash = ""
        self.serial = 0

    @staticmethod
    def create_id() -> UUID:
        return administrator_id()

    @event("CodeIssued")
    def issue_code(self, code_hash: str, by: str) -> None:
        self.code_hash = code_hash
        self.serial += 1


class Administration(ServiceBase):
    def first_administrator_code(self, by: str) -> str | None:
        """The administrator's first code, if there is no administrator yet (first start); else None."""
        if self.find(Administrator, administrator_id()) is not None:
            return None
        administrator = Administrator(by)
        code = self._new_code(administrator, by)
        try:
            self.save(administrator)
        except IntegrityError:  # another process started at the same moment, and issued the first
            return None
        return code

    def issue_administrator_code(self, by: str) -> str:
        """A new code; the old one, and every session opened with it, stops working."""
        administrator = self.find(Administrator, administrator_id()) or Administrator(by)
        code = self._new_code(administrator, by)
        self.save(administrator)
        return code

    def administrator_sign_in(self, code: str) -> int | None:
        """The serial of the administrator's current code if ``code`` is it; else None."""
        administrator = self.find(Administrator, administrator_id())
        if administrator is None or not administrator.code_hash:
            return None
        if not hmac.compare_digest(self.keys.credential_hash(code), administrator.code_hash):
            return None
        serial: int = administrator.serial
        return serial

    def administrator_code_serial(self) -> int:
        """How many codes were issued (0: none yet): a session with an older serial is over."""
        administrator = self.find(Administrator, administrator_id())
        return administrator.serial if administrator is not None else 0

    def _new_code(self, administrator: Administrator, by: str) -> str:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        administrator.issue_code(self.keys.credential_hash(code), by)
        return code
