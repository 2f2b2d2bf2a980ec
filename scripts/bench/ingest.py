"""Ingestion and freshness benchmark (issue 6 §1-2): the real server under 2,000 logged-in tablets.

    python -m scripts.bench.ingest [--tablets 2000] [--runs 3]

Per run, on this machine and in this order:
  1. the HTTP limit: a trivial Starlette JSON endpoint under uvicorn, closed loop (as fast as answers come);
  2. the database limit: raw asyncpg inserts of rows the size of a ballot event, one commit per row
     (8 connections) and 100 / 1,000 rows per transaction;
  3. the platform: uvicorn web.main:app + the projection process, every tablet signed in, then
     (a) closed loop: every tablet casts its 12 departments' ballots as fast as answers come → ballots/s;
     (b) the trivial endpoint of 1. again, the platform idle meanwhile: the HTTP limit is the mean of
         both measurements. This machine is shared and its speed drifts within a run: in one run the
         trivial endpoint answered 7,125/s and the database baselines after it ran 1.2-1.8 times as
         fast as in the next run, while the platform's closed loop that followed was slower than the
         next run's. One 4-second sample set the target alone; two, bracketing the closed loop, are
         less at the mercy of the moment;
     (c) open loop at 0.3 × the trivial rate (the target): latency p50/p95/p99 counted from each ballot's
         scheduled time, while a projector's event stream records when each acknowledged ballot's position
         shows up (freshness);
     (d) open loop again at 0.8 × the lower of the closed-loop rate and the rate carried in (c): the same
         figures when the platform keeps up.
Prints each run and the medians, with the ratios the issue's targets are stated in. ``target_load`` is the
target rate as a share of the closed-loop rate: at 0.9 and above the ballots queue for the 2 cores, and
the p99 of (c) is set by that queue more than by any one request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import time
import uuid
from dataclasses import dataclass

import asyncpg
import httpx
import orjson
import uvloop

from demo.loader import ORGANISER, load_demo
from evaluation.representative import representative_id
from scripts.bench import servers
from scripts.bench.loadgen import Body, Figures, dumps, load, median_of, percentile
from storage.bootstrap import build_app
from storage.settings import Settings

CHOICES = ["satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied", "unknown"]
BALLOT_SIZE = 620  # bytes of a typical Ballot.Cast event's state
TARGET = 0.3
"""Ballots/s per trivial request/s (issue 6 §1)."""


async def database_limit(settings: Settings) -> dict[str, float]:
    conn = await asyncpg.connect(settings.database_url)
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS bench_rows (id bigserial PRIMARY KEY, state bytea NOT NULL)"
    )
    payload = bytes(BALLOT_SIZE)
    figures: dict[str, float] = {}

    async def one_per_commit(seconds: float = 3.0) -> float:
        pool = await asyncpg.create_pool(settings.database_url, min_size=8, max_size=8)
        count = 0
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal count
            async with pool.acquire() as c:
                while time.perf_counter() < deadline:
                    await c.execute("INSERT INTO bench_rows (state) VALUES ($1)", payload)
                    count += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(8)))
        rate = count / (time.perf_counter() - began)
        await pool.close()
        return rate

    figures["asyncpg_commit_per_row_8conn"] = await one_per_commit()
    for size in (100, 1000):
        began, rows = time.perf_counter(), 0
        while time.perf_counter() - began < 3.0:
            async with conn.transaction():
                await conn.executemany("INSERT INTO bench_rows (state) VALUES ($1)", [(payload,)] * size)
            rows += size
        figures[f"asyncpg_{size}_per_transaction"] = rows / (time.perf_counter() - began)
    await conn.execute("DROP TABLE bench_rows")
    await conn.close()
    return figures


@dataclass(frozen=True)
class Plan:
    tablets: int = 2000
    open_seconds: float = 20.0
    workers: int = 1
    """uvicorn worker processes, the same for the trivial baseline and the platform."""


async def http_limit(settings: Settings, plan: Plan) -> Figures:
    port = servers.free_port()
    body = json.dumps(
        {"department": "fgw", "client_id": "x" * 32, "choice": "satisfied", "comment": ""}
    ).encode()
    with servers.uvicorn("scripts.bench.trivial_app:app", settings, port, plan.workers):
        return await load("127.0.0.1", port, plan.tablets, 12, lambda i, n: ("POST", "/api/echo", body))


async def sign_in(port: int, codes: list[str]) -> list[dict[str, str]]:
    """Each tablet's cookie and CSRF token, as the tablet page gets them."""
    sessions: list[dict[str, str]] = [{} for _ in codes]
    limit = asyncio.Semaphore(32)

    async def one(i: int, code: str) -> None:
        async with limit, httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await client.get(f"/login?code={code}")
            page = await client.get("/r")
            token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
            if not token:
                raise RuntimeError(f"tablet {i} did not sign in: {page.status_code}")
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            sessions[i] = {"Cookie": cookie, "X-CSRF-Token": token.group(1)}

    await asyncio.gather(*(one(i, c) for i, c in enumerate(codes)))
    return sessions


def ballots(departments: list[str], run: str) -> Body:
    """Tablet ``i``'s ``n``-th ballot: the departments in turn (a second round over them amends)."""
    rng = random.Random(run)

    def body(i: int, n: int) -> tuple[str, str, bytes]:
        choice = rng.choice(CHOICES)
        data = {
            "department": departments[n % len(departments)],
            "client_id": f"{run}x{i:06d}x{n:04d}",
            "choice": choice,
            "comment": "对该部门工作不太了解" if choice == "unknown" else "",
        }
        return "POST", "/api/ballots", json.dumps(data).encode()

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


async def platform(
    settings: Settings,
    key: str,
    codes: list[str],
    departments: list[str],
    trivial: Figures,
    run: str,
    plan: Plan,
) -> dict[str, object]:
    """The platform's phases; the target's rate is 0.3 × the mean of ``trivial`` (measured at the run's
    start) and the trivial endpoint measured again after the closed loop, the platform idle meanwhile."""
    port = servers.free_port()
    with (
        servers.projection(settings) as projector,
        servers.uvicorn("web.main:app", settings, port, plan.workers) as web,
    ):
        sessions = await sign_in(port, codes)
        closed = await load(
            "127.0.0.1",
            port,
            len(codes),
            len(departments),
            ballots(departments, run + "c"),
            headers=lambda i: sessions[i],
        )
        again = await http_limit(settings, plan)
        open_rate = TARGET * (trivial.rate() + again.rate()) / 2
        at_target = await open_phase(port, key, sessions, departments, open_rate, run + "o", plan)
        carried = min(closed.rate(), float(str(at_target["rate"])))
        sustained = await open_phase(port, key, sessions, departments, SUSTAINED * carried, run + "s", plan)
        return {
            "trivial_again": again.as_dict(),
            "closed": closed.as_dict(),
            "closed_statuses": closed.statuses,
            "open": at_target,
            "sustained": sustained,
            "server_peak_rss_mb": servers.peak_rss_mb(web.pid),
            "writer_peak_rss_mb": servers.writer_peak_rss_mb(web.pid),
            "projection_peak_rss_mb": servers.peak_rss_mb(projector.pid),
        }


SUSTAINED = 0.8
"""The second open-loop phase offers this share of the lower of the closed-loop rate and the rate carried
in the open loop at the target: latency and freshness when the platform keeps up, beside the phase at the
target's rate (which it may not). Closed, every tablet always has a ballot waiting, so batches are as large
as they get; open, the rate carried can be lower."""


async def open_phase(
    port: int,
    key: str,
    sessions: list[dict[str, str]],
    departments: list[str],
    rate: float,
    run: str,
    plan: Plan,
) -> dict[str, object]:
    """Ballots offered at ``rate``/s for ``plan.open_seconds``, latency counted from each one's scheduled
    time, while a projector's stream records when each acknowledged position shows up (freshness)."""
    fresh = Freshness()
    stop = asyncio.Event()
    listener = asyncio.create_task(fresh.listen(port, key, stop))
    await asyncio.sleep(1.0)
    opened = await load(
        "127.0.0.1",
        port,
        len(sessions),
        max(3, round(plan.open_seconds * rate / len(sessions))),
        ballots(departments, run),
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


def prepare(settings: Settings, tablets: int) -> tuple[str, list[str], list[str]]:
    app = build_app(settings)
    key = "bench"
    demo = load_demo(app, key, representatives=tablets * 3, progress=lambda _m: None)
    first = demo.sittings[0]
    for dept in first.departments:
        app.open_window(key, dept, by=ORGANISER)
    codes = [
        app.keys.credential_code(representative_id(key, n + 1), 1)
        for n, r in enumerate(demo.representatives)
        if r.sitting == first.key
    ][:tablets]
    app.close()
    return key, codes, list(first.departments)


async def one_run(base: Settings, plan: Plan, index: int) -> dict[str, float]:
    settings = Settings(base.database_url, base.data_dir, base.secret, schema=f"bench_{uuid.uuid4().hex[:8]}")
    trivial = await http_limit(settings, plan)
    database = await database_limit(settings)
    key, codes, departments = prepare(settings, plan.tablets)
    measured = await platform(settings, key, codes, departments, trivial, f"r{index}", plan)
    print(dumps({"trivial": trivial.as_dict(), "database": database, **measured}), flush=True)
    closed, opened, sustained = measured["closed"], measured["open"], measured["sustained"]
    again = measured["trivial_again"]
    assert isinstance(closed, dict) and isinstance(opened, dict) and isinstance(sustained, dict)
    assert isinstance(again, dict)
    trivial_rate = (trivial.rate() + again["rate"]) / 2
    return {
        "trivial_rate_first": trivial.rate(),
        "trivial_rate_again": again["rate"],
        "trivial_rate": trivial_rate,
        "ballots_rate": closed["rate"],
        "ratio_to_trivial": closed["rate"] / trivial_rate,
        "closed_errors": closed["errors"],
        "closed_p99_ms": closed["p99_ms"],
        "target_rate": TARGET * trivial_rate,
        "target_load": TARGET * trivial_rate / closed["rate"],
        "open_rate": opened["rate"],
        "open_p99_ms": opened["p99_ms"],
        "open_errors": opened["errors"],
        "freshness_p50_ms": opened["freshness_p50_ms"],
        "freshness_p99_ms": opened["freshness_p99_ms"],
        "sustained_rate": sustained["rate"],
        "sustained_p50_ms": sustained["p50_ms"],
        "sustained_p99_ms": sustained["p99_ms"],
        "sustained_errors": sustained["errors"],
        "sustained_freshness_p50_ms": sustained["freshness_p50_ms"],
        "sustained_freshness_p99_ms": sustained["freshness_p99_ms"],
        "generator_cpu_us_per_trivial_request": trivial.as_dict()["generator_cpu_us_per_request"],
        "generator_cpu_us_per_ballot_at_target": opened["generator_cpu_us_per_request"],
        "server_peak_rss_mb": float(str(measured["server_peak_rss_mb"])),
        "writer_peak_rss_mb": float(str(measured["writer_peak_rss_mb"])),
        **database,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="ingestion and freshness benchmark")
    parser.add_argument("--tablets", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--open-seconds", type=float, default=20.0, help="length of the open-loop phase")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (both servers)")
    args = parser.parse_args()
    plan = Plan(args.tablets, args.open_seconds, args.workers)
    base = Settings.from_environment()
    # uvloop, as the server has: the generator shares the machine with what it measures (loadgen.py)
    runs = [uvloop.run(one_run(base, plan, i)) for i in range(args.runs)]
    print("medians:", dumps(median_of(runs)))


if __name__ == "__main__":
    main()
