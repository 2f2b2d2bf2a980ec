"""``sanmin run --workers 2``: two web processes behind one port, each with its own ballot writer, both serving;
a tablet's ballot resent through the other process counts once (the client id's contract).

Which process answers a connection is read from /proc: the worker holding the server end of its socket.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from evaluation.application import EvaluationApp
from evaluation.ballot import ballot_id
from scripts.bench import servers
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound


@pytest.fixture
def two_workers(settings: Settings, app: EvaluationApp, tmp_path: Path) -> Iterator[tuple[int, list[int]]]:
    """``sanmin run --workers 2`` on a free port: (port, the two workers' process ids)."""
    port = servers.free_port()
    env = servers.environment(
        Settings(settings.database_url, tmp_path, settings.secret, schema=settings.schema)
    )
    command = [sys.executable, "-m", "sanmin.cli", "run", "--workers", "2", "--port", str(port)]
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        servers.wait_for_port(port, timeout=60, process=run)
        yield port, _workers(run.pid)
    finally:
        run.terminate()
        run.wait(timeout=60)


def _workers(pid: int) -> list[int]:
    """uvicorn's worker processes under ``sanmin run`` (not the projection process nor a resource tracker)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [
            child
            for child in servers._children(pid)
            if b"multiprocessing" in Path(f"/proc/{child}/cmdline").read_bytes()
            and not servers._is_tracker(child)
        ]
        if len(found) == 2:
            return found
        time.sleep(0.2)
    raise AssertionError("sanmin run did not start two web workers")


def worker_of(connection: http.client.HTTPConnection, port: int, workers: list[int]) -> int:
    """The worker holding the server end of ``connection`` (after one answered request on it)."""
    client_port = connection.sock.getsockname()[1]
    inode = ""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16)
        if local == port and remote == client_port:
            inode = fields[9]
    for worker in workers:
        for fd in Path(f"/proc/{worker}/fd").iterdir():
            try:
                if fd.readlink().name == f"socket:[{inode}]":
                    return worker
            except OSError:
                continue
    raise AssertionError(f"no worker holds the connection from port {client_port}")


def one_connection_per_worker(port: int, workers: list[int]) -> dict[int, http.client.HTTPConnection]:
    """Keep-alive connections opened until each worker holds one."""
    held: dict[int, http.client.HTTPConnection] = {}
    spare: list[http.client.HTTPConnection] = []
    deadline = time.monotonic() + 30
    while len(held) < len(workers):
        assert time.monotonic() < deadline, "every connection went to the same worker"
        batch = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(8)]
        for connection in batch:
            connection.request("GET", "/login")
            connection.getresponse().read()
            worker = worker_of(connection, port, workers)
            if worker in held:
                spare.append(connection)
            else:
                held[worker] = connection
    for connection in spare:
        connection.close()
    return held


def request(
    connection: http.client.HTTPConnection, method: str, path: str, body: str = "", **headers: str
) -> tuple[int, str, str]:
    connection.request(method, path, body=body.encode() or None, headers=headers)
    response = connection.getresponse()
    cookie = response.getheader("set-cookie") or ""
    return response.status, response.read().decode(), cookie.split(";")[0]


def test_two_workers_both_serve_and_a_ballot_resent_through_the_other_counts_once(
    two_workers: tuple[int, list[int]], app: EvaluationApp, small_round: SmallRound
) -> None:
    port, workers = two_workers
    app.open_window(small_round.key, "fgw", by=ORGANISER)
    first, second = one_connection_per_worker(port, workers).values()

    _status, page, cookie = request(first, "GET", "/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    form = f"code={small_round.alice_code}&csrf={csrf.group(1)}"
    kind = "application/x-www-form-urlencoded"
    status, _body, signed_in = request(first, "POST", "/login", form, Cookie=cookie, **{"Content-Type": kind})
    assert status == 303 and signed_in
    status, tablet, _ = request(second, "GET", "/r", Cookie=signed_in)  # the session works on both
    assert status == 200
    token = re.search(r'name="csrf-token" content="([^"]+)"', tablet)
    assert token is not None
    ballot = json.dumps({"department": "fgw", "client_id": "c" * 32, "choice": "satisfied", "comment": ""})
    headers = {"Cookie": signed_in, "X-CSRF-Token": token.group(1), "Content-Type": "application/json"}

    answers = [
        request(connection, "POST", "/api/ballots", ballot, **headers) for connection in (first, second)
    ]

    assert [status for status, _body, _cookie in answers] == [200, 200]
    receipts = [json.loads(body) for _status, body, _cookie in answers]
    # the resend through the other process: the receipt already given, marked as a resend
    assert receipts[1]["receipt"] == receipts[0]["receipt"]
    assert (receipts[0]["resent"], receipts[1]["resent"]) == (False, True)
    stored = app.repository.get(ballot_id(app.keys.pseudonym(small_round.alice, "fgw")))
    assert stored.version == 1  # cast once, never amended by the resend
