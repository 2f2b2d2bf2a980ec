"""一个数据文件夹，一个内置数据库 — the embedded server of a data folder is that folder's own, runs only
while the platform uses it, and one ``sanmin run`` serves a folder.

- ``sanmin verify`` on an idle folder starts the server and stops it again: copying ``pgdata`` "while the
  platform is stopped" is then a cold copy.
- A folder copied while its server ran holds the original's ``postmaster.pid`` (folder, live process, port):
  a command on the copy starts the copy's own server and never touches the original's database.
- A second ``sanmin run`` on a folder is refused at once; commands beside a running ``sanmin run`` leave its
  server running; the first keeps serving.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from scripts.bench import servers
from storage.embedded import EmbeddedPostgres, running_port
from tests.reliability.test_run_stops import NOT_INHERITED, descendants, wait_until_serving

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="the embedded server's own folders"
)


def sanmin(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in (*NOT_INHERITED, "SANMIN_SECRET")}
    env["SANMIN_DATA_DIR"] = str(folder)
    return subprocess.run(
        [sys.executable, "-m", "sanmin.cli", *command], env=env, capture_output=True, text=True, timeout=180
    )


def postgres_of(pgdata: Path) -> list[str]:
    found = subprocess.run(["pgrep", "-af", f"postgres -D {pgdata}"], capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if "pgrep" not in line]


def event_count(server: EmbeddedPostgres) -> int:
    with psycopg.connect(server.url) as conn:
        row = conn.execute("SELECT count(*) FROM evaluation_events").fetchone()
    assert row is not None
    return int(row[0])


def test_a_command_on_an_idle_folder_stops_the_server_it_started(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    done = sanmin(folder, "verify")
    assert done.returncode == 0, done.stderr
    assert "完好" in done.stdout
    assert running_port(folder / "pgdata") == 0
    assert postgres_of(folder / "pgdata") == []


def test_a_folder_copied_while_its_server_ran_starts_its_own(tmp_path: Path) -> None:
    original = EmbeddedPostgres(tmp_path / "original" / "pgdata", key_dir=tmp_path / "original" / "keys")
    original.start()
    copy: EmbeddedPostgres | None = None
    try:
        assert sanmin(tmp_path / "original", "admin", "code").returncode == 0
        assert running_port(original.data_dir) == original.port  # this test uses it: left running
        before = event_count(original)
        with psycopg.connect(original.admin_url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")
        subprocess.run(["cp", "-a", str(tmp_path / "original"), str(tmp_path / "copy")], check=True)
        assert (tmp_path / "copy" / "pgdata" / "postmaster.pid").exists()
        assert running_port(tmp_path / "copy" / "pgdata") == 0  # the file names the original's server

        done = sanmin(tmp_path / "copy", "admin", "code")
        assert done.returncode == 0, done.stderr
        assert event_count(original) == before  # the original's administrator code is untouched
        assert running_port(tmp_path / "copy" / "pgdata") == 0  # the copy's own server, stopped after
        copy = EmbeddedPostgres(tmp_path / "copy" / "pgdata", key_dir=tmp_path / "copy" / "keys").start()
        assert copy.port != original.port
        assert event_count(copy) == before + 1  # the new code was recorded in the copy
    finally:
        if copy is not None:
            copy.stop()
        original.stop()


def test_a_second_run_is_refused_and_commands_leave_the_first_one_s_server_running(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    port = servers.free_port()
    env = {k: v for k, v in os.environ.items() if k not in (*NOT_INHERITED, "SANMIN_SECRET")}
    env["SANMIN_DATA_DIR"] = str(folder)
    log = (tmp_path / "run.log").open("wb")
    first = subprocess.Popen(
        [sys.executable, "-m", "sanmin.cli", "run", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    try:
        servers.wait_for_port(port, timeout=120, process=first)
        wait_until_serving(port)
        database = running_port(folder / "pgdata")
        assert database > 0

        second = sanmin(folder, "run", "--port", str(servers.free_port()))
        assert second.returncode != 0
        assert "另一个 sanmin run 正在使用数据文件夹" in second.stderr and "Traceback" not in second.stderr
        assert "已启动" not in second.stdout

        for command in (["verify"], ["staff", "list"]):
            assert sanmin(folder, *command).returncode == 0
        assert running_port(folder / "pgdata") == database
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/login")
        assert connection.getresponse().status == 200
        connection.close()

        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=60) == 0
        assert running_port(folder / "pgdata") == 0  # the first one's server stops with it
    finally:
        for pid in descendants(first.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if first.poll() is None:
            first.kill()
            first.wait()
        log.close()
        print((tmp_path / "run.log").read_text(errors="replace")[-3000:])
        if running_port(folder / "pgdata"):
            EmbeddedPostgres(folder / "pgdata", key_dir=folder / "keys").stop()
