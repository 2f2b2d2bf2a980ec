"""Starting the real processes a benchmark measures: uvicorn (the platform or the trivial baseline) and the
projection process, each as its own OS process on this machine, against one PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from storage.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": settings.database_url,
            "SANMIN_DATA_DIR": str(settings.data_dir),
            "SANMIN_SCHEMA": settings.schema,
            "SANMIN_SECRET": settings.secret.decode(),
        }
    )
    return env


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


@contextmanager
def uvicorn(app: str, settings: Settings, port: int, workers: int = 1) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--backlog",
        "4096",
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, env=environment(settings))
    try:
        wait_for_port(port)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def projection(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen([sys.executable, "-m", "projections.process"], env=environment(settings))
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
