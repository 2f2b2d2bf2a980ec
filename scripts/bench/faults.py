"""故障注入 — crashes under load: the real server on a real PostgreSQL, killed while it works.

    python -m scripts.bench.faults [--tablets 200] [--think 1.0] [--lead 4] [--tail 6] [--faults web,...]

Starts an embedded PostgreSQL of its own (in a temporary folder, on a pinned port), loads a demo round with
every window open, starts ``python -m projections.process`` and uvicorn ``web.main:app``, signs every
tablet in over HTTP, and then runs one phase per fault. In each phase every tablet casts and amends its
sitting's ballots (a new client id per version, each sent again with the same id until it is answered);
``lead`` seconds in, the fault is injected:

  web          the web server is killed with SIGKILL and started again on the same port;
  projection   the projection process is killed with SIGKILL and started again;
  database     PostgreSQL is restarted (fast shutdown: every connection is cut), nothing else is touched;
  database-crash  (only if asked for with --faults) PostgreSQL stopped in immediate mode, then started:
               crash recovery from the write-ahead log.

``tail`` seconds after the fault the tablets stop taking new ballots and finish the ones they hold. Then
the checks (scripts/bench/fault_checks.py): the projection catches up; every acknowledged version's
receipt is known, the last acknowledged version of each ballot is the counted one and no ballot has more
versions than were acknowledged; the read models equal a rebuild from the events, and the independent
recount agrees. Prints each phase and a summary; exits 1 if anything was lost or counted twice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from demo.loader import ORGANISER, load_demo
from scripts.bench import servers
from scripts.bench.fault_checks import Counted, Rebuilt, compare_with_rebuild, count
from scripts.bench.fault_load import Connection, Ledger, Load, Tablet
from scripts.bench.fault_platform import Platform
from scripts.bench.tablets import sign_in
from storage.bootstrap import build_app
from storage.embedded import EmbeddedPostgres
from storage.settings import Settings

ROUND_KEY = "faults"
FAULTS = ("web", "projection", "database")
"""Injected by default, in this order; ``database-crash`` (an immediate stop: crash recovery) may be added."""
KNOWN_FAULTS = (*FAULTS, "database-crash")


@dataclass
class Phase:
    fault: str
    injected_at: float
    restart_seconds: float
    first_ack_after: float | None
    counted: Counted
    rebuilt: Rebuilt
    exited: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        c, r = self.counted, self.rebuilt
        return (
            c.caught_up
            and c.lost == 0
            and c.double_counted == 0
            and c.final_not_counted == 0
            and r.equal
            and r.recount == 0
            and not self.exited
        )

    def line(self) -> str:
        c, r = self.counted, self.rebuilt
        after = "never" if self.first_ack_after is None else f"{self.first_ack_after:.1f}s"
        return (
            f"fault {self.fault:<10}: injected at {self.injected_at:.1f}s, back in {self.restart_seconds:.1f}s, "
            f"first ballot acknowledged {after} after; acknowledged so far {c.acknowledged}, ballot events "
            f"{c.ballot_events}; lost {c.lost}, double-counted {c.double_counted}, last version not counted "
            f"{c.final_not_counted}; caught up {c.caught_up}; views == rebuild {r.equal} ({r.rows} rows"
            f"{', differ: ' + ','.join(r.differing) if r.differing else ''}), recount {r.recount}"
            f"{'; ' + '; '.join(self.exited) if self.exited else ''}"
        )


@dataclass
class Options:
    tablets: int = 200
    think: float = 1.0
    lead: float = 4.0
    tail: float = 6.0
    departments: int = 9
    timeout: float = 5.0
    faults: tuple[str, ...] = FAULTS


def prepare(settings: Settings, tablets: int, departments: int) -> list[tuple[int, str, list[str]]]:
    """The round with every window open: (number, credential code, sitting's departments) per tablet."""
    app = build_app(settings)
    try:
        demo = load_demo(
            app, ROUND_KEY, representatives=tablets, departments=departments, progress=lambda _m: None
        )
        plan = demo.plan
        agenda = {s.key: list(s.agenda) for s in plan.sittings}
        for department in (d for s in plan.sittings for d in s.agenda):
            app.open_window(ROUND_KEY, department, by=ORGANISER)
        return [
            (n + 1, code, agenda[r.sitting])
            for n, (r, code) in enumerate(zip(plan.representatives, demo.codes, strict=True))
        ]
    finally:
        app.close()


async def run_phase(
    platform: Platform, load: Load, tablets: list[Tablet], fault: str, began: float, lead: float, tail: float
) -> Phase:
    stop = asyncio.Event()
    running = asyncio.create_task(load.run(tablets, stop))
    await asyncio.sleep(lead)
    injected = time.monotonic()
    await asyncio.to_thread(platform.inject, fault)
    restarted = time.monotonic()
    await asyncio.sleep(tail)
    stop.set()
    await running
    first = load.ledger.acked_after(restarted)
    exited = platform.exited()
    counted = await asyncio.to_thread(count, platform.settings, ROUND_KEY, load.ledger)
    platform.stop_projection()
    rebuilt = await asyncio.to_thread(compare_with_rebuild, platform.settings)
    platform.start_projection()
    return Phase(
        fault,
        injected - began,
        restarted - injected,
        None if first is None else first - injected,
        counted,
        rebuilt,
        exited,
    )


def summary(ledger: Ledger, phases: list[Phase], tablets: int, seconds: float) -> dict[str, Any]:
    last = phases[-1].counted if phases else Counted()
    return {
        "tablets": tablets,
        "ballots_sent": ledger.sent,
        "acknowledged": ledger.acknowledged,
        "acknowledged_as_resent": ledger.resent,
        "acknowledged_after_retries": ledger.answered_after_retries,
        "requests": ledger.requests,
        "retries": ledger.retries,
        "faults_injected": len(phases),
        "http_5xx": ledger.server_errors,
        "connection_errors": ledger.connection_errors,
        "timeouts": ledger.timeouts,
        "refused": ledger.refused,
        "abandoned": ledger.abandoned,
        "state_reads": ledger.state_reads,
        "state_read_errors": ledger.state_errors,
        "ballot_events": last.ballot_events,
        "lost": max((p.counted.lost for p in phases), default=0),
        "double_counted": max((p.counted.double_counted for p in phases), default=0),
        "last_version_not_counted": max((p.counted.final_not_counted for p in phases), default=0),
        "views_equal_rebuild": all(p.rebuilt.equal for p in phases),
        "recount": max((p.rebuilt.recount for p in phases), default=0),
        "statuses": dict(sorted(ledger.statuses.items())),
        "seconds": round(seconds, 1),
    }


@dataclass
class Outcome:
    phases: list[Phase]
    ledger: Ledger
    figures: dict[str, Any]

    @property
    def clean(self) -> bool:
        """Every phase clean, every ballot answered and accepted, and the events hold exactly those acknowledged."""
        ledger = self.ledger
        return (
            bool(self.phases)
            and all(p.clean for p in self.phases)
            and ledger.abandoned == 0
            and ledger.refused == 0
            and self.phases[-1].counted.ballot_events == ledger.acknowledged
        )


async def harness(folder: Path, options: Options, say: Any = print) -> Outcome:
    began = time.monotonic()
    database = EmbeddedPostgres(folder / "pg", port=servers.free_port()).start()
    settings = Settings(database.url, folder, secrets.token_hex(32).encode(), schema="faults")
    platform = Platform(settings, database, servers.free_port(), folder)
    ledger = Ledger()
    phases: list[Phase] = []
    try:
        seats = prepare(settings, options.tablets, options.departments)
        platform.start_projection()
        platform.start_web()
        sessions = await sign_in(platform.port, [code for _, code, _ in seats])
        tablets = [
            Tablet(n, agenda, s, Connection(platform.port))
            for (n, _, agenda), s in zip(seats, sessions, strict=True)
        ]
        say(f"{len(tablets)} tablets signed in after {time.monotonic() - began:.1f}s")
        load = Load(ledger, think=options.think, timeout=options.timeout)
        for fault in options.faults:
            phase = await run_phase(platform, load, tablets, fault, began, options.lead, options.tail)
            phases.append(phase)
            say(phase.line())
            for problem in phase.counted.problems[:10]:
                say("  " + problem)
        for tablet in tablets:
            tablet.connection.close()
    finally:
        platform.stop()
    figures = summary(ledger, phases, options.tablets, time.monotonic() - began)
    say("summary: " + json.dumps(figures, ensure_ascii=False))
    return Outcome(phases, ledger, figures)


def main() -> int:
    parser = argparse.ArgumentParser(
        description="crashes under load: kill the web, the projection, PostgreSQL"
    )
    parser.add_argument("--tablets", type=int, default=Options.tablets)
    parser.add_argument(
        "--think", type=float, default=Options.think, help="mean seconds between a tablet's ballots"
    )
    parser.add_argument("--lead", type=float, default=Options.lead, help="seconds of load before each fault")
    parser.add_argument("--tail", type=float, default=Options.tail, help="seconds of load after each fault")
    parser.add_argument(
        "--timeout", type=float, default=Options.timeout, help="seconds a tablet waits for an answer"
    )
    parser.add_argument(
        "--faults", default=",".join(FAULTS), help=f"comma-separated, in order, from {','.join(KNOWN_FAULTS)}"
    )
    parser.add_argument("--keep", type=Path, help="keep the database and the logs in this folder")
    args = parser.parse_args()
    faults = tuple(args.faults.split(","))
    if unknown := set(faults) - set(KNOWN_FAULTS):
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
    options = Options(args.tablets, args.think, args.lead, args.tail, timeout=args.timeout, faults=faults)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        outcome = asyncio.run(harness(args.keep, options))
    else:
        with tempfile.TemporaryDirectory(prefix="sanmin-faults-") as folder:
            outcome = asyncio.run(harness(Path(folder), options))
    return 0 if outcome.clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
