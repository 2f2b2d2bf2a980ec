"""下载意见汇总 — the signed-in department's own result and comment summary as .xlsx, .csv or .pdf, only after
publication and only when at least 5 representatives scored it (else the page's reason, refused). The result
lines and the weighting sentence are the page's own (``web.department.result_lines``)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evaluation.errors import EvaluationError
from evaluation.instrument import Instrument
from projections.feedback import NotEnough
from web.department.exports_pdf import feedback_pdf
from web.department.exports_tables import Summary, csv_bytes, xlsx_bytes
from web.department.feedback import feedback, published, results
from web.department.result_lines import result_lines, weighting_note
from web.platform.builds import build as build_in_slot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS: dict[str, tuple[Callable[[Summary], bytes], str]] = {
    "xlsx": (xlsx_bytes, XLSX),
    "csv": (csv_bytes, "text/csv; charset=utf-8"),
    "pdf": (feedback_pdf, "application/pdf"),
}


class TooFewToShow(EvaluationError):
    code, template = "too_few_returned", "{message}"


async def download(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in FORMATS:
        raise HTTPException(404)
    mine = await published(request)
    summary = await feedback(request, mine)
    if isinstance(summary, NotEnough):
        raise TooFewToShow(message=summary.message)
    tally, line = await results(request, mine)
    note = weighting_note(Instrument.from_dict(mine.round["instrument"]), mine.round["categories"])
    whole = Summary(mine.round["title"], mine.row["name"], summary, result_lines(tally, line), note)
    build, media_type = FORMATS[kind]
    content = await build_in_slot(request, build, whole)
    filename = f"{mine.row['name']}-意见汇总.{kind}"
    disposition = f"attachment; filename=feedback-{mine.key}.{kind}; filename*=UTF-8''{quote(filename)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return Response(content, media_type=media_type, headers=headers)


routes = [Route("/department/feedback.{kind:str}", download)]
