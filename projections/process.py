"""``python -m projections.process`` — the read-model projection as its own process.

Reads ``Settings.from_environment()`` (DATABASE_URL, SANMIN_DATA_DIR), resumes after the position it
tracked last, writes until SIGTERM/SIGINT (then writes what is pending and exits 0).

A failure (a batch that could not be written, the event subscription cut, e.g. because PostgreSQL
restarted) does not end the process: the failed projector is closed without writing, and after a pause
(1 s, growing to 10 s while failures repeat) a new one reloads its state from the views and resumes after
the last committed batch. While another projector holds the views (``sanmin rebuild``, or a second
process) it waits the same way.

Views written by an older version (a column declared in ``projections.tables`` since) are first rebuilt from the events
(``projections.maintenance.upgrade_views``).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
import warnings
from types import FrameType

from projections.maintenance import upgrade_views
from projections.runner import ProjectionBusy, Projector
from storage import garbage_collection
from storage.bootstrap import build_app
from storage.refused import StartRefused
from storage.settings import Settings

PAUSES = (1.0, 2.0, 5.0, 10.0)
"""Seconds before the next attempt after 1, 2, 3, 4+ failures in a row."""
STEADY = 30.0
"""A projector that ran this long before failing starts the count of failures in a row again."""


class Supervisor:
    """Runs one projector after another until stopped; each resumes where the last committed batch left off."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.stopping = threading.Event()
        self.current: Projector | None = None

    def stop(self, signum: int = 0, frame: FrameType | None = None) -> None:
        self.stopping.set()
        if self.current is not None:
            self.current.stop()

    def run(self) -> int:
        failures = 0
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                self.run_once()
                return 0
            except ProjectionBusy as busy:
                print(f"{busy}，稍后再试", file=sys.stderr, flush=True)
            except Exception as failure:  # noqa: BLE001 - reported, then a new projector resumes
                print(f"读模型投影出错：{failure!r}；将从上次提交的位置继续", file=sys.stderr, flush=True)
            failures = 1 if time.monotonic() - started >= STEADY else failures + 1
            self.stopping.wait(PAUSES[min(failures, len(PAUSES)) - 1])
        return 0

    def run_once(self) -> None:
        """One projector, until stopped (returns) or failed (raises)."""
        build_app(self.settings).close()  # the event store's tables exist before the reader subscribes
        upgrade_views(self.settings, say=lambda line: print(line, flush=True))
        started = time.perf_counter()
        with Projector(self.settings) as projector:
            garbage_collection.settle()  # the views' state, just loaded, stays for the projector's life
            self.current = projector
            try:
                if self.stopping.is_set():
                    projector.stop()
                print(f"读模型投影已启动，从位置 {projector.projection.position} 之后继续", flush=True)
                projector.run_forever()
                p = projector.projection
            finally:
                self.current = None
        seconds = time.perf_counter() - started
        print(f"读模型投影已停止：{p.events} 个事件，{p.batches} 批，用时 {seconds:.0f} 秒", flush=True)


def main() -> int:
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        supervisor = Supervisor(Settings.from_environment())
    except StartRefused as refusal:
        print(refusal, file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, supervisor.stop)
    signal.signal(signal.SIGINT, supervisor.stop)
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())
