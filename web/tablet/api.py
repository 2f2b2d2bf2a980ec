"""The tablet's JSON API — described in /openapi.json (web/platform/openapi.py).

- ``GET /api/state``: the representative's sitting, its departments with their window states, and the
  status of the receipts the page asks about (``?receipts=A,B``; the page keeps its own receipts).
- ``POST /api/ballots`` ``{department, client_id, choice, scores?, comment?}`` → ``{receipt, department,
  resent, position}``; the same ``client_id`` again is the same ballot (``resent: true``).
- ``POST /api/suggestions`` ``{department, client_id, text}`` → ``{suggestion, department}`` (留名建议: held,
  recorded when the department's window closes, see evaluation/signed_suggestions.py).
A ballot refused as ``window_closed`` or ``not_in_sitting`` names the department by its key in ``message`` (the
ballot path reads no name); the page words both itself by the code and the department's name it lists (tablet.js).
Both POSTs need the page's CSRF token in ``X-CSRF-Token``, and are paced per representative (web/tablet/pace.py:
429 ``too_many_submissions`` with ``Retry-After``; the outbox sends again later).
"""

from __future__ import annotations

from uuid import UUID

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.ballot import COMMENT_LIMIT
from evaluation.voting import CastRequest
from intake.busy import SessionEnded
from intake.submit import submit
from web.platform import body
from web.platform.body import Answer
from web.platform.receipts import receipt_statuses
from web.platform.security import check_csrf, require, session_serial, sign_out
from web.tablet.seat import load_seat

ROLE = "representative"
MAX_RECEIPTS = 100


async def state(request: Request) -> Response:
    who = require(request, ROLE)
    seat = await load_seat(request, who)
    asked = [c for c in request.query_params.get("receipts", "").split(",") if c][:MAX_RECEIPTS]
    seat["receipts"] = await receipt_statuses(request.app.state.reads, asked)
    return Answer(seat)


async def cast(request: Request) -> Response:
    who = require(request, ROLE)
    check_csrf(request, None)
    data = await body.json_object(request)
    department = body.text(data, "department")
    request.app.state.submissions.ballots.take(who.subject, department)
    ballot = CastRequest(
        representative_id=UUID(who.subject),
        department=department,
        client_id=body.text(data, "client_id"),
        choice=body.text(data, "choice"),
        scores=body.scores(data),
        comment=body.text(data, "comment", limit=COMMENT_LIMIT * 4, required=False),
        serial=session_serial(request),
        session=str(request.session.get("sid", "")),
    )
    try:
        receipt = await submit(request.app.state, ballot)
    except SessionEnded:  # ended after the web's cache looked (in another process): as any ended session
        sign_out(request)
        raise
    return Answer(
        {
            "receipt": receipt.code,
            "department": receipt.department,
            "resent": receipt.resent,
            "position": receipt.position,
        }
    )


async def suggest(request: Request) -> Response:
    who = require(request, ROLE)
    check_csrf(request, None)
    data = await body.json_object(request)
    department = body.text(data, "department")
    request.app.state.submissions.suggestions.take(who.subject)
    suggestion = await run_in_threadpool(
        request.app.state.commands.sign_suggestion,
        UUID(who.subject),
        department,
        body.text(data, "client_id"),
        body.text(data, "text", limit=COMMENT_LIMIT * 4),
        session_serial(request),
    )
    return Answer({"suggestion": str(suggestion), "department": department})


routes = [
    Route("/api/state", state, methods=["GET"]),
    Route("/api/ballots", cast, methods=["POST"]),
    Route("/api/suggestions", suggest, methods=["POST"]),
]
