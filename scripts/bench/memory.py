"""Memory benchmark: peak resident memory of the projection process, the bulk rebuild and the
web server with a full Baotou round.

    python -m scripts.bench.memory [--runs 3] [--schema bench_baotou_216k] [--viewers 400] [--seconds 20]
                                   [--signins 300] [--departments-at-once 0]

The schema holds one demo round of 18,000 representatives scored in full (216,000 ballots, ~272,000
events), generated once through the domain's commands (``scripts.bench.history``) and reused; the first
start also reveals, locks and publishes its results and issues the departments' sign-in codes
(``scripts.bench.memory_server.prepare``). Each run:

* projection: the read models are dropped, then ``python -m projections.process`` (the process
  ``sanmin run`` starts) catches up the whole round from nothing; its peak RSS (VmHWM of
  /proc/<pid>/status) once its tracking row reaches the last event, then it is stopped (SIGTERM);
* rebuild: the bulk rebuild (``sanmin rebuild``) in its own process; its peak RSS (``ru_maxrss``: at least
  this process's size when it spawned the child, which stays well below the rebuild's);
* server: the projection process and ``uvicorn web.main:app`` (one process) started on the rebuilt views,
  then the heaviest screens of the published round driven phase by phase (``scripts.bench.memory_load``:
  projector streams held open, public pages and signed results, the organiser's console with a 1,000-card
  PDF, every department's portal and exports at once, representatives signing in); the server's peak RSS
  (VmHWM) per phase and over the run, and the projection process's meanwhile (a restart on full views: it
  reads its state back from them).

Baselines, taken in the same run: the peak RSS (its own VmHWM) of a Python process that only imports the
projection (``import projections.process``), and of one that only imports the server's app
(``import web.main``). Target: ≤ 300 MB each.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import psycopg
from psycopg.sql import SQL, Identifier

from projections.event_log import APPLICATION_NAME
from projections.tables import view_tables
from scripts.bench.command_line import bench_parser
from scripts.bench.history import BAOTOU_REPRESENTATIVES, ensure_history, event_count, with_schema
from scripts.bench.memory_load import PHASES, Codes, Plan
from scripts.bench.memory_server import prepare, serve
from scripts.bench.rebuild import rebuild_in_child
from scripts.bench.servers import environment, peak_rss_mb, start_projection, stop
from storage.settings import Settings

TARGET_MB = 300
BAOTOU_BALLOTS = BAOTOU_REPRESENTATIVES * 12


def drop_views(settings: Settings) -> None:
    """Every read-model table and the projection's tracking row (if any yet), as before a first start."""
    schema = Identifier(settings.schema)
    with psycopg.connect(settings.database_url, autocommit=True) as conn, conn.transaction():
        for table in view_tables():
            conn.execute(SQL("DROP TABLE IF EXISTS {}.{}").format(schema, Identifier(table)))
        tracking = conn.execute("SELECT to_regclass(%s)", (f'"{settings.schema}".views_tracking',)).fetchone()
        if tracking and tracking[0] is not None:
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


def baseline(settings: Settings, module: str) -> float:
    """Peak RSS (VmHWM, MB) of a process that only imports ``module``, as that process reads it itself: the
    ``ru_maxrss`` that ``wait4`` gives would be at least this process's own size when it spawned the child."""
    status = "print(pathlib.Path('/proc/self/status').read_text())"
    command = [sys.executable, "-c", f"import pathlib, {module}; {status}"]
    output = subprocess.run(command, env=environment(settings), capture_output=True, text=True, check=True)
    line = next(line for line in output.stdout.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def one_run(settings: Settings, codes: Codes, plan: Plan) -> dict[str, float]:
    last = event_count(settings)
    figures = {"events": float(last), "baseline": baseline(settings, "projections.process")}
    figures["server_baseline"] = baseline(settings, "web.main")
    caught = projection_catch_up(settings, last)
    figures |= {"catch_up_s": caught["seconds"], "catch_up_rate": caught["rate"]}
    figures["projection"] = caught["peak_rss_mb"]
    rebuilt = rebuild_in_child(settings)
    figures |= {"rebuild_s": rebuilt["seconds"], "rebuild_rate": rebuilt["rate"]}
    figures["rebuild"] = rebuilt["peak_rss_mb"]
    peaks, tally = serve(settings, codes, plan)
    figures["projection_serving"] = peaks.pop("projection")
    figures |= {f"server_{phase}": peak for phase, peak in peaks.items()}
    figures["server"] = max(peaks.values())
    figures |= {"requests": float(tally.requests), "errors": float(tally.errors.total())}
    if tally.errors:
        print(f"  answers other than 200: {dict(tally.errors.most_common(10))}", flush=True)
    return figures


def phases_line(figures: dict[str, float], plan: Plan) -> str:
    at_once = f" ({plan.departments_at_once} at once)" if plan.departments_at_once else " (all at once)"
    named = {
        "viewers": f"{plan.viewers} viewers",
        "departments": "departments" + at_once,
        "representatives": f"{plan.signins} sign-ins",
    }
    return ", ".join(f"{named.get(p, p)} {figures[f'server_{p}']:.0f}" for p in PHASES)


def print_run(run: int, f: dict[str, float], plan: Plan) -> None:
    print(
        f"run {run}: baseline (import only) {f['baseline']:.0f} MB;"
        f" projection process caught up {f['events']:,.0f} events in {f['catch_up_s']:.1f} s"
        f" ({f['catch_up_rate']:,.0f} events/s), peak RSS {f['projection']:.0f} MB;"
        f" bulk rebuild {f['rebuild_s']:.1f} s ({f['rebuild_rate']:,.0f} events/s),"
        f" peak RSS {f['rebuild']:.0f} MB\n"
        f"  server: baseline (import only) {f['server_baseline']:.0f} MB; peak RSS per phase (MB):"
        f" {phases_line(f, plan)} -> peak RSS {f['server']:.0f} MB"
        f" ({f['requests']:,.0f} requests, {f['errors']:,.0f} not 200);"
        f" projection process (restarted on the rebuilt views) {f['projection_serving']:.0f} MB",
        flush=True,
    )


def print_medians(runs: list[dict[str, float]], plan: Plan) -> None:
    m = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    measured = ("projection", "projection_serving", "rebuild", "server")
    verdict = "met" if max(m[key] for key in measured) <= TARGET_MB else "NOT met"
    print(
        f"median of {len(runs)}: baseline {m['baseline']:.0f} MB, projection process {m['projection']:.0f} MB"
        f" (restarted on full views {m['projection_serving']:.0f} MB),"
        f" bulk rebuild {m['rebuild']:.0f} MB; server baseline {m['server_baseline']:.0f} MB,"
        f" server {m['server']:.0f} MB ({phases_line(m, plan)})"
        f" (target ≤ {TARGET_MB} MB each: {verdict})"
    )


def main() -> int:
    parser = bench_parser(__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--schema", default="bench_baotou_216k")
    parser.add_argument("--viewers", type=int, default=Plan.viewers, help="projector streams held open")
    parser.add_argument("--seconds", type=float, default=Plan.seconds, help="length of each timed phase")
    parser.add_argument("--signins", type=int, default=Plan.signins, help="representatives signing in")
    parser.add_argument(
        "--departments-at-once",
        type=int,
        default=0,
        help="department requests in flight (0: all departments)",
    )
    args = parser.parse_args()
    plan = Plan(args.viewers, args.seconds, args.signins, args.departments_at_once)
    settings = with_schema(Settings.from_environment(), args.schema)
    ensure_history(settings, 1)
    codes = prepare(settings, representatives=plan.signins)
    print(
        f"schema {settings.schema}: {event_count(settings):,} events (one round of {BAOTOU_BALLOTS:,} ballots)"
    )
    runs = []
    for run in range(1, args.runs + 1):
        runs.append(one_run(settings, codes, plan))
        print_run(run, runs[-1], plan)
    print_medians(runs, plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
