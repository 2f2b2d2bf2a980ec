"""回执查询 — anyone may learn whether a receipt's ballot version counts; never what it chose.

``GET /receipts?code=…`` (page) and ``GET /api/receipts/{code}`` (JSON), both public. A receipt is
counted (the ballot's last version, accepted while its window was open), superseded (a later change
counts instead), voided (the organiser voided the ballot), or unknown. A code given to more than one ballot
(receipts are short keyed hashes: rare, see ``evaluation.keys.RECEIPT_LENGTH``) is ``shared``: it cannot say
which one was the holder's, so it says neither's status.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from evaluation.keys import normalise_code
from storage.signing import public_key_text
from web.platform.receipts import LABELS, receipt_statuses
from web.platform.templating import templates
from web.public import checkpoints


async def receipt_page(request: Request) -> Response:
    code = request.query_params.get("code", "")[:40]
    answer = None
    if normalise_code(code):
        answer = next(iter((await receipt_statuses(request.app.state.reads, [code])).values()), None)
    checkpoint = await checkpoints.latest(request)
    context = {
        "code": code,
        "answer": answer,
        "checkpoint": checkpoint and checkpoint["payload"],
        "public_key": public_key_text(request.app.state.settings.secret),
    }
    return templates.TemplateResponse(request, "receipts/check.html", context)


async def receipt_json(request: Request) -> Response:
    code = request.path_params["code"][:40]
    answers = await receipt_statuses(request.app.state.reads, [code])
    answer = next(iter(answers.values()), {"receipt": code, "status": "unknown", "label": LABELS["unknown"]})
    return JSONResponse(answer)


routes = [
    Route("/receipts", receipt_page, methods=["GET"]),
    Route("/api/receipts/{code}", receipt_json, methods=["GET"]),
]
