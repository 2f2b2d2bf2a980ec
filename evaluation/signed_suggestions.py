"""留名建议 — signing one (held, not yet recorded), recording the held ones at a window's close, answering.

Why held: a signed suggestion recorded when it arrives sits in the log beside the anonymous ballot its
author cast a moment before. Held in ``SuggestionHold`` (no position, no time), they are
recorded together when their department's window closes, in the same save as the close and in a random
order (``secrets.SystemRandom``), so neither their positions nor their times say when, or next to which
ballot, each was written. One signed for a department whose window had already closed waits for the
round's lock (which needs every window closed); after the lock none is taken (``EvaluationOver``: the
evaluation is over), though a resend of one taken before still gets its id.
"""

from __future__ import annotations

from secrets import SystemRandom
from uuid import UUID

from eventsourcing.domain import Aggregate

from evaluation.ballot import COMMENT_LIMIT
from evaluation.errors import CommentTooLong, EvaluationOver, NotFound, NotInSitting
from evaluation.representative import Representative
from evaluation.service import ServiceBase, refuse_nul
from evaluation.suggestion import HeldSuggestion, Suggestion, SuggestionHold, suggestion_id

_shuffle = SystemRandom().shuffle


class SignedSuggestions(ServiceBase):
    held_suggestions: SuggestionHold
    """Set by ``storage.bootstrap``."""

    def sign_suggestion(
        self, representative_id: UUID, department: str, client_id: str, text: str, serial: int | None = None
    ) -> UUID:
        """留名建议 — held until the department's window closes; its id is known now, resends are one."""
        rep = self.load(Representative, representative_id, "代表")
        rep.require_session(serial)
        text = text.strip()
        if not text or len(text) > COMMENT_LIMIT:
            raise CommentTooLong(limit=COMMENT_LIMIT)
        round_ = self.round(rep.round_key)
        if round_.sitting_of(department) != rep.sitting:
            raise NotInSitting(department=self.department_name(rep.round_key, department))
        key = self.keys.suggestion_key(rep.id, department, client_id)
        sid = suggestion_id(key)
        if self.held_suggestions.is_held(key) or self.find(Suggestion, sid) is not None:
            return sid
        if round_.locked:
            raise EvaluationOver()
        refuse_nul(text)
        self.held_suggestions.hold(HeldSuggestion(key, rep.round_key, department, rep.id, text))
        return sid

    def save_releasing_suggestions(self, round_key: str, department: str | None, *changed: Aggregate) -> None:
        """Saves ``changed`` (a window's close, a round's lock) with the suggestions held for the department
        (every department with ``None``), shuffled, in one transaction; then lets the held rows go. A crash
        between the two leaves rows whose suggestions exist: the next release skips them."""
        held = self.held_suggestions.held(round_key, department)
        suggestions = []
        for h in held:
            if self.find(Suggestion, suggestion_id(h.key)) is not None:
                continue
            rep = self.load(Representative, h.representative_id, "代表")
            suggestions.append(Suggestion(h.key, round_key, h.department, rep.name, rep.phone, h.text))
        _shuffle(suggestions)
        self.save(*changed, *suggestions)
        self.held_suggestions.release([h.key for h in held])

    def answer_suggestion(self, suggestion: UUID, department: str, text: str, by: str) -> None:
        found = self.load(Suggestion, suggestion, "建议")
        if found.department != department:
            raise NotFound(what="建议")
        found.give_answer(text, by)
        self.save(found)
