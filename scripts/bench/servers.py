"""Starting the real processes a benchmark measures: uvicorn (the platform or the trivial baseline) and the
projection process, each as its own OS process on this machine, against one PostgreSQL.

The context managers serve the benchmarks; ``start_uvicorn`` / ``start_projection`` / ``stop`` give the
fault harness (scripts/bench/faults.py) processes it can kill and start again."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO

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
            "SANMIN_PSEUDONYM_SECRET": (settings.pseudonym_secret or settings.secret).decode(),
        }
    )
    if settings.replica_url:  # the public read path from the hot standby (web/platform/standby.py)
        env["DATABASE_REPLICA_URL"] = settings.replica_url
    # the benchmarks' thousands of projector viewers all come from 127.0.0.1: the per-address cap is lifted
    env.setdefault("SANMIN_STREAMS_PER_CLIENT", "1000000")
    # nor a process's total (half its file limit): uvicorn's workers share the port unevenly, and one of
    # two may be handed more than half of 20,000 viewers
    env.setdefault("SANMIN_STREAMS_TOTAL", "1000000")
    # their tablets amend every second or so, far faster than people: the per-representative pace is lifted
    env.setdefault("SANMIN_BALLOTS_PER_MINUTE", "1000000")
    return env


def wait_for_port(port: int, timeout: float = 30.0, process: subprocess.Popen[bytes] | None = None) -> None:
    """Until something listens on ``port``; fails at once if ``process`` (the one meant to listen) exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server meant for port {port} exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


def start_uvicorn(
    app: str, settings: Settings, port: int, workers: int = 1, output: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """uvicorn serving ``app`` on 127.0.0.1:``port``, returned once it listens (``output``: its log)."""
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
        "--no-access-log",  # as `sanmin run` serves (sanmin/serving.py)
        "--backlog",
        "4096",
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, env=environment(settings), stdout=output, stderr=output)
    try:
        wait_for_port(port, process=process)
    except BaseException:
        stop(process)
        raise
    return process


def start_projection(settings: Settings, output: IO[bytes] | None = None) -> subprocess.Popen[bytes]:
    """``python -m projections.process`` against ``settings`` (``output``: its log)."""
    return subprocess.Popen(
        [sys.executable, "-m", "projections.process"],
        env=environment(settings),
        stdout=output,
        stderr=output,
    )


def stop(process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """SIGTERM, then SIGKILL if it has not exited within ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def uvicorn(app: str, settings: Settings, port: int, workers: int = 1) -> Iterator[subprocess.Popen[bytes]]:
    process = start_uvicorn(app, settings, port, workers)
    try:
        yield process
    finally:
        stop(process)


@contextmanager
def projection(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    process = start_projection(settings)
    try:
        yield process
    finally:
        stop(process)


def standby_of(base: Settings) -> Settings:
    """``base`` with a hot standby: ``DATABASE_REPLICA_URL``'s if set, else a local one of the embedded
    primary (``sanmin replica start``'s, in the data folder's ``replica/``)."""
    if base.replica_url:
        return base
    if base.embedded is None:
        raise SystemExit("DATABASE_URL names your own PostgreSQL: give its standby as DATABASE_REPLICA_URL")
    from storage.replica import EmbeddedStandby

    standby = EmbeddedStandby(base.embedded, base.data_dir / "replica").start()
    return replace(base, replica_url=standby.url)


@contextmanager
def embedded_stopped_after(data_dir: Path) -> Iterator[None]:
    """The embedded primary (``data_dir/pgdata``) and its standby (``data_dir/replica``, ``standby_of``'s)
    stopped at the end, standby first, if they were not running at the start: a benchmark leaves no server
    it started behind, and those it found (a ``sanmin run`` beside it) running."""
    from storage.embedded import EmbeddedPostgres, running_port
    from storage.keyfiles import key_folder
    from storage.replica import EmbeddedStandby

    primary = EmbeddedPostgres(data_dir / "pgdata", key_dir=key_folder(data_dir))
    standby = EmbeddedStandby(primary, data_dir / "replica")
    found = running_port(standby.data_dir), running_port(primary.data_dir)
    try:
        yield
    finally:
        if not found[0]:
            standby.stop()
        if not found[1]:
            primary.stop()


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory so far (VmHWM) of the process or, if it runs uvicorn's workers, of its
    largest worker, in MB. A web process's ballot writer (intake/ballot_writer.py) is counted apart: ``writer_peak_rss_mb``."""
    workers = _workers(pid)
    if workers:
        return max(_own_peak(worker) for worker in workers)
    return _own_peak(pid)


def writer_peak_rss_mb(pid: int) -> float:
    """The largest peak RSS (MB) among the ballot writers of the web process(es) under ``pid``; 0 if none ran."""
    webs = _workers(pid) or [pid]
    writers = [child for web in webs for child in _children(web) if not _is_tracker(child)]
    return max((_own_peak(writer) for writer in writers), default=0.0)


def _workers(pid: int) -> list[int]:
    """uvicorn's worker processes when ``pid`` is its supervisor (``--workers`` > 1), else none."""
    if b"--workers\x001\x00" in Path(f"/proc/{pid}/cmdline").read_bytes():
        return []
    return [child for child in _children(pid) if not _is_tracker(child)]


def _children(pid: int) -> list[int]:
    """Children of every thread of ``pid`` (the ballot writer is started from a worker thread)."""
    tasks = Path(f"/proc/{pid}/task").iterdir()
    return sorted({int(child) for task in tasks for child in (task / "children").read_text().split()})


def _is_tracker(pid: int) -> bool:
    """multiprocessing's resource tracker, started beside a spawned child."""
    return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()


def _own_peak(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
