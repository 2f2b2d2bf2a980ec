"""The load of the fault harness: signed-in tablets casting and amending ballots over HTTP, as the tablet
page does — a ballot keeps its client id and is sent again until the server answers it (success or a
refusal), whatever happens to the server in between. The ledger keeps every answer for the checks.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

CHOICES = ["satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied", "unknown"]
RETRIED = {408, 429}
"""Answers the tablet page sends again, besides every 5xx (web/tablet/static/outbox.js)."""
COMMENTS = ["办事效率高", "停水通知要提前", "窗口服务态度好", "希望加快审批", ""]


IDLE = 4.0
"""A connection idle this long is opened anew (uvicorn closes keep-alive connections after 5 s)."""


class NoAnswer(Exception):
    """The connection failed or closed before a whole answer came."""


class Connection:
    """One tablet's keep-alive HTTP/1.1 connection on raw asyncio streams, opened again when it breaks."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes, timeout: float
    ) -> tuple[int, bytes]:
        """(status, body); raises TimeoutError or NoAnswer, after which the connection is closed."""
        try:
            return await asyncio.wait_for(self._exchange(method, path, headers, body), timeout)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as failure:
            self.close()
            raise NoAnswer(repr(failure)) from failure
        except BaseException:
            self.close()
            raise

    async def _exchange(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes]:
        if self.writer is not None and time.monotonic() - self.used > IDLE:
            self.close()
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length, closing = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and "close" in value.lower():
                closing = True
        data = await self.reader.readexactly(length)
        self.used = time.monotonic()
        if closing:
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Tablet:
    number: int
    departments: list[str]
    headers: dict[str, str]
    connection: Connection
    visits: int = 0


@dataclass(frozen=True)
class Ack:
    """One ballot version the server acknowledged (its client id's first success answer)."""

    client_id: str
    receipt: str
    choice: str
    resent: bool
    at: float
    attempts: int


@dataclass
class Ledger:
    """What the tablets sent and what they were answered."""

    sent: int = 0
    requests: int = 0
    retries: int = 0
    server_errors: int = 0
    connection_errors: int = 0
    timeouts: int = 0
    abandoned: int = 0
    state_reads: int = 0
    state_errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    acks: dict[tuple[int, str], list[Ack]] = field(default_factory=dict)

    @property
    def acknowledged(self) -> int:
        return sum(len(versions) for versions in self.acks.values())

    @property
    def resent(self) -> int:
        return sum(a.resent for versions in self.acks.values() for a in versions)

    @property
    def answered_after_retries(self) -> int:
        """Ballots that met an error or no answer at least once before they were acknowledged."""
        return sum(a.attempts > 1 for versions in self.acks.values() for a in versions)

    @property
    def refused(self) -> int:
        return sum(self.refusals.values())

    def acked_after(self, moment: float) -> float | None:
        """When the first ballot after ``moment`` was acknowledged."""
        later = [a.at for versions in self.acks.values() for a in versions if a.at >= moment]
        return min(later) if later else None


@dataclass
class Load:
    """Many tablets, each casting a ballot every ``think`` seconds on average, until ``stop`` is set."""

    ledger: Ledger
    think: float = 1.0
    timeout: float = 5.0
    """Seconds a tablet waits for an answer before it sends the ballot again."""
    patience: float = 90.0
    """How long one ballot is retried before the tablet gives up on it (counted as abandoned)."""
    seed: int = 5

    async def run(self, tablets: list[Tablet], stop: asyncio.Event) -> None:
        await asyncio.gather(
            *(self._tablet(t, stop, random.Random(self.seed * 100_003 + t.number)) for t in tablets)
        )

    async def _tablet(self, tablet: Tablet, stop: asyncio.Event, rng: random.Random) -> None:
        while not await _stopped(stop, rng.uniform(0, 2 * self.think)):
            department = tablet.departments[tablet.visits % len(tablet.departments)]
            tablet.visits += 1
            comment = rng.choice(COMMENTS) if rng.random() < 0.2 else ""
            await self.cast(tablet, department, rng.choice(CHOICES), comment, rng)
            if rng.random() < 0.25:
                await self.read_state(tablet)

    async def cast(
        self, tablet: Tablet, department: str, choice: str, comment: str, rng: random.Random
    ) -> None:
        """One ballot (a cast, or an amendment of the tablet's earlier one): sent until answered."""
        client_id = uuid.uuid4().hex
        body = json.dumps(
            {"department": department, "client_id": client_id, "choice": choice, "comment": comment}
        ).encode()
        headers = {**tablet.headers, "Content-Type": "application/json"}
        self.ledger.sent += 1
        given_up = time.monotonic() + self.patience
        for attempt in range(1, 10_000):
            if attempt > 1:
                self.ledger.retries += 1
            answer = await self._post(tablet.connection, body, headers)
            if answer is not None and answer[0] == 200:
                data = json.loads(answer[1])
                ack = Ack(client_id, data["receipt"], choice, bool(data["resent"]), time.monotonic(), attempt)
                self.ledger.acks.setdefault((tablet.number, department), []).append(ack)
                return
            if answer is not None and answer[0] not in RETRIED and answer[0] < 500:
                self.ledger.refusals[_code(answer[1], answer[0])] += 1
                return
            if time.monotonic() > given_up:
                self.ledger.abandoned += 1
                return
            await asyncio.sleep(min(2.0, 0.1 * 2 ** min(attempt, 5)) * rng.uniform(0.5, 1.0))

    async def _post(
        self, connection: Connection, body: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes] | None:
        self.ledger.requests += 1
        try:
            status, data = await connection.request("POST", "/api/ballots", headers, body, self.timeout)
        except TimeoutError:
            self.ledger.timeouts += 1
            return None
        except NoAnswer:
            self.ledger.connection_errors += 1
            return None
        self.ledger.statuses[status] += 1
        if status >= 500:
            self.ledger.server_errors += 1
        return status, data

    async def read_state(self, tablet: Tablet) -> None:
        """The tablet page's refresh (read models through asyncpg); not retried, only counted."""
        self.ledger.state_reads += 1
        try:
            status, _ = await tablet.connection.request(
                "GET", "/api/state", tablet.headers, b"", self.timeout
            )
        except (TimeoutError, NoAnswer):
            self.ledger.state_errors += 1
            return
        if status != 200:
            self.ledger.state_errors += 1


async def _stopped(stop: asyncio.Event, pause: float) -> bool:
    """Waits ``pause`` seconds; True as soon as ``stop`` is set."""
    try:
        await asyncio.wait_for(stop.wait(), pause)
    except TimeoutError:
        return False
    return True


def _code(data: bytes, status: int) -> str:
    try:
        return str(json.loads(data)["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return f"http_{status}"
