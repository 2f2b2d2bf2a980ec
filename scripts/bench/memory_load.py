"""The screens the memory benchmark drives on the real server, phase by phase, and the server's peak resident
memory in each phase (``exercise``). Between phases the server's high-water mark is reset to its current
resident size (``5`` written to /proc/<pid>/clear_refs), so each figure belongs to its phase and the phase
that drove the peak shows; the run's peak is the largest of them.

0. idle: the server as started, nothing asked of it yet;
1. viewers: ``Plan.viewers`` projector streams (``/projector/{round}/events``) opened, held to the end;
2. public: 8 visitors cycle the home page, the projector page, the signed results (the round is published),
   the receipt check page and its JSON, and the API description;
3. organiser: 2 organiser sessions cycle the console — agenda, turnout, results, roster (first and last
   page), history, departments, cards page (not its PDFs: each print issues new cards, voiding the codes the
   later phases sign in with), a ballot found by its receipt, the signed results;
4. departments: every department of the round signed in, each cycling its portal, its suggestions and its
   comment summary as .xlsx, .csv and .pdf — all their requests at once, or at most
   ``Plan.departments_at_once`` in flight;
5. representatives: ``Plan.signins`` representatives sign in as the card's QR code does (32 at a time) and
   load their tablet page and state (every window of the round is closed: no ballot can be cast).
Phases 2-4 last ``Plan.seconds`` each. Every answer other than 200 is counted as an error, by status and path.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from scripts.bench.fanout import close, watch
from scripts.bench.servers import peak_rss_mb
from scripts.bench.tablets import exchange

PHASES = ("idle", "viewers", "public", "organiser", "departments", "representatives")


@dataclass(frozen=True)
class Codes:
    """Who can sign in to the benchmark round, and what its screens are asked for."""

    round_key: str
    organiser: str
    departments: tuple[str, ...]
    representatives: tuple[str, ...]
    sitting: str
    receipt: str = ""


@dataclass(frozen=True)
class Plan:
    viewers: int = 400
    seconds: float = 20.0
    signins: int = 300
    departments_at_once: int = 0
    """How many department requests may be in flight together (0: every department's at once)."""


@dataclass
class Tally:
    requests: int = 0
    errors: Counter[str] = field(default_factory=Counter)


@dataclass
class Load:
    port: int
    codes: Codes
    plan: Plan
    tally: Tally = field(default_factory=Tally)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}", timeout=600)

    async def get(self, client: httpx.AsyncClient, path: str) -> None:
        response = await client.get(path)
        self.tally.requests += 1
        if response.status_code != 200:
            self.tally.errors[f"{response.status_code} {path.split('?')[0]}"] += 1

    async def sign_in(self, client: httpx.AsyncClient, code: str) -> None:
        """The client's session opened as the card's QR code does: the sign-in page POSTs the code."""
        response = await exchange(client, code)
        self.tally.requests += 2
        if response.status_code not in (200, 303):
            self.tally.errors[f"{response.status_code} /login"] += 1

    async def cycle(
        self, code: str | None, paths: Sequence[str], until: float, gate: asyncio.Semaphore
    ) -> None:
        """One visitor (signed in with ``code``, or anonymous) loading ``paths`` in turn until ``until``, each
        request once ``gate`` lets it through."""
        async with self.client() as client:
            if code:
                async with gate:
                    await self.sign_in(client, code)
            while time.perf_counter() < until:
                for path in paths:
                    async with gate:
                        await self.get(client, path)

    async def during(self, visitors: Sequence[str | None], paths: Sequence[str], at_once: int = 0) -> None:
        """Every visitor cycling ``paths`` for ``Plan.seconds``, at most ``at_once`` requests in flight (0: one
        per visitor)."""
        until = time.perf_counter() + self.plan.seconds
        gate = asyncio.Semaphore(at_once or len(visitors))
        await asyncio.gather(*(self.cycle(code, paths, until, gate) for code in visitors))


def public_paths(codes: Codes) -> list[str]:
    key = codes.round_key
    return [
        "/",
        f"/projector/{key}",
        f"/results/{key}/signed.json",
        "/receipts",
        f"/api/receipts/{codes.receipt}",
        "/openapi.json",
    ]


def organiser_paths(codes: Codes) -> list[str]:
    pages = ("", "/turnout", "/results", "/representatives", "/history", "/departments", "/cards")
    return [
        *(f"/organiser{page}" for page in pages),
        "/organiser/representatives?page=1000000",
        f"/organiser/ballots?receipt={codes.receipt}",
        f"/results/{codes.round_key}/signed.json",
    ]


DEPARTMENT_PATHS = [
    "/department",
    "/department/suggestions",
    *(f"/department/feedback.{kind}" for kind in ("xlsx", "csv", "pdf")),
]


async def representatives(load: Load) -> None:
    limit = asyncio.Semaphore(32)

    async def one(code: str) -> None:
        async with limit, load.client() as client:
            await load.sign_in(client, code)
            await load.get(client, "/r")
            await load.get(client, "/api/state")

    await asyncio.gather(*(one(code) for code in load.codes.representatives[: load.plan.signins]))


def phase_peak(pid: int) -> float:
    """The server's peak RSS since the last call (MB), then the high-water mark reset for the next phase."""
    peak = peak_rss_mb(pid)
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return peak


async def exercise(port: int, pid: int, codes: Codes, plan: Plan) -> tuple[dict[str, float], Tally]:
    """Every phase in turn against the server ``pid`` listening on ``port``: its peak RSS per phase."""
    load = Load(port, codes, plan)
    peaks = {"idle": phase_peak(pid)}
    viewers = await watch(port, f"/projector/{codes.round_key}/events", plan.viewers)
    peaks["viewers"] = phase_peak(pid)
    phases: dict[str, Callable[[], Awaitable[None]]] = {
        "public": lambda: load.during([None] * 8, public_paths(codes)),
        "organiser": lambda: load.during([codes.organiser] * 2, organiser_paths(codes)),
        "departments": lambda: load.during(codes.departments, DEPARTMENT_PATHS, plan.departments_at_once),
        "representatives": lambda: representatives(load),
    }
    for name, phase in phases.items():
        await phase()
        peaks[name] = phase_peak(pid)
    close(viewers)
    return peaks, load.tally
