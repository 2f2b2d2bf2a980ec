"""组织方与部门页面的共用手续 — who is asking, CSRF-checked forms, commands in a worker thread, flash notes.

The screens of the organiser console and the department portal use these; none of them decides a rule:
a command the domain refuses becomes a flash note with the domain's own message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from evaluation.errors import EvaluationError, InvalidInput, NotFound
from web.platform.body import without_control
from web.platform.reads import ROUND
from web.platform.security import (
    ADMINISTRATOR,
    Principal,
    check_csrf,
    csrf_token,
    end_if_replaced,
    require,
)
from web.platform.templating import templates

FLASH = "flash"


def organiser(request: Request) -> Principal:
    return require(request, "organiser")


async def administrator(request: Request) -> Principal:
    """The platform's administrator, signed in with the current code (an older code's session is ended)."""
    who = require(request, ADMINISTRATOR)
    if who.account:  # a personal administrator account: its server-side session is the check
        return who
    current = await run_in_threadpool(request.app.state.commands.administrator_code_serial)
    end_if_replaced(request, current)
    return who


def department(request: Request) -> Principal:
    return require(request, "department")


def actor(who: Principal) -> str:
    """How a command records who did it (history_view.actor): ``staff:<account id>`` for a person with a
    personal account (the history names them), else ``role:subject`` as before."""
    return f"staff:{who.account}" if who.account else f"{who.role}:{who.subject}"


async def posted(request: Request, files: bool = False) -> FormData:
    """The submitted form, once its CSRF token is checked.

    Only a form that uploads ``files`` may come as multipart: the pages' other forms are url-encoded, and a
    multipart text field that is not UTF-8 would be read as Latin-1 and recorded garbled (415 instead)."""
    if not files and request.headers.get("content-type", "").lower().startswith("multipart/"):
        raise HTTPException(415)
    form = await request.form()
    token = form.get("csrf")
    check_csrf(request, token if isinstance(token, str) else None)
    return form


FORM_SLACK = 64 * 1024
"""Room for an upload form's other fields and multipart framing around the file."""


class TooLarge(Exception):
    """An uploaded file over its limit."""


async def uploaded_file(request: Request, field: str, limit: int) -> tuple[str, bytes] | None:
    """The file sent in ``field`` of a CSRF-checked form, as (its name, its bytes); None if none was chosen.

    Raises ``TooLarge`` when the request says its body is larger than the file may be (refused before a byte
    is read), or when the file turns out to be."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_SLACK:
        raise TooLarge()
    form = await posted(request, files=True)
    upload = form.get(field)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise TooLarge()
    return upload.filename, data


READ_ANYWAY = 25 * 1024 * 1024 + FORM_SLACK
"""A body over an upload's limit but within the front's cap (deploy/nginx: client_max_body_size 25m) is
still parsed (its file spooled to disk and dropped) so that what was typed comes back; a larger one is
refused unread, the form's text then empty."""


async def typed_anyway(request: Request) -> FormData | None:
    """The CSRF-checked form of a post refused for its file's size, when its body is within ``READ_ANYWAY``;
    None when it is larger (nothing read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > READ_ANYWAY:
        return None
    return await posted(request, files=True)


def text(form: FormData, name: str) -> str:
    """A form field's text, trimmed, without control characters (a NUL would stop the projection).

    Bytes that were not UTF-8 arrive as U+FFFD: refused rather than recorded garbled."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    if "\ufffd" in value:
        raise InvalidInput("提交的文字不是有效的 UTF-8 编码，请重新输入")
    return without_control(value).strip()


async def attempt(request: Request, done: str, command: Callable[..., Any], *args: Any, **kw: Any) -> bool:
    """Runs a command; its success or the domain's refusal becomes the next page's flash note."""
    try:
        await run_in_threadpool(command, *args, **kw)
    except EvaluationError as refusal:
        flash(request, refusal.message, "error")
        return False
    flash(request, done, "ok")
    return True


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session[FLASH] = [kind, message]


def take_flash(request: Request) -> tuple[str, str] | None:
    note = request.session.pop(FLASH, None)
    return (str(note[0]), str(note[1])) if isinstance(note, list) and len(note) == 2 else None


def back(url: str) -> RedirectResponse:
    """After a form: 303 so that reloading the page does not submit it again."""
    return RedirectResponse(url, status_code=303)


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """A page with the CSRF token and the pending flash note."""
    full = {"csrf": csrf_token(request), "note": take_flash(request), **context}
    return templates.TemplateResponse(request, template, full, status_code=status)


def whole_number(value: str | None) -> int | None:
    """A positive whole number given in a query (page, position), or None: never an error page."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18 and int(value) > 0:
        return int(value)
    return None


def found(row: Any, what: str) -> Any:
    """A read-model row, or the domain's 404."""
    if row is None:
        raise NotFound(what=what)
    return row


async def round_row(request: Request, round_key: str) -> Any:
    row = await request.app.state.reads.fetchrow(ROUND, round_key)
    return found(row, f"评议活动「{round_key}」")
