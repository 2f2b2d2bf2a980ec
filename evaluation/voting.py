"""评议 — scoring windows, casting and amending ballots (exactly once), voiding (signed suggestions: signed_suggestions)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from evaluation.ballot import COMMENT_LIMIT, Ballot, BallotVersion, ballot_id
from evaluation.errors import (
    CommentTooLong,
    InvalidChoice,
    InvalidInput,
    NotCheckedIn,
    NotFound,
    NotInSitting,
    RoundNotEditable,
    WindowNotOpen,
)
from evaluation.instrument import SCORED, Instrument
from evaluation.representative import Representative
from evaluation.round import Round
from evaluation.service import ServiceBase, last_position, refuse_nul
from evaluation.window import ScoringWindow, window_id

B = TypeVar("B", bound=Ballot)

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
    session: str = ""
    """The caller's server-side session, opaque here: the ballot writer refuses a ballot whose session has
    ended (intake/fast_app.py)."""


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
        """投票 / 改票 — the same client id twice is one ballot; a race is redone, never double-counted.

        The ballot's save is guarded by the version of the window read: another save of the ballot, or a
        close of the window, in between refuses it (IntegrityError), and the cast is done again on fresh
        reads; the last of ``ATTEMPTS`` raises it."""
        request = CastRequest(representative_id, department, client_id, choice, scores, comment, serial)
        for _ in range(ATTEMPTS - 1):
            try:
                return self._cast(request)
            except IntegrityError:
                continue
        return self._cast(request)

    def _cast(self, request: CastRequest) -> Receipt:
        prepared = self._prepare(request, self._read_for([request]), {})
        if isinstance(prepared, Receipt):
            return prepared
        ballot, window, receipt = prepared
        saved = self.save(ballot, guards={window.id: window.version})
        return Receipt(receipt, ballot.id, request.department, False, last_position(saved))

    def _read_for(self, requests: list[CastRequest]) -> dict[object, object]:
        """What the requests need: each representative, its ballot and window (by aggregate id), and its
        round (by round key). A ballot not yet cast is None."""
        reads: dict[object, object] = {}
        for r in requests:
            rep = self.find(Representative, r.representative_id)
            if rep is None:
                continue
            bid = ballot_id(self.keys.pseudonym(rep.id, r.department))
            wid = window_id(rep.round_key, r.department)
            reads[rep.id] = rep
            reads[bid] = self.find(Ballot, bid)
            reads[wid] = self.find(ScoringWindow, wid)
            reads[rep.round_key] = self.round(rep.round_key)
        return reads

    def _prepare(
        self, r: CastRequest, reads: dict[object, object], pending: dict[UUID, Ballot]
    ) -> Receipt | tuple[Ballot, ScoringWindow, str]:
        """Checks every rule and builds the new ballot version, without saving it.

        ``reads`` is what ``_read_for`` found (a reader may add each seat's pseudonym and ballot id, keyed by
        (representative, department)); ``pending`` holds the ballots built before this one for the same
        save. The window's version guards the save, so a close that comes in between makes the cast redo
        its checks on fresh reads.
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
        # These two refusals name the department by its key: a name is on its Department aggregate, which no
        # ballot reads (the round knows only keys and groups), and a read per refused ballot would fall at
        # a window's close, the peak. The tablet words both by their code with the name it already has for
        # the key: its department's section, or the name queued with the ballot (tablet.js, refusalText).
        if round_.sitting_of(r.department) != rep.sitting:
            raise NotInSitting(department=r.department)
        if round_.check_in_required and not rep.checked_in:
            raise NotCheckedIn()
        scores, comment = checked_content(round_.instrument, r.choice, r.scores, r.comment)
        window = reads.get(window_id(rep.round_key, r.department))
        if not isinstance(window, ScoringWindow) or not window.is_open or round_.locked:
            raise WindowNotOpen(department=r.department)
        receipt = self.keys.receipt(bid, r.client_id)
        version = BallotVersion(r.client_id, receipt, r.choice, scores, comment, window.openings)
        ballot = cast_or_amend(Ballot, ballot, pseudonym, rep.round_key, r.department, rep.category, version)
        return ballot, window, receipt

    def void_ballot(self, ballot: UUID, by: str, reason: str) -> None:
        """作废 — for a ballot proven fraudulent; the reason stays in the history."""
        found = self.load(Ballot, ballot, "评议票")
        if self.round(found.round_key).locked:
            raise RoundNotEditable()
        found.void(by, reason)
        self.save(found)


def _ballot_of(pseudonym: str) -> tuple[str, UUID]:
    return pseudonym, ballot_id(pseudonym)


def checked_content(
    instrument: Instrument, choice: str, scores: dict[str, int] | None, comment: str
) -> tuple[dict[str, int] | None, str]:
    """What a tablet's and an online ballot say, by the rules both share: the choice (with its scores on a
    criteria instrument) and the comment, stripped, not too long and without U+0000 (refused here, so one
    such ballot is refused alone, not its whole batch at the save)."""
    checked = checked_choice(instrument, choice, scores)
    comment = comment.strip()
    if len(comment) > COMMENT_LIMIT:
        raise CommentTooLong(limit=COMMENT_LIMIT)
    refuse_nul(comment)
    return checked, comment


def cast_or_amend(
    kind: type[B],
    found: object,
    pseudonym: str,
    round_key: str,
    department: str,
    category: str,
    version: BallotVersion,
) -> B:
    """The ballot found, amended to ``version``; or, when there is none yet, ``kind``'s first version, cast
    with the same fields (a tablet's ``Ballot`` or an ``OnlineBallot``)."""
    if isinstance(found, kind):
        found.amend(version)
        return found
    return kind(
        pseudonym=pseudonym, round_key=round_key, department=department, category=category, **vars(version)
    )


def checked_choice(
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
