"""Scale-out benchmark: ballots through two web processes against one, with thousands of concurrent clients.

    python -m scripts.bench.scaleout [--clients 5000] [--seconds 20] [--client tablet|online] [--no-standby]
                                     [--workers 1,2]

On this machine and in this order, for one web process and then two (``uvicorn --workers``, as
``sanmin run --workers N`` serves; ``--workers 1`` measures one process only):
  1. the trivial endpoint (scripts/bench/trivial_app.py) under the same number of processes, closed loop
     with the same clients: the HTTP limit of that set-up;
  2. the platform (web processes + the projection process, the public read path on a hot standby unless
     ``--no-standby``): every client signed in (once, reused), then an open loop at 0.3 × the trivial rate
     of 1. for ``--seconds`` (latency from each ballot's scheduled time; freshness on a projector stream),
     while a probe process (scripts/bench/replay_lag.py) samples the standby's replay lag; then again at
     0.8 × the rate carried (the p99 when the set-up keeps up; different client ids, so amendments) with
     as many clients as send every 4 s at least (uvicorn closes a connection idle for 5 s).
The client kind is pluggable (scripts/bench/clients.py): ``tablet``, representatives on the hall's
tablets (``POST /api/ballots``), or ``online``, citizens signed in by their invitation links, each from an
address of its own, casting online ballots (``POST /api/online/{round}/ballots``) within the channel's
pace. Prints each set-up's figures and the ratios two / one. Targets: no error, p99 ≤ 250 ms; replay lag
p99 ≤ 1 s.
"""

from __future__ import annotations

import argparse
import resource
import uuid
from dataclasses import replace
from typing import Any

import asyncpg
import uvloop

from scripts.bench import replay_lag, servers
from scripts.bench.baselines import http_limit
from scripts.bench.clients import KINDS, Audience, ClientKind
from scripts.bench.loadgen import dumps
from scripts.bench.tablets import open_phase
from storage.settings import Settings

TARGET = 0.3
"""The open loop's rate as a share of the trivial endpoint's rate in the same set-up."""
IDLE = 4.0
"""Seconds between one client's requests at most in the sustained phase (uvicorn's keep-alive is 5 s)."""


async def one_setup(
    settings: Settings,
    kind: ClientKind,
    audience: Audience,
    workers: int,
    seconds: float,
    sessions: list[dict[str, str]],
) -> dict[str, Any]:
    trivial = await http_limit(settings, len(audience.credentials), workers)
    rate = TARGET * trivial.rate()
    port = servers.free_port()
    with servers.projection(settings), servers.uvicorn("web.main:app", settings, port, workers) as web:
        if not sessions:
            sessions.extend(await kind.sign_in(port, audience))
        probe = (
            replay_lag.start(settings.database_url, settings.replica_url, seconds + 3)
            if settings.replica_url
            else None
        )
        before = await wal_position(settings)
        # each phase its own client ids (the run's name is in them): the same id again would be a resend
        opened = await open_phase(
            port,
            audience.key,
            sessions,
            audience.departments,
            rate,
            f"w{workers}",
            seconds,
            kind.body(audience, f"{kind.name}w{workers}"),
        )
        wal = await wal_position(settings) - before
        # the p99 when the set-up keeps up: 0.8 × the rate it carried at the target (as ingest.py's SUSTAINED)
        kept = 0.8 * float(str(opened["rate"]))
        # as many clients as send at least every IDLE seconds: uvicorn closes a keep-alive connection idle
        # for 5 s, and the load generator does not reconnect (5,000 clients at 670/s idle 7.5 s each)
        steady = sessions[: max(1, min(len(sessions), int(kept * IDLE)))]
        sustained = await open_phase(
            port,
            audience.key,
            steady,
            audience.departments,
            kept,
            f"s{workers}",
            seconds,
            kind.body(audience, f"{kind.name}s{workers}"),
        )
        rss = servers.peak_rss_mb(web.pid)
    return {
        "workers": workers,
        "trivial": trivial.as_dict(),
        "open": opened,
        "sustained": sustained,
        "sustained_clients": len(steady),
        "replay_lag": replay_lag.result(probe) if probe is not None else None,
        "server_peak_rss_mb": rss,
        "wal_bytes_per_ballot": wal / max(1, int(str(opened["ok"]))),
    }


async def wal_position(settings: Settings) -> int:
    """The primary's WAL position in bytes: its growth over a phase, per ballot, sizes disks and links."""
    conn = await asyncpg.connect(settings.database_url)
    try:
        return int(await conn.fetchval("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint"))
    finally:
        await conn.close()


async def run(
    base: Settings, kind: ClientKind, clients: int, seconds: float, workers: tuple[int, ...] = (1, 2)
) -> dict[str, Any]:
    settings = replace(base, schema=f"scale_{uuid.uuid4().hex[:8]}", embedded=None)
    audience = kind.prepare(settings, clients)
    sessions: list[dict[str, str]] = []
    summary: dict[str, Any] = {"client": kind.name, "clients": clients, "standby": bool(settings.replica_url)}
    for count in workers:
        setup = await one_setup(settings, kind, audience, count, seconds, sessions)
        print(dumps(setup), flush=True)
        summary |= summarised(NAMES.get(count, f"w{count}"), setup)
    if {"one_rate", "two_rate"} <= summary.keys():
        summary["trivial_ratio_two_to_one"] = summary["two_trivial_rate"] / summary["one_trivial_rate"]
        summary["rate_ratio_two_to_one"] = summary["two_rate"] / summary["one_rate"]
    return summary


NAMES = {1: "one", 2: "two"}


def summarised(name: str, setup: dict[str, Any]) -> dict[str, Any]:
    """One set-up's figures, each prefixed by ``name``."""
    opened = setup["open"]
    return {
        f"{name}_trivial_rate": setup["trivial"]["rate"],
        f"{name}_offered_rate": opened["offered_rate"],
        f"{name}_rate": opened["rate"],
        f"{name}_errors": opened["errors"],
        f"{name}_p50_ms": opened["p50_ms"],
        f"{name}_p99_ms": opened["p99_ms"],
        f"{name}_freshness_p99_ms": opened["freshness_p99_ms"],
        f"{name}_replay_lag_p99_ms": (setup["replay_lag"] or {}).get("p99_ms"),
        f"{name}_wal_bytes_per_ballot": setup["wal_bytes_per_ballot"],
        f"{name}_sustained_clients": setup["sustained_clients"],
        f"{name}_sustained_rate": setup["sustained"]["rate"],
        f"{name}_sustained_errors": setup["sustained"]["errors"],
        f"{name}_sustained_p50_ms": setup["sustained"]["p50_ms"],
        f"{name}_sustained_p99_ms": setup["sustained"]["p99_ms"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="ballots through two web processes against one")
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each open loop")
    parser.add_argument("--client", choices=sorted(KINDS), default="tablet")
    parser.add_argument("--no-standby", action="store_true", help="read the public path from the primary")
    parser.add_argument("--workers", default="1,2", help="the set-ups' web processes, in order (e.g. 1)")
    args = parser.parse_args()
    raise_open_files()
    with servers.embedded_stopped_after(Settings.from_environment(start_embedded=False).data_dir):
        base = Settings.from_environment()
        if not args.no_standby:
            base = servers.standby_of(base)
        workers = tuple(int(n) for n in args.workers.split(","))
        summary = uvloop.run(run(base, KINDS[args.client], args.clients, args.seconds, workers))
    print("summary:", dumps(summary))


def raise_open_files(wanted: int = 65536) -> None:
    """Thousands of sockets in this process and in the servers it starts (they inherit the limit)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(wanted, hard), max(wanted, hard)))
    except (ValueError, OSError):  # not allowed to raise the hard limit: as high as it goes
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


if __name__ == "__main__":
    main()
