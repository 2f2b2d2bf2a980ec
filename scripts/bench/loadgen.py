"""A small HTTP/1.1 load generator on raw asyncio streams: many keep-alive connections, one request at a time
each, latency per request. Fast enough to load a Python server from the same 2-core machine; every figure
is compared with a baseline measured by the same generator in the same run.

It shares the machine with what it measures, so it is kept lean (run it under uvloop, as the server is)
and reports its own CPU per request: each response's head is read with one await, not one per header line
(the platform's answers carry a dozen security headers the trivial endpoint's do not).

Its cycle collector is paused while it measures (``collector_paused``): the generator stands for 2,000
separate tablets, and its own collections (full ones of 100-280 ms over its connections and latency
lists, measured with ``gc.callbacks`` during a 1,385/s open loop) held every tablet's next request at once,
which the open loop counted as the server's latency.
"""

from __future__ import annotations

import asyncio
import gc
import json
import ssl
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Body = Callable[[int, int], tuple[str, str, bytes]]

PLAIN_HTTP = ssl.create_default_context()
"""Given (``verify=``) to every httpx client of the local server that signs a tablet or a citizen in: they
speak plain HTTP, so it is never used, but a client not given one loads the CA bundle into a new SSL context,
~30 ms of CPU each (200 tablets spent 6 s on it, 5,000 citizens minutes)."""
"""(client index, request number) -> (method, path, body)."""


@dataclass
class Figures:
    ok: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    clients: int = 1
    cpu_seconds: float = 0.0
    """CPU the load generator's own process used meanwhile (everything it runs, not only this load)."""

    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.rate():.0f} req/s ok={self.ok} errors={self.errors} "
            f"p50={self.percentile(50):.1f}ms p95={self.percentile(95):.1f}ms p99={self.percentile(99):.1f}ms"
        )

    def as_dict(self) -> dict[str, float]:
        return {
            "rate": self.rate(),
            "ok": self.ok,
            "errors": self.errors,
            "p50_ms": self.percentile(50),
            "p95_ms": self.percentile(95),
            "p99_ms": self.percentile(99),
            "generator_cpu_us_per_request": self.cpu_seconds / max(1, self.ok + self.errors) * 1e6,
        }


async def _client(
    host: str,
    port: int,
    index: int,
    requests: int,
    body: Body,
    headers: dict[str, str],
    figures: Figures,
    start: asyncio.Event,
    on_response: Callable[[int, bytes], None] | None,
    interval: float = 0.0,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    fixed = f"Host: {host}\r\n{extra}Content-Type: application/json\r\nContent-Length: "
    # every request built before the clock starts, as a tablet has its ballot ready before it sends it
    prepared = [_request(*body(index, n), fixed) for n in range(requests)]
    await start.wait()
    try:
        origin = time.perf_counter() + (index * interval / max(1, figures.clients) if interval else 0)
        for n in range(requests):
            if interval:  # open loop: each request has its scheduled time, latency counts from it
                scheduled = origin + n * interval
                await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
            began = scheduled if interval else time.perf_counter()
            writer.write(prepared[n])
            status, data = await _response(reader)
            figures.latencies.append(time.perf_counter() - began)
            figures.statuses[status] = figures.statuses.get(status, 0) + 1
            if 200 <= status < 300:
                figures.ok += 1
                if on_response:
                    on_response(index, data)
            else:
                figures.errors += 1
    except (ConnectionError, asyncio.IncompleteReadError):
        figures.errors += 1
    finally:
        writer.close()


def _request(method: str, path: str, payload: bytes, fixed: str) -> bytes:
    return f"{method} {path} HTTP/1.1\r\n{fixed}{len(payload)}\r\n\r\n".encode() + payload


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """One response: its head read at once (one await, not one per header line), then its body."""
    head = (await reader.readuntil(b"\r\n\r\n")).lower()
    status = int(head[9:12])
    if (at := head.find(b"\r\ncontent-length:")) >= 0:
        return status, await reader.readexactly(int(head[at + 17 : head.index(b"\r\n", at + 2)]))
    if b"\r\ntransfer-encoding: chunked" not in head:
        if status in (204, 304):
            return status, b""
        raise ConnectionError("a response with neither a length nor chunks: its end cannot be found")
    data = b""
    while (size := int((await reader.readline()).strip(), 16)) > 0:
        data += await reader.readexactly(size)
        await reader.readline()
    await reader.readline()
    return status, data


async def load(
    host: str,
    port: int,
    clients: int,
    requests: int,
    body: Body,
    headers: Callable[[int], dict[str, str]] = lambda i: {},
    on_response: Callable[[int, bytes], None] | None = None,
    rate: float = 0.0,
) -> Figures:
    """``clients`` connections, each sending ``requests`` requests.

    With ``rate`` 0 each client sends as fast as answers come back (closed loop: the maximum rate).
    With a ``rate`` (requests/s over all clients), requests are sent on a schedule and latency counts from
    the scheduled time (open loop, no coordinated omission): the latency at that offered load.
    """
    figures = Figures(clients=clients)
    start = asyncio.Event()
    interval = clients / rate if rate else 0.0
    tasks = [
        asyncio.create_task(
            _client(host, port, i, requests, body, headers(i), figures, start, on_response, interval)
        )
        for i in range(clients)
    ]
    await asyncio.sleep(0.5)  # let every connection open before the clock starts
    with collector_paused():
        began, cpu = time.perf_counter(), time.process_time()
        start.set()
        await asyncio.gather(*tasks)
        figures.seconds = time.perf_counter() - began
        figures.cpu_seconds = time.process_time() - cpu
    return figures


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection in this process meanwhile (one full collection first, before any clock starts).

    Memory without cycles is still freed at once by reference counting; the few cycles made meanwhile
    (a failed connection's traceback) wait for the collector's next run, after the measurement.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
