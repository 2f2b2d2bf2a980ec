"""首页 and 登录 — sign in with a credential code, typed or scanned from the card's QR code.

- ``GET /login`` shows the form; ``POST /login`` (CSRF) signs in with the typed code.
- ``GET /login?code=XXXXX-XXXXX`` is what the card's QR code opens: it signs the holder in at once, then
  leaves the code out of the address bar (a page that moves on to the holder's screen).
- ``POST /logout`` (CSRF) ends the session.
Failures are counted per client address and per code (web/platform/throttle.py); a locked key is refused
before the code is even looked at. A ``GET /login?code=`` that another page loads (an image, a frame) is
refused without an attempt.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from evaluation.errors import CredentialRevoked, InvalidCredential
from evaluation.staff import AccountDisabled
from web.platform import security
from web.platform.errors import TooManyAttempts, status_of
from web.platform.templating import templates
from web.public.reads import ROUNDS
from web.public.signin import LANDING, code_digest, identify


async def index(request: Request) -> Response:
    rounds = await request.app.state.reads.fetch(ROUNDS)
    return templates.TemplateResponse(request, "index.html", {"rounds": rounds})


async def login_form(request: Request) -> Response:
    if "code" in request.query_params:
        if not opened_as_a_page(request):
            return _form(request, "请在登录页输入登录码", 403)
        return await attempt(request, request.query_params["code"], scanned=True)
    return _form(request)


def opened_as_a_page(request: Request) -> bool:
    """The address was opened as a page (a QR scan, a typed or clicked link), not loaded by another page as
    an image, frame or script: else any page shown in the hall could spend the venue address's sign-in
    failures with ``<img src="/login?code=…">``. Browsers say so in ``Sec-Fetch-Dest``; older ones send
    nothing and are let through."""
    return request.headers.get("sec-fetch-dest", "document") == "document"


async def login_submit(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=5, max_part_size=1024) as form:
        security.check_csrf(request, str(form.get("csrf") or ""))
        code = str(form.get("code") or "")
    return await attempt(request, code, scanned=False)


async def attempt(request: Request, code: str, scanned: bool) -> Response:
    throttle = request.app.state.throttle
    address = request.client.host if request.client else "unknown"
    keys = throttle.keys(address, code_digest(request.app.state.commands.keys, code[:64]))
    if seconds := await throttle.locked_for(keys):
        refused = TooManyAttempts(minutes=max(1, -(-seconds // 60)), seconds=seconds)
        return _form(request, refused.message, 429, {"Retry-After": str(seconds)})
    try:
        who = await identify(request, code[:64])
    except (InvalidCredential, CredentialRevoked, AccountDisabled) as refusal:
        await throttle.failed(keys)
        return _form(request, refusal.message, status_of(refusal.code))
    await throttle.succeeded(keys)
    extra = dict(who.extra)
    if "account" in extra:  # a staff account: its session is kept server-side too
        agent = request.headers.get("user-agent", "")
        extra["sid"] = await request.app.state.staff_sessions.start(
            extra["account"], who.role, address, agent
        )
    security.sign_in(request, who.role, who.subject, who.round_key, **extra)
    if scanned:
        return templates.TemplateResponse(request, "home/signed_in.html", {"landing": who.landing})
    return RedirectResponse(who.landing, status_code=303)


def _form(
    request: Request, message: str = "", status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    who = security.principal(request)
    landing = LANDING.get(who.role) if who else None
    return templates.TemplateResponse(
        request,
        "home/login.html",
        {"message": message, "landing": landing},
        status_code=status,
        headers=headers,
    )


async def logout(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=5, max_part_size=1024) as form:
        security.check_csrf(request, str(form.get("csrf") or ""))
    if sid := request.session.get("sid"):
        await request.app.state.staff_sessions.end(str(sid), f"staff:{request.session.get('account')}")
    security.sign_out(request)
    return RedirectResponse("/", status_code=303)


routes = [
    Route("/", index, methods=["GET"]),
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login_submit, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
