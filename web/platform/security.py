"""访问控制 — who is signed in, what role they have, CSRF tokens, and security headers.

A session (signed, HttpOnly, SameSite=strict cookie) holds ``role``, ``subject`` and ``round``:
- ``representative``: subject = representative id (str); ``serial``, the card it signed in with; ``sid``, the
  server-side session (web/platform/representative_sessions.py) that hand-back, 补卡, the sitting's end or the
  desk ends
- ``department``: subject = department key
- ``organiser``: subject = "organiser"
- ``administrator``: subject = "administrator", round = "" (the platform's, not a round's); the session
  also holds the ``serial`` of the code it signed in with (a newer code ends it, web/platform/forms.py)
- staff with a personal account (evaluation/staff.py): ``role`` is the account's role (``organiser``,
  ``checkin``, ``results_officer``, ``auditor``, ``department``, ``administrator``), ``subject`` the account
  id for staff roles (the department key for department staff), ``account`` the account id, ``name``, ``venue``
  (check-in staff), ``serial`` (the account's code) and ``sid``, the server-side session
  (web/platform/staff_sessions.py) that an administrator or the person can end.
The projector and the receipt check are public and need no session.

An auditor (监督员) passes wherever the organiser may *read*: ``require(request, ORGANISER)`` lets an auditor
of the round through on GET and HEAD, never on a change. docs/security.md has the whole roles table.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evaluation.errors import CredentialRevoked, EvaluationError

ADMINISTRATOR = "administrator"
ORGANISER = "organiser"
DEPARTMENT = "department"
CHECKIN = "checkin"
RESULTS_OFFICER = "results_officer"
AUDITOR = "auditor"
ONLINE = "online"
"""网络评议者: a citizen signed in by an invitation link or a verified phone; subject = the online identity
(``inv:<keyed hash>`` or ``tel:<keyed hash>``, evaluation/online_voters.py), round = the round."""
ROLES = ("representative", DEPARTMENT, ORGANISER, ADMINISTRATOR, CHECKIN, RESULTS_OFFICER, AUDITOR, ONLINE)
READING = ("GET", "HEAD")
READ_ONLY = frozenset({AUDITOR})
"""The roles that change nothing: where the organiser reads, they read too (GET and HEAD), never more."""

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class NotSignedIn(EvaluationError):
    code, template = "not_signed_in", "请先登录"


class Forbidden(EvaluationError):
    code, template = "forbidden", "您没有权限进行此操作"


class CsrfFailed(EvaluationError):
    code, template = "csrf_failed", "页面已过期，请刷新后重试"


@dataclass(frozen=True)
class Principal:
    role: str
    subject: str
    round_key: str
    account: str = ""
    """The staff account's id ("" for a representative, a department's or a round's shared code)."""
    name: str = ""
    venue: str = ""
    """签到员's venue."""


def session_key(secret: bytes) -> str:
    return hmac.new(secret, b"session-cookie", hashlib.sha256).hexdigest()


def sign_in(request: Request, role: str, subject: str, round_key: str, **extra: str | int) -> None:
    """A fresh session (a new CSRF token too: nothing of the anonymous session carries over)."""
    request.session.clear()
    request.session.update(
        {"role": role, "subject": subject, "round": round_key, "csrf": secrets.token_urlsafe(24), **extra}
    )


def sign_out(request: Request) -> None:
    request.session.clear()


def end_if_replaced(request: Request, serial_in_views: int, revoked: bool = False) -> None:
    """Ends the session (``CredentialRevoked``) when its card or code was revoked, or when the views show
    a credential newer than the one it signed in with — or it carries none (opened before sessions did).

    Newer, not merely different: the session's serial comes from the domain at sign-in, so a view still
    behind a reissue made a moment before must not end the session that sign-in just opened."""
    serial = request.session.get("serial")
    if revoked or not isinstance(serial, int) or serial_in_views > serial:
        sign_out(request)
        raise CredentialRevoked()


def session_serial(request: Request) -> int:
    """The credential serial the session was opened with, for the domain to compare with the current
    one; a session without one is ended."""
    serial = request.session.get("serial")
    if not isinstance(serial, int) or isinstance(serial, bool):
        sign_out(request)
        raise CredentialRevoked()
    return serial


def principal(conn: HTTPConnection) -> Principal | None:
    s = conn.session
    if s.get("role") in ROLES and s.get("subject") and (s.get("round") or s["role"] == ADMINISTRATOR):
        account, name, venue = (str(s.get(k) or "") for k in ("account", "name", "venue"))
        return Principal(s["role"], s["subject"], s.get("round") or "", account, name, venue)
    return None


def require(conn: HTTPConnection, *roles: str) -> Principal:
    """The signed-in principal if it has one of ``roles``; refuses otherwise."""
    who = principal(conn)
    if who is None:
        raise NotSignedIn()
    if admits(who, roles, str(conn.scope.get("method") or "GET")):
        return who
    raise Forbidden(ROLE_REFUSALS.get(who.role, ""))


def admits(who: Principal | None, roles: tuple[str, ...], method: str = "GET") -> bool:
    """The access rule itself: whether ``require(…, *roles)`` lets ``who`` through on ``method`` (the
    organiser console's menu asks it for each page, so it links exactly the pages its viewer may open)."""
    if who is None:
        return False
    return who.role in roles or (who.role in READ_ONLY and ORGANISER in roles and method in READING)


def writes(who: Principal | None) -> bool:
    """Whether this person may change anything at all: every page's forms and buttons are shown only then
    (a 监督员 sees the pages without them; every change it sent would be refused)."""
    return who is not None and who.role not in READ_ONLY


ROLE_REFUSALS = {
    CHECKIN: "签到员只能查找代表、签到和补卡",
    RESULTS_OFFICER: "计票员只能查看结果、锁定和发布",
    AUDITOR: "监督员只能查看，不能修改",
}
"""The plain word added to a refusal, for the staff whose role does not reach the page."""


def csrf_token(conn: HTTPConnection) -> str:
    token = conn.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        conn.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, submitted: str | None) -> None:
    """Every state-changing request carries the session's token, in the form or the X-CSRF-Token header."""
    expected = request.session.get("csrf")
    given = submitted or request.headers.get("x-csrf-token")
    if not expected or not given or not hmac.compare_digest(str(expected), str(given)):
        raise CsrfFailed()


SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
NO_STORE = (b"cache-control", b"no-store")
HSTS = (b"strict-transport-security", b"max-age=31536000")


class SecurityHeaders:
    """Pure ASGI middleware (streams, such as server-sent events, pass through untouched).

    Adds each header the response does not set itself, as raw header pairs (it runs on every ballot)."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        """``hsts``: served over HTTPS, so browsers are told to come back only that way."""
        self.app = app
        self.static = [*SECURITY_HEADERS, *([HSTS] if hsts else [])]
        self.pages = [*self.static, NO_STORE]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = self.static if scope["path"].startswith("/static/") else self.pages

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {bytes(name).lower() for name, _ in headers}
                headers.extend(pair for pair in wanted if pair[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
