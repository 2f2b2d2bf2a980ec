"""述职报告表单 — the submit/revise form the department and the organiser (代为提交) both post: title,
summary, full text, an optional PDF and 「删除附件」. Multipart, CSRF-checked; a file over 20 MB is refused
before the domain is asked (unread, when the request declares its size)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from evaluation.errors import EvaluationError
from evaluation.report import FILE_LIMIT
from web.platform.forms import TooLarge, text, typed_anyway, uploaded_file
from web.platform.people import named
from web.platform.reads import REPORT_REVISIONS

TOO_LARGE = f"附件不能超过 {FILE_LIMIT // (1024 * 1024)} MB，请压缩或删减后再上传"


@dataclass(frozen=True)
class ReportForm:
    title: str
    summary: str
    text: str
    file: tuple[str, bytes] | None
    drop_file: bool

    def as_draft(self) -> dict[str, str]:
        """What the page shows again after a refusal (the file must be chosen again)."""
        return {"title": self.title, "summary": self.summary, "text": self.text}


async def report_form(request: Request) -> ReportForm | None:
    """The posted form, or None when its file is over the limit (nothing else is read then)."""
    try:
        upload = await uploaded_file(request, "file", FILE_LIMIT)
    except TooLarge:
        return None
    form = await request.form()  # parsed and CSRF-checked by uploaded_file
    return ReportForm(
        text(form, "title"),
        text(form, "summary"),
        text(form, "text"),
        upload,
        form.get("drop_file") == "1",
    )


async def too_large(request: Request) -> tuple[dict[str, str], str]:
    """A form refused for its file's size: what was typed (when the body could still be read, else nothing)
    and the alert shown in the form's card."""
    form = await typed_anyway(request)
    if form is None:
        return {}, f"报告未保存：{TOO_LARGE}（请重新填写报告）"
    draft = {name: text(form, name) for name in ("title", "summary", "text")}
    return draft, f"报告未保存：{TOO_LARGE}。已填写的文字保留在下面，请重新选择附件"


def refused(refusal: EvaluationError, form: ReportForm) -> str:
    """The alert of a form the domain refused (the file, if any, must be chosen again)."""
    again = "。请重新选择附件后再提交" if form.file is not None else ""
    return f"报告未保存：{refusal.message}{again}"


async def seen(request: Request, query: str, *args: Any, timeout: float = 3.0) -> bool:
    """Read-your-writes for the report pages: wait (briefly) until ``query`` finds the row the command just
    recorded, so the page after the redirect shows it. False if the projection is slower than ``timeout``
    (the page then shows the note and the row comes at the next load)."""
    deadline = time.monotonic() + timeout
    while await request.app.state.reads.fetchval(query, *args) is None:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def report_context(
    request: Request, round_: Any, key: str, dept: Any, draft: dict[str, Any] | None, problem: str = ""
) -> dict[str, Any]:
    """What a report page shows around the form: the round, the department's row (its current report), every
    revision (who submitted it named as the history names people: ``who``), and the draft in the form (after a refusal, what was sent; else the current report) and the refusal's ``problem``."""
    rows = await request.app.state.reads.fetch(REPORT_REVISIONS, round_["round_key"], key)
    staff = await run_in_threadpool(request.app.state.commands.staff_by_actor)
    current = dept["report"] or {}
    return {
        "round": round_,
        "dept": dept,
        "revisions": [{**dict(r), "who": named(r["actor"], staff)} for r in rows],
        "draft": draft if draft is not None else current,
        "current": current,
        "limit_mb": FILE_LIMIT // (1024 * 1024),
        "problem": problem,
    }
