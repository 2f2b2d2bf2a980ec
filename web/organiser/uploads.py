"""The organiser's file uploads (成绩表, 名单文件, 活动工作簿): the file sent, or the page again with a plain
message when it is too large or none was chosen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from evaluation.errors import EvaluationError
from web.platform.errors import status_of
from web.platform.forms import TooLarge, back, flash, uploaded_file
from workbook import WorkbookRejected
from workbook.opening import MAX_BYTES


@dataclass(frozen=True)
class Upload:
    """One upload form's file field, its limit and what the organiser is told when it is refused."""

    field: str
    limit: int
    too_large: str
    missing: str


WORKBOOK = Upload(
    "workbook", MAX_BYTES, f"活动工作簿不能超过 {MAX_BYTES >> 20} MB", "请选择要上传的活动工作簿（.xlsx）"
)


async def received(request: Request, upload: Upload, page: str) -> tuple[str, bytes] | Response:
    """The uploaded (file name, bytes) of a CSRF-checked form, or a redirect back to ``page`` saying why not."""
    try:
        sent = await uploaded_file(request, upload.field, upload.limit)
    except TooLarge:
        flash(request, upload.too_large, "error")
        return back(page)
    if sent is None:
        flash(request, upload.missing, "error")
        return back(page)
    return sent


def refused_workbook(refusal: EvaluationError, filename: str) -> tuple[int, dict[str, Any]]:
    """A refused workbook as its page's status and context: with each problem (sheet, row, column, message)
    when the workbook itself was at fault (422), else the refusal's own status."""
    if isinstance(refusal, WorkbookRejected):
        problems = [(p.sheet, p.row, p.column, p.message) for p in refusal.problems]
        return 422, {"refusal": refusal.message, "problems": problems, "file": filename}
    return status_of(refusal.code), {"refusal": refusal.message, "file": filename}


async def with_workbook(
    request: Request,
    page: str,
    shown_again: Callable[..., Awaitable[Response]],
    work: Callable[[bytes, str], Any],
) -> tuple[str, bytes, Any] | Response:
    """The uploaded workbook read by ``work(data, file name)`` in a worker thread: (file name, bytes, what it
    gave); or the response: back to ``page`` when no file came, or ``shown_again(request, status, ...)``
    with the workbook's problems when it was refused."""
    sent = await received(request, WORKBOOK, page)
    if isinstance(sent, Response):
        return sent
    filename, data = sent
    try:
        return filename, data, await run_in_threadpool(work, data, filename)
    except EvaluationError as refusal:
        status, shown = refused_workbook(refusal, filename)
        return await shown_again(request, status, **shown)
