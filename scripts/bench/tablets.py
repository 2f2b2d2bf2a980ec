"""平板 — what the ingestion benchmark's tablets do: sign in, cast ballots, and watch the projector for them.

Shared with the crash harness (``scripts.bench.faults``), which signs its tablets in the same way.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time

import httpx
import orjson

from scripts.bench.loadgen import PLAIN_HTTP, Body, load, percentile

CHOICES = ["satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied", "unknown"]


async def exchange(client: httpx.AsyncClient, code: str) -> httpx.Response:
    """What the card's QR code does: the sign-in page's form (its CSRF token) POSTs the code."""
    form = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    if not token:
        raise RuntimeError(f"the sign-in page gave no form: {form.status_code}")
    return await client.post("/login", data={"code": code, "csrf": token.group(1)})


async def sign_in(port: int, codes: list[str]) -> list[dict[str, str]]:
    """Each tablet's cookie and CSRF token, as the tablet page gets them."""
    sessions: list[dict[str, str]] = [{} for _ in codes]
    limit = asyncio.Semaphore(32)
    base = f"http://127.0.0.1:{port}"

    async def one(i: int, code: str) -> None:
        # a long timeout: a loaded machine can take seconds to accept while the projection catches up
        async with limit, httpx.AsyncClient(base_url=base, timeout=60, verify=PLAIN_HTTP) as client:
            await exchange(client, code)
            page = await client.get("/r")
            token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
            if not token:
                raise RuntimeError(f"tablet {i} did not sign in: {page.status_code}")
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            sessions[i] = {"Cookie": cookie, "X-CSRF-Token": token.group(1)}

    await asyncio.gather(*(one(i, c) for i, c in enumerate(codes)))
    return sessions


def ballots(departments: list[str], run: str, path: str = "/api/ballots") -> Body:
    """Tablet ``i``'s ``n``-th ballot: the departments in turn (a second round over them amends), the JSON
    the tablet's outbox sends; ``path``: where it goes (an online citizen's: ``/api/online/{round}/ballots``)."""
    rng = random.Random(run)

    def body(i: int, n: int) -> tuple[str, str, bytes]:
        choice = rng.choice(CHOICES)
        data = {
            "department": departments[n % len(departments)],
            "client_id": f"{run}x{i:06d}x{n:04d}",
            "choice": choice,
            "comment": "对该部门工作不太了解" if choice == "unknown" else "",
        }
        return "POST", path, json.dumps(data).encode()

    return body


class Freshness:
    """Listens to the projector's stream; pairs each acknowledged position with the first snapshot at or past it."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, int]] = []
        self.acked: list[tuple[float, int]] = []

    def on_ballot(self, _i: int, data: bytes) -> None:
        self.acked.append((time.perf_counter(), int(orjson.loads(data).get("position", 0))))

    async def listen(self, port: int, round_key: str, stop: asyncio.Event) -> None:
        async with (
            httpx.AsyncClient(timeout=None) as client,
            client.stream("GET", f"http://127.0.0.1:{port}/projector/{round_key}/events") as stream,
        ):
            async for line in stream.aiter_lines():
                if line.startswith("data: "):
                    position = int(json.loads(line[6:]).get("position", 0))
                    self.seen.append((time.perf_counter(), position))
                if stop.is_set():
                    return

    def delays_ms(self) -> list[float]:
        delays = []
        for at, position in self.acked:
            later = next((t for t, p in self.seen if p >= position and t >= at - 1.0), None)
            if later is not None:
                delays.append(max(0.0, later - at) * 1000)
        return delays


async def open_phase(
    port: int,
    key: str,
    sessions: list[dict[str, str]],
    departments: list[str],
    rate: float,
    run: str,
    seconds: float,
    body: Body | None = None,
) -> dict[str, object]:
    """Ballots offered at ``rate``/s for ``seconds``, latency counted from each one's scheduled
    time, while a projector's stream records when each acknowledged position shows up (freshness).
    ``body``: each client's requests (default: the tablets' ballots over ``departments``)."""
    fresh = Freshness()
    stop = asyncio.Event()
    listener = asyncio.create_task(fresh.listen(port, key, stop))
    await asyncio.sleep(1.0)
    opened = await load(
        "127.0.0.1",
        port,
        len(sessions),
        max(3, round(seconds * rate / len(sessions))),
        body or ballots(departments, run),
        headers=lambda i: sessions[i],
        on_response=fresh.on_ballot,
        rate=rate,
    )
    await asyncio.sleep(2.0)
    stop.set()
    listener.cancel()
    delays = fresh.delays_ms()
    return {
        **opened.as_dict(),
        "offered_rate": rate,
        "statuses": opened.statuses,
        "freshness_p50_ms": percentile(delays, 50),
        "freshness_p99_ms": percentile(delays, 99),
        "freshness_samples": len(delays),
    }
