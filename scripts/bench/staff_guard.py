"""What the staff-session check costs a tablet's request: the cookie-session middleware alone, then with
``StaffSessionGuard`` behind it, each driven directly over ASGI (no network, no server) by a representative's
signed cookie, as ``POST /api/ballots`` carries it; and a staff session answered from the guard's cache.

    python -m scripts.bench.staff_guard [--requests 50000]

The guard reads nothing from the database for a session without an account (a representative's): the
difference is the cost of one more middleware and one dictionary look-up per request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from base64 import b64encode
from types import SimpleNamespace
from typing import Any

from itsdangerous import TimestampSigner

from web.platform.sessions import CookieSessions
from web.platform.staff_sessions import Known, StaffSessionGuard, StaffSessions

SECRET = "bench-secret-bench-secret"


async def endpoint(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def cookie(session: dict[str, Any]) -> bytes:
    data = TimestampSigner(SECRET).sign(b64encode(json.dumps(session).encode()))
    return b"sanmin=" + data


async def drive(app: Any, header: bytes, requests: int, state: Any) -> float:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/ballots",
        "headers": [(b"cookie", header)],
        "app": SimpleNamespace(state=state),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        return None

    started = time.perf_counter()
    for _ in range(requests):
        await app(dict(scope), receive, send)
    return (time.perf_counter() - started) / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50_000)
    args = parser.parse_args()
    sessions = StaffSessions(reads=None)  # type: ignore[arg-type]
    sessions.known["s"] = Known(True, time.monotonic() + 1e9, time.monotonic() + 1e9)  # a cached live session
    state = SimpleNamespace(staff_sessions=sessions)
    plain = CookieSessions(endpoint, secret_key=SECRET, session_cookie="sanmin")
    guarded = CookieSessions(StaffSessionGuard(endpoint), secret_key=SECRET, session_cookie="sanmin")
    rep = cookie({"role": "representative", "subject": "x", "round": "r", "csrf": "t", "serial": 1})
    staff = cookie(
        {"role": "organiser", "subject": "a", "round": "r", "csrf": "t", "account": "a", "sid": "s"}
    )

    async def run() -> None:
        for label, app, header in (
            ("cookie sessions only, a representative", plain, rep),
            ("+ StaffSessionGuard, a representative", guarded, rep),
            ("+ StaffSessionGuard, staff (cached)", guarded, staff),
        ):
            await drive(app, header, 2000, state)  # warm the verified-cookie cache
            best = min([await drive(app, header, args.requests, state) for _ in range(5)])
            print(f"{label:45s} {best:7.2f} µs per request (best of 5 × {args.requests})")

    asyncio.run(run())


if __name__ == "__main__":
    main()
