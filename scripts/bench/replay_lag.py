"""备库延迟 — how long the hot standby takes to replay what the primary has flushed, sampled while a
benchmark loads the platform; run as a process of its own so that the load generator's event loop does not
delay the samples:

    python -m scripts.bench.replay_lag PRIMARY_URL STANDBY_URL SECONDS

Every 0.2 s: the primary's flushed WAL position, then the time until the standby's replay position reaches
it (polled every 5 ms). Prints JSON: samples, p50 / p99 / max in ms, and pg_stat_replication's own
replay_lag at the end.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time

import asyncpg

from scripts.bench.loadgen import percentile

FLUSHED = "SELECT (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint"
REPLAYED = "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint"
EVERY = 0.2


async def sample(primary_url: str, standby_url: str, seconds: float) -> dict[str, float]:
    primary, standby = await asyncpg.connect(primary_url), await asyncpg.connect(standby_url)
    lags: list[float] = []
    deadline = time.perf_counter() + seconds
    try:
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            target = await primary.fetchval(FLUSHED)
            while await standby.fetchval(REPLAYED) < target:
                await asyncio.sleep(0.005)
            lags.append(time.perf_counter() - began)
            await asyncio.sleep(EVERY)
        reported = await primary.fetchval(
            "SELECT extract(epoch FROM max(replay_lag)) FROM pg_stat_replication"
        )
    finally:
        await primary.close()
        await standby.close()
    return {
        "samples": len(lags),
        "p50_ms": percentile(lags, 50) * 1000,
        "p99_ms": percentile(lags, 99) * 1000,
        "max_ms": max(lags, default=float("nan")) * 1000,
        "pg_stat_replication_replay_lag_ms": float(reported or 0) * 1000,
    }


def start(primary_url: str, standby_url: str, seconds: float) -> subprocess.Popen[str]:
    """The probe as a process of its own; ``result`` reads its figures once it has finished."""
    command = [sys.executable, "-m", "scripts.bench.replay_lag", primary_url, standby_url, str(seconds)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def result(probe: subprocess.Popen[str]) -> dict[str, float]:
    output, _ = probe.communicate(timeout=120)
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return figures


def main() -> None:
    primary_url, standby_url, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    print(json.dumps(asyncio.run(sample(primary_url, standby_url, seconds))), flush=True)


if __name__ == "__main__":
    main()
