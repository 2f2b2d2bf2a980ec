"""故障注入的对象 — the processes the crash harness (``scripts.bench.faults``) runs, kills and starts again.

The web server and the projection process are its children, each writing its output to a log file in the
harness's folder; PostgreSQL is the harness's own embedded server, restarted (every connection cut) or
crashed (an immediate stop, then crash recovery from the write-ahead log).
"""

from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.bench import servers
from storage.embedded import EmbeddedPostgres
from storage.settings import Settings


@dataclass
class Platform:
    """The processes under test, each of which the harness may kill and start again."""

    settings: Settings
    database: EmbeddedPostgres
    port: int
    logs: Path
    web: subprocess.Popen[bytes] | None = None
    projection: subprocess.Popen[bytes] | None = None

    def _log(self, name: str) -> Any:
        return (self.logs / f"{name}.log").open("ab")

    def start_web(self) -> None:
        with self._log("web") as log:
            self.web = servers.start_uvicorn("web.main:app", self.settings, self.port, output=log)

    def start_projection(self) -> None:
        with self._log("projection") as log:
            self.projection = servers.start_projection(self.settings, output=log)

    def stop_projection(self) -> None:
        if self.projection is not None:
            servers.stop(self.projection)

    def inject(self, fault: str) -> None:
        """Blocking: the fault, and the restart of what it killed."""
        if fault == "web":
            assert self.web is not None
            _kill(self.web)
            self.start_web()
        elif fault == "projection":
            assert self.projection is not None
            _kill(self.projection)
            self.start_projection()
        elif fault == "database":
            self.database.restart()
        elif fault == "database-crash":
            self._crash_database()
        else:
            raise ValueError(fault)

    def _crash_database(self) -> None:
        """``pg_ctl stop -m immediate`` (every server process quits at once, no checkpoint), then start:
        the server recovers from its write-ahead log, as after a power cut."""
        from storage.embedded import pg

        folder = self.database.data_dir
        pg.pg_ctl(
            ["-w", "-m", "immediate", "stop"], pgdata=folder, user=self.database._system_user(), timeout=60
        )
        self.database.start()

    def exited(self) -> list[str]:
        """The processes that died without the harness killing them."""
        return [
            f"{name} exited with {process.returncode}"
            for name, process in (("web", self.web), ("projection", self.projection))
            if process is not None and process.poll() is not None
        ]

    def stop(self) -> None:
        for process in (self.web, self.projection):
            if process is not None:
                servers.stop(process)
        self.database.stop()


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
