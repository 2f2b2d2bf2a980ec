"""The organiser's file uploads (成绩表, 名单文件, 活动工作簿): the file sent, or the page again with a plain
message when it is too large or none was chosen."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from web.platform.forms import TooLarge, back, flash, uploaded_file
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
