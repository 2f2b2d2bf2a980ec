"""网上评议票 — an online citizen's ballot for one department: a ``Ballot`` in all but its name and id.

Its own aggregate class, so its events (``OnlineBallot.Cast``, ``.Amended``, ``.Voided``) never enter the
live evaluation's tally: the online result is a component of the composite of its own (docs/scoring.md §6).
Its id comes from ``HMAC(pseudonym key, online identity, department)`` (``Keyring.online_pseudonym``): one
ballot per invitation (or verified phone) and department, and nothing stored names the identity.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from evaluation.ballot import Ballot
from evaluation.keys import SEATS_REMEMBERED
from evaluation.round import NAMESPACE

ONLINE_CATEGORY = "网络评议"
"""The category every online ballot carries (the tally weighs categories; online citizens are one)."""


@lru_cache(maxsize=SEATS_REMEMBERED)  # as ``ballot_id``: a batch derives each id as it reads and casts
def online_ballot_id(pseudonym: str) -> UUID:
    return uuid5(NAMESPACE, f"online-ballot:{pseudonym}")


class OnlineBallot(Ballot):
    """网上评议票 — cast once, amended during the online period, voided with its voter's batch."""

    @staticmethod
    def create_id(pseudonym: str, **_: Any) -> UUID:
        return online_ballot_id(pseudonym)

    @event("Voided")
    def _voided(self, by: str, reason: str) -> None:
        """Declared again: the library's decorator on ``Ballot`` would record ``Ballot.Voided``, which the
        live tally would take for one of its own."""
        self.voided = True
