"""公开预读 — a round's reports for everyone, once the organiser opened them: ``/rounds/{round_key}/reports`` lists
each department's current report (title, summary, full text) with its attachment to download. Before the
organiser opens them (or after closing again) the page answers 404 with a plain sentence, and no file is
served."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import NotFound
from web.platform.report_files import pdf_response
from web.platform.templating import templates
from web.public.reads import PRE_READING_REPORT, PRE_READING_REPORTS, PRE_READING_ROUND

NOT_OPEN = "本次评议活动的述职报告尚未公开预读，请在组织方公开后再来阅读。"


async def _opened(request: Request) -> Any | None:
    """The round if its reports are open for pre-reading; None if it exists but they are not."""
    key = request.path_params["round_key"]
    round_ = await request.app.state.public_reads.fetchrow(PRE_READING_ROUND, key)
    if round_ is None:
        raise NotFound(what=f"评议活动「{key}」")
    return round_ if round_["pre_reading"] else None


def agenda_order(round_: Any, rows: list[Any]) -> list[Any]:
    """In the order the departments report (sitting by sitting), those in no sitting last."""
    order: dict[str, int] = {}
    for sitting in round_["sittings"].values():
        for key in sitting["agenda"]:
            order.setdefault(key, len(order))
    return sorted(rows, key=lambda r: order.get(r["department"], len(order)))


async def reports(request: Request) -> Response:
    round_ = await _opened(request)
    if round_ is None:
        context: dict[str, Any] = {"title": "述职报告尚未公开", "message": NOT_OPEN}
        return templates.TemplateResponse(request, "reports/closed.html", context, status_code=404)
    rows = await request.app.state.public_reads.fetch(PRE_READING_REPORTS, round_["round_key"])
    context = {"round": round_, "rows": agenda_order(round_, rows)}
    return templates.TemplateResponse(request, "reports/list.html", context)


async def report_file(request: Request) -> Response:
    round_ = await _opened(request)
    if round_ is None:
        raise NotFound(what="公开的述职报告附件")
    key = request.path_params["department"]
    row = await request.app.state.public_reads.fetchrow(PRE_READING_REPORT, round_["round_key"], key)
    if row is None or row["report"] is None:
        raise NotFound(what="该部门的述职报告")
    return await pdf_response(request, row["report"])


routes = [
    Route("/rounds/{round_key}/reports", reports),
    Route("/rounds/{round_key}/reports/{department}/file", report_file),
]
