"""投票端 — who casts the ballots of a scale benchmark, as a pluggable kind: the tablet in the hall now, the
online channel's invited citizen later (both use ``POST /api/ballots`` with a client id).

A kind prepares its round and credentials in the store, signs its clients in over HTTP and says what each
client's ``n``-th request is; the benchmark (scripts/bench/scaleout.py) does the rest the same for all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from demo.loader import ORGANISER, load_demo
from scripts.bench.loadgen import Body
from scripts.bench.tablets import ballots, sign_in
from storage.bootstrap import build_app
from storage.settings import Settings


@dataclass(frozen=True)
class Audience:
    """A round ready to be scored: its key, one credential per client, the departments open to them."""

    key: str
    credentials: list[str]
    departments: list[str]


class ClientKind(Protocol):
    name: str

    def prepare(self, settings: Settings, clients: int) -> Audience: ...

    async def sign_in(self, port: int, audience: Audience) -> list[dict[str, str]]:
        """Each client's request headers (its cookie and CSRF token)."""
        ...

    def body(self, audience: Audience, run: str) -> Body: ...


class Tablets:
    """Representatives on the hall's tablets: the demo round, its first sitting's windows open."""

    name = "tablet"

    def prepare(self, settings: Settings, clients: int) -> Audience:
        app = build_app(settings)
        try:
            demo = load_demo(app, "scale", representatives=clients * 3, progress=lambda _m: None)
            first = demo.plan.sittings[0]
            for department in first.agenda:
                app.open_window("scale", department, by=ORGANISER)
            codes = [
                code
                for r, code in zip(demo.plan.representatives, demo.codes, strict=True)
                if r.sitting == first.key
            ]
        finally:
            app.close()
        if len(codes) < clients:
            raise ValueError(
                f"the demo round's first sitting has {len(codes)} representatives, not {clients}"
            )
        return Audience("scale", codes[:clients], list(first.agenda))

    async def sign_in(self, port: int, audience: Audience) -> list[dict[str, str]]:
        return await sign_in(port, audience.credentials)

    def body(self, audience: Audience, run: str) -> Body:
        return ballots(audience.departments, run)


KINDS: dict[str, ClientKind] = {Tablets.name: Tablets()}
"""``--client`` of the benchmark: the online channel adds its invited citizens here."""
