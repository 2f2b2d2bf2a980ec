"""评议票 — one representative's ballot for one department, under a keyed pseudonym (无记名).

The aggregate's id is derived from ``HMAC(server secret, representative, department)``: the same person
scoring the same department always reaches the same aggregate (one ballot, last version counts), but
nothing stored says who that person is. Events carry only what the tally needs: the round, the
department, the representative's category (categories are weighted, docs/scoring.md §3), the version's
choice, scores, comment and window opening, the tablet's client id and receipt (resends), and a timestamp
cut to the day (events cast before this change carry the minute). Not the venue nor the sitting: a venue × category cell of one member would be that
person. ``Ballot.Cast`` version 1 carried them; version 2 does not, and a version 1
event read back loses them (``upcast_v1_v2``), so old ballots are folded, counted and recounted as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from evaluation.day_stamp import DayStamped
from evaluation.errors import BallotAlreadyVoided, stated
from evaluation.keys import SEATS_REMEMBERED
from evaluation.round import NAMESPACE

COMMENT_LIMIT = 2_000


@lru_cache(maxsize=SEATS_REMEMBERED)  # one per seat, as the keyring's pseudonyms
def ballot_id(pseudonym: str) -> UUID:
    return uuid5(NAMESPACE, f"ballot:{pseudonym}")


@dataclass(frozen=True)
class BallotVersion:
    """What a later version of a ballot says (the first is cast with the same fields): the tablet's client id and
    the receipt it was given, the choice (with its scores on a criteria instrument), the comment, and the
    opening of the scoring window it came in."""

    client_id: str
    receipt: str
    choice: str
    scores: dict[str, int] | None
    comment: str
    window_opening: int


class Ballot(Aggregate):
    """评议票 — cast once, amended while the window is open, voided only by the organiser with a reason."""

    class Event(DayStamped):
        """Cut to the day (UTC): the tally needs no time, and a minute beside a check-in's is a clue."""

    class Created(Event, Aggregate.Created):
        pass

    class Cast(Created):
        """投票 — the first version. Version 2 of the class: version 1 also carried the venue and sitting."""

        class_version = 2

        pseudonym: str
        round_key: str
        department: str
        category: str
        client_id: str
        receipt: str
        choice: str
        scores: dict[str, int] | None
        comment: str
        window_opening: int

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """What the tally does not need goes: the venue and the sitting (the department's)."""
            state.pop("venue", None)
            state.pop("sitting", None)

    @event(Cast)
    def __init__(
        self,
        pseudonym: str,
        round_key: str,
        department: str,
        category: str,
        client_id: str,
        receipt: str,
        choice: str,
        scores: dict[str, int] | None,
        comment: str,
        window_opening: int,
    ) -> None:
        self.round_key = round_key
        self.department = department
        self.category = category
        self.receipts: dict[str, str] = {client_id: receipt}
        self._record(choice, scores, comment, receipt)
        self.voided = False

    @staticmethod
    def create_id(pseudonym: str, **_: Any) -> UUID:
        return ballot_id(pseudonym)

    def _record(self, choice: str, scores: dict[str, int] | None, comment: str, receipt: str) -> None:
        self.choice = choice
        self.scores = scores
        self.comment = comment
        self.receipt = receipt

    def receipt_for(self, client_id: str) -> str | None:
        """The receipt already given for this client id: a resend changes nothing."""
        return self.receipts.get(client_id)

    def amend(self, version: BallotVersion) -> None:
        """改票 — a new version; the last accepted version is the one that counts."""
        if self.voided:
            raise BallotAlreadyVoided()
        self.trigger_event(self.Amended, **vars(version))

    class Amended(Event, BallotVersion):
        """A new version of the ballot: its fields are BallotVersion's. Declared with its ``apply``, not by
        ``@event`` on a method as the other events are: the decorator matches the event's fields to the
        method's parameters by name twice per amendment (when it is made, and again when it is applied), a
        tenth of the ballot writer's time when the hall amends. The stored event is the same."""

        def apply(self, aggregate: Ballot) -> None:
            aggregate.receipts[self.client_id] = self.receipt
            aggregate._record(self.choice, self.scores, self.comment, self.receipt)

    def void(self, by: str, reason: str) -> None:
        """作废 — a ballot proven fraudulent no longer counts; the reason is recorded."""
        if self.voided:
            raise BallotAlreadyVoided()
        self._voided(by, stated(reason))

    @event("Voided")
    def _voided(self, by: str, reason: str) -> None:
        self.voided = True
