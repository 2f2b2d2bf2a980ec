"""Fan-out benchmark: 5,000 projector viewers on one server process.

    python -m scripts.bench.fanout [--viewers 5000] [--changes 5] [--runs 3]

Per run, on this machine and in this order:
  1. baseline: the same viewers on a trivial Starlette server-sent-event broadcast under uvicorn
     (scripts/bench/trivial_app.py); per change, the time from the broadcast request to the last viewer's
     frame — what one Python process needs to write one frame to that many sockets;
  2. the platform: uvicorn web.main:app (one process) + the projection process; every viewer on
     ``/projector/{round}/events``; per change, one ballot cast through the commands, and the time from its
     commit to the moment the last viewer holds a snapshot at or past the ballot's position (the path:
     projection batch → NOTIFY → LISTEN → one feed rebuild → every stream).
Prints each change's median / p99 / all-viewers time, each run's worst, and the medians over runs with the
ratio platform / baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import resource
import statistics
import time
import uuid

import httpx

from demo.loader import ORGANISER, load_demo
from evaluation.representative import representative_id
from scripts.bench import servers
from scripts.bench.loadgen import dumps, median_of, percentile
from storage.bootstrap import build_app
from storage.settings import Settings

POSITION = re.compile(rb'"position":(\d+)')


class Viewer:
    """One server-sent-event stream read on a raw socket: when each snapshot position first arrived."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, int]] = []
        self.first = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def run(self, port: int, path: str, connecting: asyncio.Semaphore) -> None:
        async with connecting:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode())
            tail = b""
            while not self.first.is_set():
                tail = self._scan(tail + await reader.read(65536))
        try:
            while data := await reader.read(65536):
                tail = self._scan(tail + data)
        finally:
            writer.close()

    def _scan(self, data: bytes) -> bytes:
        positions = [int(p) for p in POSITION.findall(data)]
        if positions:
            self.arrivals.append((time.perf_counter(), max(positions)))
            self.first.set()
        return data[-32:]

    def reached(self, position: int) -> float | None:
        return next((at for at, p in self.arrivals if p >= position), None)


async def watch(port: int, path: str, count: int) -> list[Viewer]:
    """``count`` viewers, each connected and holding its first snapshot."""
    viewers = [Viewer() for _ in range(count)]
    connecting = asyncio.Semaphore(200)
    for viewer in viewers:
        viewer.task = asyncio.create_task(viewer.run(port, path, connecting))
    await asyncio.wait_for(asyncio.gather(*(v.first.wait() for v in viewers)), timeout=300)
    return viewers


async def spread(
    viewers: list[Viewer], since: float, position: int, timeout: float = 30.0
) -> dict[str, float]:
    """Seconds from ``since`` until each viewer held ``position``: median, p99, all; and how many never did."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and any(v.reached(position) is None for v in viewers):
        await asyncio.sleep(0.02)
    delays = [at - since for v in viewers if (at := v.reached(position)) is not None]
    return {
        "median_s": statistics.median(delays) if delays else float("nan"),
        "p99_s": percentile(delays, 99),
        "all_s": max(delays) if len(delays) == len(viewers) else float("inf"),
        "missed": len(viewers) - len(delays),
    }


def close(viewers: list[Viewer]) -> None:
    for viewer in viewers:
        if viewer.task is not None:
            viewer.task.cancel()


async def baseline(settings: Settings, count: int, changes: int) -> list[dict[str, float]]:
    port = servers.free_port()
    with servers.uvicorn("scripts.bench.trivial_app:app", settings, port):
        viewers = await watch(port, "/events", count)
        figures = []
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for n in range(1, changes + 1):
                since = time.perf_counter()
                await client.post("/api/broadcast", content=str(n))
                figures.append(await spread(viewers, since, n))
                await asyncio.sleep(0.5)
        close(viewers)
        return figures


async def platform(settings: Settings, count: int, changes: int) -> tuple[list[dict[str, float]], float]:
    app = build_app(settings)
    key = "fanout"
    plan = load_demo(app, key, representatives=600, progress=lambda _m: None).plan
    sitting = plan.sittings[0]
    department = sitting.agenda[0]
    app.open_window(key, department, by=ORGANISER)
    voters = [
        representative_id(key, n + 1) for n, r in enumerate(plan.representatives) if r.sitting == sitting.key
    ]
    port = servers.free_port()
    with servers.projection(settings), servers.uvicorn("web.main:app", settings, port) as web:
        viewers = await watch(port, f"/projector/{key}/events", count)
        figures = []
        for n in range(changes):
            receipt = await asyncio.to_thread(
                app.cast_ballot, voters[n], department, f"fanout{n:08d}", "satisfied"
            )
            figures.append(await spread(viewers, time.perf_counter(), receipt.position))
            await asyncio.sleep(0.5)
        rss = servers.peak_rss_mb(web.pid)
        close(viewers)
    app.close()
    return figures, rss


def worst(figures: list[dict[str, float]]) -> float:
    return max(f["all_s"] for f in figures)


async def one_run(base: Settings, count: int, changes: int) -> dict[str, float]:
    settings = Settings(base.database_url, base.data_dir, base.secret, schema=f"bench_{uuid.uuid4().hex[:8]}")
    trivial = await baseline(settings, count, changes)
    measured, rss = await platform(settings, count, changes)
    print(dumps({"baseline": trivial, "platform": measured, "server_peak_rss_mb": rss}), flush=True)
    median_all = statistics.median(f["all_s"] for f in measured)
    median_base = statistics.median(f["all_s"] for f in trivial)
    return {
        "baseline_all_viewers_s": median_base,
        "platform_all_viewers_s": median_all,
        "platform_worst_change_s": worst(measured),
        "ratio_to_baseline": median_all / median_base,
        "missed": sum(f["missed"] for f in measured),
        "server_peak_rss_mb": rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="fan-out benchmark: one change to many projector viewers")
    parser.add_argument("--viewers", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=5, help="result changes measured per run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the servers started from here inherit it
    base = Settings.from_environment()
    runs = [asyncio.run(one_run(base, args.viewers, args.changes)) for _ in range(args.runs)]
    print("medians:", dumps(median_of(runs)))


if __name__ == "__main__":
    main()
