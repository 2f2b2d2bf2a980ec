"""留名建议 — a suggestion a representative chose to sign with their name, for the department to answer.

Kept apart from ballots on purpose: it carries a name, so it carries no choice and no link to a ballot.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.errors import InvalidInput
from evaluation.round import NAMESPACE


def suggestion_id(key: str) -> UUID:
    return uuid5(NAMESPACE, f"suggestion:{key}")


class Suggestion(Aggregate):
    """留名建议 — seen only by the department that must answer it (承办部门)."""

    @event("Submitted")
    def __init__(
        self, key: str, round_key: str, department: str, name: str, phone: str | None, text: str
    ) -> None:
        self.round_key = round_key
        self.department = department
        self.name = name
        self.phone = phone
        self.text = text
        self.answer: str | None = None

    @staticmethod
    def create_id(key: str, **_: object) -> UUID:
        """``key`` is a keyed hash of (representative, department, client id): a resend finds the same one."""
        return suggestion_id(key)

    def give_answer(self, text: str, by: str) -> None:
        """答复 — the department's answer; a later answer supersedes an earlier one."""
        if not text.strip():
            raise InvalidInput("答复内容不能为空")
        self._answered(text.strip(), by)

    @event("Answered")
    def _answered(self, text: str, by: str) -> None:
        self.answer = text
