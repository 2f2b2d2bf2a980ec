"""首页 and 登录 — sign in with a credential code, typed or scanned from the card's QR code.

- ``GET /login`` shows the form; ``POST /login`` (CSRF) signs in with the code and redirects to the
  holder's screen (a clean address: the code never sits in the address bar or the browser's history).
- The card's QR code opens ``/login#code=XXXXX-XXXXX``: the fragment never leaves the phone; the page's
  script (web/public/static/login.js) takes the code out of the address and POSTs it.
- Cards printed earlier open ``GET /login?code=XXXXX-XXXXX``: that only shows a page holding the code in
  a form the same script POSTs at once (a button without script); the GET itself signs nobody in and
  counts no attempt, so a page in the hall loading it as ``<img>`` spends nothing. The server keeps no
  access log, and one turned on redacts ``code=`` (web/platform/access_log.py).
- ``POST /logout`` (CSRF) ends the session, on the server too (a representative's: 交还平板,
  web/platform/representative_sessions.py).
Failures back off per code, per client and per address (web/platform/throttle.py), never locking the
venue's shared address.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from evaluation.errors import CredentialRevoked, InvalidCredential
from evaluation.staff import AccountDisabled, SharedCodeRetired
from web.platform import security
from web.platform.errors import TooManyAttempts, status_of
from web.platform.representative_sessions import REPRESENTATIVE
from web.platform.templating import templates
from web.platform.throttle import client_name
from web.public.reads import ROUNDS
from web.public.signin import LANDING, code_digest, identify


async def index(request: Request) -> Response:
    rounds = await request.app.state.public_reads.fetch(ROUNDS)
    return templates.TemplateResponse(request, "index.html", {"rounds": rounds})


async def login_form(request: Request) -> Response:
    """The form; with ``?code=`` (a card printed before the QR code moved into the fragment) the same form
    holding that code, which the page's script POSTs at once: nothing is tried here."""
    scanned = request.query_params.get("code", "")[:64]
    return _form(request, scanned=scanned)


async def login_submit(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=5, max_part_size=1024) as form:
        security.check_csrf(request, str(form.get("csrf") or ""))
        code = str(form.get("code") or "")
    return await attempt(request, code[:64])


async def attempt(request: Request, code: str) -> Response:
    throttle = request.app.state.throttle
    address = request.client.host if request.client else "unknown"
    client = client_name(security.csrf_token(request))
    keys = throttle.keys(address, code_digest(request.app.state.commands.keys, code), client)
    if seconds := await throttle.wait_for(keys):
        refused = TooManyAttempts(seconds=seconds, wait=wait_words(seconds))
        return _form(request, refused.message, 429, {"Retry-After": str(seconds)})
    try:
        who = await identify(request, code)
    except (InvalidCredential, CredentialRevoked, AccountDisabled, SharedCodeRetired) as refusal:
        if held := await throttle.failed(keys):
            await asyncio.sleep(held)  # the address's back-off: a serial guesser slows down
        return _form(request, refusal.message, status_of(refusal.code))
    await throttle.succeeded(keys)
    extra = dict(who.extra)
    if "account" in extra:  # a staff account: its session is kept server-side too
        agent = request.headers.get("user-agent", "")
        extra["sid"] = await request.app.state.staff_sessions.start(
            extra["account"], who.role, address, agent
        )
    elif who.role == REPRESENTATIVE:  # so is a representative's: handing the tablet back ends it for good
        extra["sid"] = await request.app.state.representative_sessions.start(who.subject, who.round_key)
    security.sign_in(request, who.role, who.subject, who.round_key, **extra)
    return RedirectResponse(who.landing, status_code=303)


def wait_words(seconds: int) -> str:
    """How long to wait, in words: 「30 秒」, 「2 分钟」."""
    return f"{seconds} 秒" if seconds < 60 else f"{-(-seconds // 60)} 分钟"


def _form(
    request: Request,
    message: str = "",
    status: int = 200,
    headers: dict[str, str] | None = None,
    scanned: str = "",
) -> Response:
    who = security.principal(request)
    landing = LANDING.get(who.role) if who else None
    return templates.TemplateResponse(
        request,
        "home/login.html",
        {"message": message, "landing": landing, "scanned": scanned},
        status_code=status,
        headers=headers,
    )


async def logout(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=5, max_part_size=1024) as form:
        security.check_csrf(request, str(form.get("csrf") or ""))
    sid = request.session.get("sid")
    if sid and request.session.get("role") == REPRESENTATIVE:  # 交还平板
        await request.app.state.representative_sessions.end(str(sid), "representative", "handback")
    elif sid:
        await request.app.state.staff_sessions.end(str(sid), f"staff:{request.session.get('account')}")
    security.sign_out(request)
    return RedirectResponse("/", status_code=303)


routes = [
    Route("/", index, methods=["GET"]),
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login_submit, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
