"""基线 — what the ingestion benchmark compares the platform with, measured on the same machine in the same run.

The HTTP limit (a trivial Starlette JSON endpoint, ``scripts/bench/trivial_app.py``, served by uvicorn as the
platform is) and the database limit (raw asyncpg inserts of rows the size of a ballot event).
"""

from __future__ import annotations

import asyncio
import json
import time

import asyncpg

from scripts.bench import servers
from scripts.bench.loadgen import Figures, load
from storage.settings import Settings

BALLOT_SIZE = 620  # bytes of a typical Ballot.Cast event's state


async def database_limit(settings: Settings) -> dict[str, float]:
    """The database limit: raw asyncpg inserts of ballot-sized rows, one commit per row (8 connections) and
    100 / 1,000 rows per transaction."""
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


async def http_limit(settings: Settings, tablets: int, workers: int) -> Figures:
    """The HTTP limit: a trivial Starlette JSON endpoint under uvicorn, ``tablets`` connections in a closed loop."""
    port = servers.free_port()
    body = json.dumps(
        {"department": "fgw", "client_id": "x" * 32, "choice": "satisfied", "comment": ""}
    ).encode()
    with servers.uvicorn("scripts.bench.trivial_app:app", settings, port, workers):
        return await load("127.0.0.1", port, tablets, 12, lambda i, n: ("POST", "/api/echo", body))
