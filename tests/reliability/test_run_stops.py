"""Stopping ``sanmin run`` with SIGTERM (what systemd and docker send) is the orderly stop of Ctrl+C: the web
server, then the projection process, then the embedded PostgreSQL; no child process is left behind.

``sanmin run`` is started as its own process on an empty data folder (so with its own embedded server);
its descendants are read from /proc while it serves. One web process (uvicorn raises the signal again
once it has shut its server down) and two (uvicorn's supervisor keeps it)."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.bench import servers
from storage.embedded import EmbeddedPostgres, running_port
from tests.conftest import SECRET

STOP_WITHIN = 60.0
NOT_INHERITED = ("DATABASE_URL", "DATABASE_REPLICA_URL", "SANMIN_SCHEMA", "SANMIN_KEY_DIR")
"""Whatever would point ``sanmin run`` at another store: it starts its own, embedded, in the empty folder."""


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children of each of its threads, and theirs)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = list(Path(f"/proc/{parent}/task").iterdir())
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                children = {int(c) for c in (task / "children").read_text().split()}
            except FileNotFoundError:
                continue
            todo.extend(children - found)
            found |= children
    return found


def alive(pid: int) -> bool:
    """Running (a zombie, exited but not yet reaped by its new parent, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return ""


def wait_until_serving(port: int, timeout: float = 60.0) -> None:
    """Until the web server answers a page (the port is bound before uvicorn's workers are ready)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/login")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise AssertionError("sanmin run never answered /login")


def wait_for_projection(run: subprocess.Popen[bytes], timeout: float = 60.0) -> set[int]:
    """``run``'s descendants once its projection process is among them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        below = descendants(run.pid)
        if any("projections.process" in command_line(pid) for pid in below):
            return below
        time.sleep(0.2)
    raise AssertionError("sanmin run started no projection process")


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """An empty data folder; whatever embedded server ``sanmin run`` left running on it is stopped after."""
    folder = tmp_path / "data"
    yield folder
    server = EmbeddedPostgres(folder / "pgdata", key_dir=folder / "keys")
    if (folder / "pgdata").exists() and running_port(server.data_dir):
        server.stop()


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_stops_the_web_server_the_projection_process_and_the_embedded_database(
    data_dir: Path, workers: int
) -> None:
    port = servers.free_port()
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update({"SANMIN_DATA_DIR": str(data_dir), "SANMIN_SECRET": SECRET.decode()})
    command = [sys.executable, "-m", "sanmin.cli", "run", "--port", str(port), "--workers", str(workers)]
    output = data_dir.parent / "run.log"
    with output.open("wb") as log:
        run = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    started: set[int] = set()
    try:
        servers.wait_for_port(port, timeout=120, process=run)
        wait_until_serving(port)
        started = wait_for_projection(run)
        assert running_port(data_dir / "pgdata") > 0

        run.send_signal(signal.SIGTERM)
        run.wait(timeout=STOP_WITHIN)

        deadline = time.monotonic() + 10
        while (left := {pid for pid in started if alive(pid)}) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert {pid: command_line(pid) for pid in left} == {}
        assert running_port(data_dir / "pgdata") == 0, "the embedded PostgreSQL still runs"
    finally:
        print(output.read_text(errors="replace")[-4000:])  # shown by pytest when the test failed
        for pid in started | descendants(run.pid):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if run.poll() is None:
            run.kill()
            run.wait()
