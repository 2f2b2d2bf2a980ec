"""投票箱 — the one place a ballot goes from the web into the domain.

Kept lean for the peak minute (2,000 tablets at once): no read-model query; the ballot goes to
the process's BallotBox (group commit into ``IntakeApp.cast_ballots``).
"""

from __future__ import annotations

from typing import Any

from evaluation.voting import Receipt
from intake.wire import Request


async def submit(app_state: Any, request: Request) -> Receipt:
    """Casts (or amends, or recognises a resend of) one ballot, a tablet's or an online citizen's
    (``OnlineRequest``); refusals raise EvaluationError.

    The ballot joins whatever else is arriving in this process (intake/ballot_box.py): one transaction
    for all of them, each answered only after that commit.
    """
    receipt: Receipt = await app_state.ballot_box.cast(request)
    return receipt
