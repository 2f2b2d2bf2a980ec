"""Rebuild benchmark: ``sanmin rebuild`` of every read model against a raw read of the same rows.

    python -m scripts.bench.rebuild [--events 1000000] [--runs 3] [--schema bench_rebuild_1m]

The schema is filled once with real events (whole demo rounds of 18,000 representatives cast through
the domain's commands, see ``scripts.bench.history``; ~10 minutes for a million) and reused while it
holds enough. Each run then measures, in this order:

* baseline: asyncpg reading every row of the events table (all columns, by notification id, through a
  cursor with prefetch), fetched fully → rows/s;
* rebuild: ``projections.maintenance.rebuild_views`` (the bulk rebuild) in its own process → events/s
  and that process's peak resident memory (``ru_maxrss`` of the child).

It prints each run and the medians, and the ratio rebuild / raw read. Target: ≥ 50,000 events/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time

import asyncpg

from scripts.bench.command_line import bench_parser
from scripts.bench.history import ensure_history, with_schema
from scripts.bench.servers import environment
from storage.settings import Settings

TARGET = 50_000


async def raw_read(settings: Settings, prefetch: int = 20_000) -> dict[str, float]:
    """Every row of the events table through asyncpg, as the baseline: rows/s."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        started = time.perf_counter()
        rows = 0
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            query = f'SELECT * FROM "{settings.schema}".evaluation_events ORDER BY notification_id'
            async for _ in conn.cursor(query, prefetch=prefetch):
                rows += 1
        seconds = time.perf_counter() - started
    finally:
        await conn.close()
    return {"rows": rows, "seconds": seconds, "rate": rows / seconds}


def rebuild_in_child(settings: Settings) -> dict[str, float]:
    """``rebuild_views`` in a fresh process (``--child``): its events/s and peak RSS."""
    command = [sys.executable, "-m", "scripts.bench.rebuild", "--child"]
    process = subprocess.Popen(command, env=environment(settings), stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"the rebuild exited with {process.returncode}")
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    figures["peak_rss_mb"] = usage.ru_maxrss / 1024
    return figures


def child() -> int:
    """Run by ``rebuild_in_child``: one bulk rebuild, then its figures as one JSON line."""
    from projections.maintenance import rebuild_views

    rebuilt = rebuild_views(Settings.from_environment(), say=lambda _: None)
    print(json.dumps({"events": rebuilt.events, "seconds": rebuilt.seconds, "rate": rebuilt.rate}))
    return 0


def main() -> int:
    parser = bench_parser(__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--schema", default="bench_rebuild_1m")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child()
    settings = with_schema(Settings.from_environment(), args.schema)
    ensure_history(settings, args.events)
    raws, rebuilds, peaks = [], [], []
    for run in range(1, args.runs + 1):
        raw = asyncio.run(raw_read(settings))
        rebuilt = rebuild_in_child(settings)
        raws.append(raw["rate"])
        rebuilds.append(rebuilt["rate"])
        peaks.append(rebuilt["peak_rss_mb"])
        print(
            f"run {run}: raw asyncpg read {raw['rows']:,.0f} rows in {raw['seconds']:.2f} s = {raw['rate']:,.0f} rows/s;"
            f" rebuild {rebuilt['events']:,.0f} events in {rebuilt['seconds']:.2f} s = {rebuilt['rate']:,.0f} events/s,"
            f" peak RSS {rebuilt['peak_rss_mb']:.0f} MB; ratio {rebuilt['rate'] / raw['rate']:.3f}",
            flush=True,
        )
    raw_median, rebuild_median = statistics.median(raws), statistics.median(rebuilds)
    print(
        f"median of {args.runs}: raw read {raw_median:,.0f} rows/s, rebuild {rebuild_median:,.0f} events/s"
        f" (target ≥ {TARGET:,}: {'met' if rebuild_median >= TARGET else 'NOT met'}),"
        f" ratio rebuild/raw {rebuild_median / raw_median:.3f}, peak RSS {statistics.median(peaks):.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
