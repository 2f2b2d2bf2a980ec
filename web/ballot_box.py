"""投票箱 — the one place a ballot goes from the web into the domain.

Kept lean for the peak minute (issue 6: 2,000 tablets at once): one thread-pool call into
``EvaluationApp.cast_ballot``, no read-model query. A group-commit batcher (``cast_ballots``) can
replace the body of ``submit`` without touching the routes.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from evaluation.voting import CastRequest, Receipt


async def submit(app_state: Any, request: CastRequest) -> Receipt:
    """Casts (or amends, or recognises a resend of) one ballot; refusals raise EvaluationError."""
    receipt: Receipt = await run_in_threadpool(
        app_state.commands.cast_ballot,
        request.representative_id,
        request.department,
        request.client_id,
        request.choice,
        request.scores,
        request.comment,
    )
    return receipt
