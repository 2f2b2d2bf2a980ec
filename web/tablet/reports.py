"""述职报告 on the tablet — a representative reads, before and during the sitting, the full text and the
attachment of every department on their sitting's agenda (and of no other department).

The pages open from links on ``/r`` in a tab of their own, so the ballot page (its outbox, its window feed)
stays as it is; the offline worker neither caches nor answers them (web/tablet/offline_shell.py).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import NotFound
from web.platform.report_files import pdf_response
from web.platform.security import require
from web.platform.templating import templates
from web.tablet import reads
from web.tablet.page import ROLE
from web.tablet.seat import load_seat


async def _agenda_report(request: Request) -> tuple[dict[str, Any], Any]:
    who = require(request, ROLE)
    seat = await load_seat(request, who)
    key = request.path_params["department"]
    if key not in {d["key"] for d in seat["departments"]}:
        raise NotFound(what="本场次议程中的该部门")
    row = await request.app.state.reads.fetchrow(reads.AGENDA_REPORT, who.round_key, key)
    if row is None or row["report"] is None:
        raise NotFound(what="该部门的述职报告")
    return seat, row


async def report_page(request: Request) -> Response:
    seat, row = await _agenda_report(request)
    context = {"seat": seat, "dept": row, "report": row["report"]}
    return templates.TemplateResponse(request, "tablet/report.html", context)


async def report_file(request: Request) -> Response:
    _, row = await _agenda_report(request)
    return await pdf_response(request, row["report"], "inline")


routes = [
    Route("/r/reports/{department}", report_page),
    Route("/r/reports/{department}/file", report_file),
]
