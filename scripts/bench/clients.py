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
    """A round ready to be scored: its key, one credential per client, the departments open to them, and
    each client's own (a representative scores only its sitting's departments)."""

    key: str
    credentials: list[str]
    departments: list[str]
    own: list[list[str]]


class ClientKind(Protocol):
    name: str

    def prepare(self, settings: Settings, clients: int) -> Audience: ...

    async def sign_in(self, port: int, audience: Audience) -> list[dict[str, str]]:
        """Each client's request headers (its cookie and CSRF token)."""
        ...

    def body(self, audience: Audience, run: str) -> Body: ...


class Tablets:
    """Representatives on the hall's tablets: the demo round with one representative per client (at most
    6,000 — the demo's own size; a larger load hung the loader's bulk insert here), every sitting's windows
    open at once so that every representative has ballots to cast."""

    name = "tablet"

    def prepare(self, settings: Settings, clients: int) -> Audience:
        app = build_app(settings)
        try:
            demo = load_demo(app, "scale", representatives=max(clients, 600), progress=lambda _m: None)
            agenda = {sitting.key: list(sitting.agenda) for sitting in demo.plan.sittings}
            for departments in agenda.values():
                for department in departments:
                    app.open_window("scale", department, by=ORGANISER)
        finally:
            app.close()
        chosen = list(zip(demo.plan.representatives, demo.codes, strict=True))[:clients]
        every = [department for departments in agenda.values() for department in departments]
        return Audience(
            "scale", [code for _r, code in chosen], every, [agenda[r.sitting] for r, _code in chosen]
        )

    async def sign_in(self, port: int, audience: Audience) -> list[dict[str, str]]:
        return await sign_in(port, audience.credentials)

    def body(self, audience: Audience, run: str) -> Body:
        by_agenda = {tuple(own): ballots(own, run) for own in audience.own}
        bodies = [by_agenda[tuple(own)] for own in audience.own]
        return lambda i, n: bodies[i](i, n)


KINDS: dict[str, ClientKind] = {Tablets.name: Tablets()}
"""``--client`` of the benchmark: the online channel adds its invited citizens here."""
