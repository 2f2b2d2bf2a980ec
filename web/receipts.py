"""回执查询 — anyone may learn whether a receipt's ballot version counts; never what it chose.

``GET /receipts?code=…`` (page) and ``GET /api/receipts/{code}`` (JSON), both public. A receipt is
counted (the ballot's last version, accepted while its window was open), superseded (a later change
counts instead), voided (the organiser voided the ballot), or unknown. A code given to more than one ballot
(receipts are short keyed hashes: rare, see ``evaluation.keys.RECEIPT_LENGTH``) is ``shared``: it cannot say
which one was the holder's, so it says neither's status.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from evaluation.keys import normalise_code
from web import checkpoints
from web.database import ReadModels
from web.templating import templates

LABELS = {
    "counted": "已计入：这是该评议票最后一次提交的版本，计入结果",
    "superseded": "已被取代：之后又修改过评分，以最后一次提交为准",
    "voided": "已作废：该评议票经组织方核实后作废，不计入结果",
    "not_counted": "未计入结果",
    "shared": "该回执码对应不止一张评议票，无法据此确认，请联系组织方核实",
    "unknown": "未找到该回执码（刚提交的评分需几秒钟后才能查到，请核对后再试）",
}

QUERY = """
SELECT r.receipt, r.department, d.name AS department_name, o.title AS round_title,
       b.receipt AS latest, b.voided, b.counted
FROM receipts_view r
JOIN ballots_view b ON b.ballot_id = r.ballot_id
LEFT JOIN departments_view d ON d.round_key = r.round_key AND d.department = r.department
LEFT JOIN rounds_view o ON o.round_key = r.round_key
WHERE r.receipt = ANY($1::text[])
"""


def status_of(row: Any) -> str:
    if row["voided"]:
        return "voided"
    if row["latest"] != row["receipt"]:
        return "superseded"
    return "counted" if row["counted"] else "not_counted"


async def receipt_statuses(reads: ReadModels, codes: list[str]) -> dict[str, dict[str, Any]]:
    """Each code (normalised) → its status; codes not found are ``unknown``."""
    wanted = [c for c in dict.fromkeys(normalise_code(code) for code in codes) if 0 < len(c) <= 16]
    found: dict[str, list[Any]] = {}
    for row in await reads.fetch(QUERY, wanted) if wanted else []:
        found.setdefault(row["receipt"], []).append(row)
    answers = {}
    for code in wanted:
        rows = found.get(code, [])
        row = rows[0] if len(rows) == 1 else None
        status = "shared" if len(rows) > 1 else status_of(row) if row is not None else "unknown"
        answers[code] = {"receipt": code, "status": status, "label": LABELS[status]}
        if row is not None:
            answers[code]["department"] = row["department_name"] or row["department"]
            answers[code]["round"] = row["round_title"] or ""
    return answers


async def receipt_page(request: Request) -> Response:
    code = request.query_params.get("code", "")[:40]
    answer = None
    if normalise_code(code):
        answer = next(iter((await receipt_statuses(request.app.state.reads, [code])).values()), None)
    checkpoint = await checkpoints.latest(request)
    context = {"code": code, "answer": answer, "checkpoint": checkpoint and checkpoint["payload"]}
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
