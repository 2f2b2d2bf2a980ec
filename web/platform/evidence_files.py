"""证明材料的下载 — an answer's evidence file as the department and the organiser download it: read by its sha256
from the file store and sent with the media type the answer recorded (application/pdf, image/png or image/jpeg,
nothing else), as an attachment with its file name; the platform's headers add ``nosniff``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from evaluation.errors import NotFound
from web.platform.reads import REPORT_FILE

MEDIA_TYPES = {"application/pdf": "evidence.pdf", "image/png": "evidence.png", "image/jpeg": "evidence.jpg"}


async def evidence_response(request: Request, answer: dict[str, Any] | None) -> Response:
    """``answer`` is an opinions_view answer; its ``evidence`` {"sha256","name","media_type",…} is sent."""
    evidence = (answer or {}).get("evidence") or {}
    media_type = evidence.get("media_type")
    if not evidence.get("sha256") or media_type not in MEDIA_TYPES:
        raise NotFound(what="证明材料")
    row = await request.app.state.reads.fetchrow(REPORT_FILE, evidence["sha256"])
    if row is None:
        raise NotFound(what="证明材料")
    name = quote(str(evidence.get("name") or MEDIA_TYPES[media_type]))
    headers = {
        "Content-Disposition": f"attachment; filename={MEDIA_TYPES[media_type]}; filename*=UTF-8''{name}",
        "Cache-Control": "private, max-age=300",
    }
    return Response(bytes(row["content"]), media_type=media_type, headers=headers)
