"""评议 — scoring windows, casting and amending ballots (exactly once), voiding, signed suggestions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from evaluation.ballot import COMMENT_LIMIT, Ballot, ballot_id
from evaluation.errors import (
    CommentTooLong,
    EvaluationError,
    InvalidChoice,
    InvalidInput,
    NotFound,
    NotInSitting,
    RoundNotEditable,
    WindowNotOpen,
)
from evaluation.instrument import SCORED, Instrument
from evaluation.representative import Representative
from evaluation.round import Round, round_id
from evaluation.service import ServiceBase, refuse_nul
from evaluation.suggestion import Suggestion, suggestion_id
from evaluation.window import ScoringWindow, window_id

READ_ONLY = (Representative, ScoringWindow, Round)
"""What casting reads but never commands: kept between batches (``ServiceBase.load_many``)."""
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
ATTEMPTS = 20


@dataclass(frozen=True)
class Receipt:
    """回执 — what the representative is shown: a short code; a resend gets the same one back."""

    code: str
    ballot_id: UUID
    department: str
    resent: bool
    position: int


@dataclass(frozen=True)
class CastRequest:
    """One ballot as the tablet sends it; ``client_id`` is generated on the tablet, once per ballot."""

    representative_id: UUID
    department: str
    client_id: str
    choice: str
    scores: dict[str, int] | None = None
    comment: str = ""
    serial: int | None = None
    """The credential the caller's session was opened with (``Representative.require_session``)."""


class Busy(EvaluationError):
    code, status, template = "busy", 503, "系统繁忙，请稍后重试（您的评分不会重复计算）"


class Voting(ServiceBase):
    """Casting needs the window's state; the organiser's window commands are in ``sittings``."""

    def cast_ballot(
        self,
        representative_id: UUID,
        department: str,
        client_id: str,
        choice: str,
        scores: dict[str, int] | None = None,
        comment: str = "",
        serial: int | None = None,
    ) -> Receipt:
        """投票 / 改票 — the same client id twice is one ballot; a race is redone, never double-counted."""
        request = CastRequest(representative_id, department, client_id, choice, scores, comment, serial)
        for _ in range(ATTEMPTS):
            try:
                prepared = self._prepare(request, self._read_for([request]), {})
                if isinstance(prepared, Receipt):
                    return prepared
                ballot, window, receipt = prepared
                position = self.commit(ballot, guards={window.id: window.version})
                self.give_back([ballot])
                return Receipt(receipt, ballot.id, department, False, position)
            except IntegrityError:
                continue
        raise Busy()

    def cast_ballots(self, requests: list[CastRequest]) -> list[Receipt | EvaluationError]:
        """成批投票 (group commit) — many ballots in one transaction, each answered as if cast alone.

        If the batch conflicts with another writer, each ballot is redone on its own.
        """
        reads = self._read_for(requests)
        pending: dict[UUID, Ballot] = {}
        guards: dict[UUID, int] = {}
        answers: list[Receipt | EvaluationError | tuple[Ballot, str]] = []
        for request in requests:
            try:
                prepared = self._prepare(request, reads, pending)
            except EvaluationError as refusal:
                answers.append(refusal)
                continue
            if isinstance(prepared, Receipt):
                answers.append(prepared)
                continue
            ballot, window, receipt = prepared
            pending[ballot.id] = ballot
            guards[window.id] = window.version
            answers.append((ballot, receipt))
        try:
            position = self.commit(*pending.values(), guards=guards) if pending else 0
        except IntegrityError:
            return [self._alone(r) for r in requests]
        self.give_back([b for b in (reads | pending).values() if isinstance(b, Ballot)])
        return [
            Receipt(a[1], a[0].id, a[0].department, False, position) if isinstance(a, tuple) else a
            for a in answers
        ]

    def _alone(self, r: CastRequest) -> Receipt | EvaluationError:
        try:
            return self.cast_ballot(
                r.representative_id, r.department, r.client_id, r.choice, r.scores, r.comment, r.serial
            )
        except EvaluationError as refusal:
            return refusal

    def _read_for(self, requests: list[CastRequest]) -> dict[object, object]:
        """Everything the requests need, read at once: representatives, ballots, windows and rounds in one
        query (a representative kept from an earlier batch already says its round), and the windows and
        rounds of representatives not seen before in a second. Keyed by aggregate id, by round key for
        rounds, and by (representative, department) for the ballot's pseudonym and id."""
        seats = {(r.representative_id, r.department) for r in requests}
        ballots = {seat: _ballot_of(self.keys.pseudonym(*seat)) for seat in seats}
        reps = {rep for rep, _ in seats}
        kept = {rep.round_key for rep in map(self.kept.get, reps) if isinstance(rep, Representative)}
        around = _windows_and_rounds(kept, seats)
        found = self.load_many([*reps, *(bid for _, bid in ballots.values()), *around], keep=READ_ONLY)
        round_keys = {rep.round_key for rep in found.values() if isinstance(rep, Representative)}
        if unread := [i for i in _windows_and_rounds(round_keys, seats) if i not in around]:
            found.update(self.load_many(unread, keep=READ_ONLY))
        reads: dict[object, object] = dict(found.items())
        reads.update(ballots.items())
        reads.update({key: found.get(round_id(key)) or self.round(key) for key in round_keys})
        return reads

    def _prepare(
        self, r: CastRequest, reads: dict[object, object], pending: dict[UUID, Ballot]
    ) -> Receipt | tuple[Ballot, ScoringWindow, str]:
        """Checks every rule and builds the new ballot version, without saving it.

        ``reads`` holds the aggregates read for the whole batch; the window's version guards the batch's
        save, so a close that comes in between makes the batch redo its checks on fresh reads.
        """
        if not CLIENT_ID.match(r.client_id):
            raise InvalidInput("客户端编号格式不正确")
        rep = reads.get(r.representative_id)
        if not isinstance(rep, Representative):
            raise NotFound(what="代表")
        rep.require_session(r.serial)
        seat = reads.get((rep.id, r.department))
        pseudonym, bid = (
            seat if isinstance(seat, tuple) else _ballot_of(self.keys.pseudonym(rep.id, r.department))
        )
        ballot = pending.get(bid) or reads.get(bid)
        if isinstance(ballot, Ballot) and (known := ballot.receipt_for(r.client_id)):
            return Receipt(known, bid, r.department, True, 0)
        round_ = reads[rep.round_key]
        assert isinstance(round_, Round)
        if round_.sitting_of(r.department) != rep.sitting:
            raise NotInSitting(department=r.department)
        scores = _checked_choice(round_.instrument, r.choice, r.scores)
        comment = r.comment.strip()
        if len(comment) > COMMENT_LIMIT:
            raise CommentTooLong(limit=COMMENT_LIMIT)
        refuse_nul(comment)  # here, so one such ballot is refused alone, not its whole batch at the save
        window = reads.get(window_id(rep.round_key, r.department))
        if not isinstance(window, ScoringWindow) or not window.is_open or round_.locked:
            raise WindowNotOpen(department=r.department)
        receipt = self.keys.receipt(bid, r.client_id)
        if not isinstance(ballot, Ballot):
            ballot = Ballot(
                pseudonym=pseudonym,
                round_key=rep.round_key,
                department=r.department,
                category=rep.category,
                venue=rep.venue,
                sitting=rep.sitting,
                client_id=r.client_id,
                receipt=receipt,
                choice=r.choice,
                scores=scores,
                comment=comment,
                window_opening=window.openings,
            )
        else:
            ballot.amend(r.client_id, receipt, r.choice, scores, comment, window.openings)
        return ballot, window, receipt

    def void_ballot(self, ballot: UUID, by: str, reason: str) -> None:
        """作废 — for a ballot proven fraudulent; the reason stays in the history."""
        found = self.load(Ballot, ballot, "评议票")
        if self.round(found.round_key).locked:
            raise RoundNotEditable()
        found.void(by, reason)
        self.commit(found)

    def sign_suggestion(
        self, representative_id: UUID, department: str, client_id: str, text: str, serial: int | None = None
    ) -> UUID:
        """留名建议 — signed with the representative's name, apart from any ballot; resends are one."""
        rep = self.load(Representative, representative_id, "代表")
        rep.require_session(serial)
        text = text.strip()
        if not text or len(text) > COMMENT_LIMIT:
            raise CommentTooLong(limit=COMMENT_LIMIT)
        if self.round(rep.round_key).sitting_of(department) != rep.sitting:
            raise NotInSitting(department=department)
        key = self.keys.suggestion_key(rep.id, department, client_id)
        existing = self.find(Suggestion, suggestion_id(key))
        if existing is not None:
            return existing.id
        suggestion = Suggestion(key, rep.round_key, department, rep.name, rep.phone, text)
        self.commit(suggestion)
        return suggestion.id

    def answer_suggestion(self, suggestion: UUID, department: str, text: str, by: str) -> None:
        found = self.load(Suggestion, suggestion, "建议")
        if found.department != department:
            raise NotFound(what="建议")
        found.give_answer(text, by)
        self.commit(found)


def _windows_and_rounds(round_keys: set[str], seats: set[tuple[UUID, str]]) -> list[UUID]:
    windows = {window_id(k, department) for k in round_keys for _, department in seats}
    return [*windows, *(round_id(k) for k in round_keys)]


def _ballot_of(pseudonym: str) -> tuple[str, UUID]:
    return pseudonym, ballot_id(pseudonym)


def _checked_choice(
    instrument: Instrument, choice: str, scores: dict[str, int] | None
) -> dict[str, int] | None:
    if choice not in instrument.choices():
        raise InvalidChoice()
    if choice != SCORED:
        return None
    given = scores or {}
    if set(given) != {c.key for c in instrument.criteria}:
        raise InvalidChoice("须为每一项指标打分")
    for criterion in instrument.criteria:
        value = given[criterion.key]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= criterion.max_score:
            raise InvalidChoice(f"「{criterion.label}」的分数须为 0 到 {criterion.max_score} 的整数")
    return dict(given)
