"""会话 — Starlette's signed-cookie sessions, with each cookie's signature checked once, not on every request.

A tablet sends the same cookie with each of its ballots. Starlette's ``SessionMiddleware`` parses the
Cookie header and checks the cookie's HMAC signature (itsdangerous) every time: at 2,000 tablets the largest
part of the web process's time outside uvicorn and the handler. This one keeps the last few thousand Cookie
headers it has verified, with their payload and the time they were signed, so a repeated header costs one
dictionary look-up; the age is still checked on every request against ``max_age``.

Everything else is Starlette's: the cookie format and its attributes, the ``Session`` object handlers see,
when a ``Set-Cookie`` or ``Vary: Cookie`` is sent. A cookie either verifies or it does not, so caching the
answer for the exact header bytes cannot let through anything the signature check would refuse.
"""

from __future__ import annotations

import json
import time
from base64 import b64decode, b64encode
from functools import lru_cache

import orjson
from itsdangerous import BadSignature
from starlette.middleware.sessions import Session, SessionMiddleware
from starlette.requests import cookie_parser
from starlette.types import Message, Receive, Scope, Send

REMEMBERED = 8192
"""Cookie headers whose verification is kept (a sitting's tablets, several times over)."""

Verified = tuple[bytes, float]
"""A cookie's payload (JSON) and when it was signed (seconds since the epoch)."""


class CookieSessions(SessionMiddleware):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.verified = lru_cache(maxsize=REMEMBERED)(self._verify)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        header = b"; ".join(value for name, value in scope["headers"] if name == b"cookie")
        found = self.verified(header) if header else None
        payload = found[0] if found is not None and self._fresh(found[1]) else None
        signed_in = payload is not None
        scope["session"] = Session(orjson.loads(payload)) if payload is not None else Session()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                session: Session = scope["session"]
                headers = list(message.get("headers", ()))
                if session.accessed:
                    vary_on_cookie(headers)
                if session.modified and (session or signed_in):
                    headers.append((b"set-cookie", self._set_cookie(session).encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _set_cookie(self, session: Session) -> str:
        """Starlette's: the signed session, or (a session cleared) an expired empty cookie."""
        if session:
            data = self.signer.sign(b64encode(json.dumps(session).encode("utf-8"))).decode("utf-8")
            lifetime = f"Max-Age={self.max_age}; " if self.max_age is not None else ""
        else:
            data, lifetime = "null", "expires=Thu, 01 Jan 1970 00:00:00 GMT; "
        return f"{self.session_cookie}={data}; path={self.path}; {lifetime}{self.security_flags}"

    def _verify(self, header: bytes) -> Verified | None:
        """The payload and signing time of the session cookie in ``header``; None if absent or forged."""
        value = cookie_parser(header.decode("latin-1")).get(self.session_cookie)
        if value is None:
            return None
        try:
            payload, signed = self.signer.unsign(value.encode("utf-8"), return_timestamp=True)
            return b64decode(payload), signed.timestamp()
        except (BadSignature, ValueError):  # ValueError: not base64
            return None

    def _fresh(self, signed: float) -> bool:
        """itsdangerous's ``max_age`` check: not older than ``max_age``, not signed in the future."""
        age = int(time.time()) - int(signed)
        return self.max_age is None or 0 <= age <= self.max_age


def vary_on_cookie(headers: list[tuple[bytes, bytes]]) -> None:
    """Starlette's ``add_vary_header("Cookie")`` on the raw header pairs (it runs on every ballot): the
    response's ``Vary`` values and ``Cookie`` in one header, or ``Vary: Cookie`` if it had none."""
    values = [value for name, value in headers if name.lower() == b"vary"]
    if values:
        headers[:] = [(name, value) for name, value in headers if name.lower() != b"vary"]
        headers.append((b"vary", b", ".join([*values, b"Cookie"])))
    else:
        headers.append((b"vary", b"Cookie"))
