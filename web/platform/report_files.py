"""报告附件的下载 — a report's PDF as every audience serves it: read by its sha256 from the file store,
sent as application/pdf with its file name (an ASCII fallback, the real name in ``filename*``); the
platform's headers add ``X-Content-Type-Options: nosniff``, so a browser never takes it for a page."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from evaluation.errors import NotFound
from web.platform.forms import found
from web.platform.reads import REPORT_FILE, REPORT_REVISION_FILE

MAX_REVISION = 1_000_000
"""Beyond any real report (and within the column's integer range)."""


async def pdf_response(
    request: Request, file: dict[str, Any] | None, disposition: Literal["attachment", "inline"] = "attachment"
) -> Response:
    """``file`` is a revision's {"sha256", "name", …} (or a current report's file_sha256 / file_name)."""
    sha = (file or {}).get("sha256") or (file or {}).get("file_sha256")
    name = (file or {}).get("name") or (file or {}).get("file_name") or "report.pdf"
    if not sha:
        raise NotFound(what="报告附件")
    row = await request.app.state.reads.fetchrow(REPORT_FILE, sha)
    if row is None:
        raise NotFound(what="报告附件")
    headers = {
        "Content-Disposition": f"{disposition}; filename=report.pdf; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "private, max-age=300",
    }
    return Response(bytes(row["content"]), media_type="application/pdf", headers=headers)


async def revision_pdf(request: Request, round_key: str, department: str) -> Response:
    """The attachment of the revision in the path (``{revision:int}``) of a department's report."""
    revision = request.path_params["revision"]
    if revision > MAX_REVISION:
        raise HTTPException(404)
    row = await request.app.state.reads.fetchrow(REPORT_REVISION_FILE, round_key, department, revision)
    return await pdf_response(request, found(row, "报告的这一稿")["file"])
