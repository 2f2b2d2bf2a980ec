"""留名建议 — a suggestion a representative chose to sign with their name, for the department to answer.

Kept apart from ballots on purpose: it carries a name, so it carries no choice and no link to a ballot.
It is not even recorded when it arrives: it is *held* (``SuggestionHold``, a table outside the event log)
and recorded with every other suggestion held for its department, in a random order, in the same save as
the department's window close (``evaluation.signed_suggestions``). Its event's time is then the close's,
cut to the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.day_stamp import DayStamped
from evaluation.errors import InvalidInput
from evaluation.round import NAMESPACE

ANSWER_LIMIT = 5_000
"""答复 — the longest answer a department may give to a signed suggestion (the form's ``maxlength``)."""


def suggestion_id(key: str) -> UUID:
    return uuid5(NAMESPACE, f"suggestion:{key}")


@dataclass(frozen=True)
class HeldSuggestion:
    """A signed suggestion not yet recorded: who signed it (read when it is recorded), for which department."""

    key: str
    round_key: str
    department: str
    representative_id: UUID
    text: str


class SuggestionHold(Protocol):
    """Where signed suggestions wait for their department's window to close (``storage.held_suggestions``)."""

    def hold(self, s: HeldSuggestion) -> None: ...

    def is_held(self, key: str) -> bool: ...

    def held(self, round_key: str, department: str | None = None) -> list[HeldSuggestion]: ...

    def release(self, keys: list[str]) -> None: ...


class Suggestion(Aggregate):
    """留名建议 — seen only by the department that must answer it (承办部门)."""

    class Event(DayStamped):
        """Cut to the day: a suggestion's time says nothing about when it was written."""

    class Created(Event, Aggregate.Created):
        pass

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
        """答复 — the department's answer, which its signer reads at once (/opinions/mine); a later answer
        supersedes an earlier one. At most ``ANSWER_LIMIT`` characters, a line break counted once as the form
        counts it (a browser sends it as CR LF)."""
        if not text.strip():
            raise InvalidInput("答复内容不能为空")
        if len(text.strip().replace("\r\n", "\n")) > ANSWER_LIMIT:
            raise InvalidInput(f"答复不能超过 {ANSWER_LIMIT} 字")
        self._answered(text.strip(), by)

    @event("Answered")
    def _answered(self, text: str, by: str) -> None:
        self.answer = text
