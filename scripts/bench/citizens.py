"""网民 — what the scale benchmark's invited citizens do: open the link of their invitation SMS as a phone
does, and keep the session's cookie and CSRF token for their online ballots (web/public/online.py).

The link is ``/online/{round}#code=…``; a browser never sends the fragment, and the page's script
(web/public/static/online.js) puts the code in the page's invitation form and submits it. Here: GET the page
(its form's CSRF token), POST the form with the fragment's code, GET the page again, signed in (its
``csrf-token`` meta is what online.js sends as ``X-CSRF-Token``).

Each citizen has an address of its own, sent as ``X-Forwarded-For`` as the production front sends the
client's (uvicorn trusts it from 127.0.0.1, docs/operations.md): thousands of phones do not come from one
address, and the per-address sign-in cap (60 at once, then 60 a minute, web/public/online_pace.py) would
otherwise hold 5,000 sign-ins for 80 minutes.
"""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlsplit

import httpx

from scripts.bench.loadgen import PLAIN_HTTP
from web.platform.online_invitations import invitation_link

FORM_TOKEN = re.compile(r'name="csrf" value="([^"]+)"')
PAGE_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def address(i: int) -> str:
    """Citizen ``i``'s own address (10.0.0.1, 10.0.0.2, …)."""
    n = i + 1
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


async def sign_in(port: int, round_key: str, codes: list[str]) -> list[dict[str, str]]:
    """Each citizen's request headers once signed in by its invitation link: cookie, CSRF token, address."""
    sessions: list[dict[str, str]] = [{} for _ in codes]
    limit = asyncio.Semaphore(32)
    base = f"http://127.0.0.1:{port}"

    async def one(i: int, code: str) -> None:
        link = urlsplit(invitation_link(base, round_key, code))
        own = {"X-Forwarded-For": address(i)}
        # a long timeout: a loaded machine can take seconds to answer while the projection catches up
        async with (
            limit,
            httpx.AsyncClient(base_url=base, headers=own, timeout=60, verify=PLAIN_HTTP) as client,
        ):
            page = await client.get(link.path)
            token = FORM_TOKEN.search(page.text)
            if not token or 'id="invitation"' not in page.text:
                raise RuntimeError(f"the online page gave no invitation form: {page.status_code}")
            form = {"code": link.fragment.removeprefix("code="), "csrf": token.group(1)}
            await client.post(f"{link.path}/invitation", data=form)
            page = await client.get(link.path)
            signed = PAGE_TOKEN.search(page.text)
            if 'data-signed-in="yes"' not in page.text or not signed:
                raise RuntimeError(f"citizen {i} did not sign in: {page.status_code}")
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            sessions[i] = {"Cookie": cookie, "X-CSRF-Token": signed.group(1), **own}

    await asyncio.gather(*(one(i, c) for i, c in enumerate(codes)))
    return sessions
