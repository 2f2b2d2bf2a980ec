"""Fan-out benchmark: 5,000 projector viewers on one server process (or 20,000 on two, from the standby).

    python -m scripts.bench.fanout [--viewers 5000] [--changes 5] [--runs 3] [--workers 1] [--standby]

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

With ``--workers N`` the platform runs N web processes (uvicorn's workers, as ``sanmin run --workers N``) and
the baseline gets one process's share of the viewers (its broadcast reaches one process only). With
``--standby`` the public read path is a hot standby (``DATABASE_REPLICA_URL``, or a local one of the embedded
primary): the run also reports the transactions the standby served meanwhile (its own pg_stat_database) and
its replay lag sampled by scripts/bench/replay_lag.py. Target at 20,000 viewers on two processes: one
change reaches all within 2 s, replay lag p99 ≤ 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time
import uuid
from dataclasses import replace

import asyncpg
import httpx

from demo.loader import ORGANISER, load_demo
from evaluation.representative import representative_id
from scripts.bench import replay_lag, servers
from scripts.bench.loadgen import dumps, median_of, percentile
from scripts.bench.scaleout import raise_open_files
from scripts.bench.viewer_crowd import gather_crowds
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
                data = await reader.read(65536)
                if not data:  # refused (e.g. 503: a process's stream cap) and closed: never spin on EOF
                    raise ConnectionError("the stream ended before its first snapshot")
                tail = self._scan(tail + data)
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


async def delays_of(
    viewers: list[Viewer], since: float, position: int, timeout: float = 30.0
) -> list[float | None]:
    """Seconds from ``since`` until each viewer held ``position`` (None: never within ``timeout``)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and any(v.reached(position) is None for v in viewers):
        await asyncio.sleep(0.02)
    return [None if (at := v.reached(position)) is None else at - since for v in viewers]


def summarise(all_delays: list[float | None]) -> dict[str, float]:
    """Median, p99 and all-viewers time; how many never held the position."""
    delays = [d for d in all_delays if d is not None]
    return {
        "median_s": statistics.median(delays) if delays else float("nan"),
        "p99_s": percentile(delays, 99),
        "all_s": max(delays) if len(delays) == len(all_delays) else float("inf"),
        "missed": len(all_delays) - len(delays),
    }


async def spread(
    viewers: list[Viewer], since: float, position: int, timeout: float = 30.0
) -> dict[str, float]:
    return summarise(await delays_of(viewers, since, position, timeout))


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


STANDBY_TRANSACTIONS = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"


async def standby_transactions(settings: Settings) -> int:
    """Transactions the standby has served so far (0 without one)."""
    if not settings.replica_url:
        return 0
    conn = await asyncpg.connect(settings.replica_url)
    try:
        return int(await conn.fetchval(STANDBY_TRANSACTIONS))
    finally:
        await conn.close()


async def platform(
    settings: Settings, count: int, changes: int, workers: int = 1
) -> tuple[list[dict[str, float]], dict[str, object]]:
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
    with servers.projection(settings), servers.uvicorn("web.main:app", settings, port, workers) as web:
        crowds = await gather_crowds(port, f"/projector/{key}/events", count)
        figures = []
        served = await standby_transactions(settings)
        probe = (
            replay_lag.start(settings.database_url, settings.replica_url, changes * 1.5)
            if settings.replica_url
            else None
        )
        for n in range(changes):
            receipt = await asyncio.to_thread(
                app.cast_ballot, voters[n], department, f"fanout{n:08d}", "satisfied"
            )
            since = time.perf_counter()
            reached = await asyncio.gather(*(crowd.delays(since, receipt.position) for crowd in crowds))
            figures.append(summarise([d for part in reached for d in part]))
            await asyncio.sleep(0.5)
        extra: dict[str, object] = {
            "server_peak_rss_mb": servers.peak_rss_mb(web.pid),
            "standby_transactions": await standby_transactions(settings) - served,
            "replay_lag": replay_lag.result(probe) if probe is not None else None,
        }
        for crowd in crowds:
            crowd.close()
    app.close()
    return figures, extra


def worst(figures: list[dict[str, float]]) -> float:
    return max(f["all_s"] for f in figures)


async def one_run(base: Settings, count: int, changes: int, workers: int = 1) -> dict[str, float]:
    settings = replace(base, schema=f"bench_{uuid.uuid4().hex[:8]}", embedded=None)
    trivial = await baseline(settings, count // workers, changes)
    measured, extra = await platform(settings, count, changes, workers)
    print(dumps({"baseline": trivial, "platform": measured, **extra}), flush=True)
    rss = float(str(extra["server_peak_rss_mb"]))
    lag = extra["replay_lag"] if isinstance(extra["replay_lag"], dict) else {}
    median_all = statistics.median(f["all_s"] for f in measured)
    median_base = statistics.median(f["all_s"] for f in trivial)
    return {
        "baseline_all_viewers_s": median_base,
        "platform_all_viewers_s": median_all,
        "platform_worst_change_s": worst(measured),
        "ratio_to_baseline": median_all / median_base,
        "missed": sum(f["missed"] for f in measured),
        "server_peak_rss_mb": rss,
        "standby_transactions": float(str(extra["standby_transactions"])),
        "replay_lag_p99_ms": float(lag.get("p99_ms", float("nan"))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="fan-out benchmark: one change to many projector viewers")
    parser.add_argument("--viewers", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=5, help="result changes measured per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="web processes of the platform")
    parser.add_argument("--standby", action="store_true", help="the public read path from a hot standby")
    args = parser.parse_args()
    raise_open_files()  # the servers started from here inherit it
    base = Settings.from_environment()
    if args.standby:
        base = servers.standby_of(base)
    runs = [asyncio.run(one_run(base, args.viewers, args.changes, args.workers)) for _ in range(args.runs)]
    print("medians:", dumps(median_of(runs)))


if __name__ == "__main__":
    main()
