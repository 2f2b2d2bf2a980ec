"""Projection memory benchmark (issue 6 §5, projection side): peak resident memory with a full Baotou round.

    python -m scripts.bench.memory [--runs 3] [--schema bench_baotou_216k]

The schema holds one demo round of 18,000 representatives scored in full (216,000 ballots, ~272,000
events), generated once through the domain's commands (``scripts.bench.history``) and reused. Each run:

* projection: the read models are dropped, then ``python -m projections.process`` (the process
  ``sanmin run`` starts) catches up the whole round from nothing; its peak RSS (VmHWM of
  /proc/<pid>/status) once its tracking row reaches the last event, then it is stopped (SIGTERM);
* rebuild: the bulk rebuild (``sanmin rebuild``) in its own process; its peak RSS (``ru_maxrss``).

Baseline, taken in the same run: the peak RSS of a Python process that only imports the projection
(``python -c "import projections.process"``). Target: ≤ 300 MB each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings

import psycopg
from psycopg.sql import SQL, Identifier

from projections import view_sql
from projections.event_log import APPLICATION_NAME
from scripts.bench.history import BAOTOU_REPRESENTATIVES, ensure_history, event_count, with_schema
from scripts.bench.rebuild import rebuild_in_child
from scripts.bench.servers import environment, peak_rss_mb, start_projection, stop
from storage.settings import Settings

TARGET_MB = 300
BAOTOU_BALLOTS = BAOTOU_REPRESENTATIVES * 12


def drop_views(settings: Settings) -> None:
    """Every read-model table and the projection's tracking row, as before a first start."""
    schema = Identifier(settings.schema)
    with psycopg.connect(settings.database_url, autocommit=True) as conn, conn.transaction():
        for table in view_sql.view_tables():
            conn.execute(SQL("DROP TABLE IF EXISTS {}.{}").format(schema, Identifier(table)))
        conn.execute(
            SQL("DELETE FROM {}.views_tracking WHERE application_name = %s").format(schema),
            (APPLICATION_NAME,),
        )


def tracked(settings: Settings) -> int:
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        try:
            statement = SQL("SELECT notification_id FROM {}.views_tracking WHERE application_name = %s")
            row = conn.execute(statement.format(Identifier(settings.schema)), (APPLICATION_NAME,)).fetchone()
        except psycopg.errors.UndefinedTable:
            return 0
    return int(row[0]) if row else 0


def projection_catch_up(settings: Settings, last: int, timeout: float = 1_800) -> dict[str, float]:
    """The projection process from empty views to ``last``: seconds and peak RSS."""
    drop_views(settings)
    started = time.perf_counter()
    with open(os.devnull, "wb") as quiet:
        process = start_projection(settings, output=quiet)
    try:
        while tracked(settings) < last:
            if process.poll() is not None:
                raise RuntimeError(f"the projection process exited with {process.returncode}")
            if time.perf_counter() - started > timeout:
                raise TimeoutError("the projection did not catch up")
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        peak = peak_rss_mb(process.pid)
    finally:
        stop(process)
    return {"seconds": seconds, "rate": last / seconds, "peak_rss_mb": peak}


def baseline(settings: Settings) -> float:
    """Peak RSS of a process that only imports the projection process's module."""
    command = [sys.executable, "-c", "import projections.process"]
    process = subprocess.Popen(command, env=environment(settings))
    _, _, usage = os.wait4(process.pid, 0)
    return float(usage.ru_maxrss / 1024)


def main() -> int:
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--schema", default="bench_baotou_216k")
    args = parser.parse_args()
    settings = with_schema(Settings.from_environment(), args.schema)
    ensure_history(settings, 1)
    last = event_count(settings)
    print(f"schema {settings.schema}: {last:,} events (one round of {BAOTOU_BALLOTS:,} ballots)")
    projections, rebuilds, bases = [], [], []
    for run in range(1, args.runs + 1):
        base = baseline(settings)
        caught = projection_catch_up(settings, last)
        rebuilt = rebuild_in_child(settings)
        bases.append(base)
        projections.append(caught["peak_rss_mb"])
        rebuilds.append(rebuilt["peak_rss_mb"])
        print(
            f"run {run}: baseline (import only) {base:.0f} MB;"
            f" projection process caught up {last:,} events in {caught['seconds']:.1f} s"
            f" ({caught['rate']:,.0f} events/s), peak RSS {caught['peak_rss_mb']:.0f} MB;"
            f" bulk rebuild {rebuilt['seconds']:.1f} s ({rebuilt['rate']:,.0f} events/s),"
            f" peak RSS {rebuilt['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    projection, rebuild = statistics.median(projections), statistics.median(rebuilds)
    verdict = "met" if max(projection, rebuild) <= TARGET_MB else "NOT met"
    print(
        f"median of {args.runs}: baseline {statistics.median(bases):.0f} MB, projection process {projection:.0f} MB,"
        f" bulk rebuild {rebuild:.0f} MB (target ≤ {TARGET_MB} MB each: {verdict})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
