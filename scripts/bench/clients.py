"""投票端 — who casts the ballots of a scale benchmark, as a pluggable kind: the tablet in the hall
(``POST /api/ballots``) or the online channel's invited citizen (``POST /api/online/{round}/ballots``), both
with the tablet's JSON and a client id.

A kind prepares its round and credentials in the store, signs its clients in over HTTP and says what each
client's ``n``-th request is; the benchmark (scripts/bench/scaleout.py) does the rest the same for all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from demo.loader import ORGANISER, load_demo
from sanmin.online import OPERATOR
from scripts.bench import citizens
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
        return each_own(audience, run, "/api/ballots")


class Online:
    """Invited citizens of the online channel (网络评议): the demo round (its 600 representatives unused)
    with an online period open now for all its departments, one invitation per client — what
    ``sanmin online invite`` issues (``EvaluationApp.invite_online``) — each opened over HTTP as a phone
    opens the SMS's link (scripts/bench/citizens.py), then ballots as the online page sends them.

    The channel's limit per identity and department (10 at once, then 10 a minute, web/public/online_pace.py)
    is not lifted: each client goes round all the departments from one of its own (``own``), so a department
    comes back every 36th ballot of a client. A phase starts the round again, so a department gets one
    ballot a phase while a client sends at most 36 a phase (``seconds × rate ≤ 36 × clients``; 4 at 5,000
    clients, 1,000/s and 20 s), two up to 72: at most 8 in the run's four phases, inside the 10 at once
    however the web processes share their buckets (a 429 would show in a phase's ``statuses``)."""

    name = "online"

    def prepare(self, settings: Settings, clients: int) -> Audience:
        app = build_app(settings)
        try:
            demo = load_demo(app, "scale", representatives=600, progress=lambda _m: None)
            now = datetime.now(UTC)
            app.set_online_period(
                "scale", now - timedelta(hours=1), now + timedelta(days=1), None, ORGANISER, ""
            )
            codes = app.invite_online("scale", clients, by=OPERATOR)
        finally:
            app.close()
        every = [department for sitting in demo.plan.sittings for department in sitting.agenda]
        own = [every[i % len(every) :] + every[: i % len(every)] for i in range(clients)]
        return Audience("scale", codes, every, own)

    async def sign_in(self, port: int, audience: Audience) -> list[dict[str, str]]:
        return await citizens.sign_in(port, audience.key, audience.credentials)

    def body(self, audience: Audience, run: str) -> Body:
        return each_own(audience, run, f"/api/online/{audience.key}/ballots")


def each_own(audience: Audience, run: str, path: str) -> Body:
    """Client ``i``'s ballots over its own departments in turn, to ``path``."""
    by_agenda = {tuple(own): ballots(own, run, path) for own in audience.own}
    bodies = [by_agenda[tuple(own)] for own in audience.own]
    return lambda i, n: bodies[i](i, n)


KINDS: dict[str, ClientKind] = {kind.name: kind for kind in (Tablets(), Online())}
"""``--client`` of the benchmark."""
