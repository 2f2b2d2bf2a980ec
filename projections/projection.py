"""读模型投影 — follows the application's events and keeps the view tables current, in batches.

The library's ``ProjectionRunner`` hands events one at a time to ``process_event``, which only
buffers them. A batch is written when ``max_batch`` events are pending (by the runner's thread, which
then waits: back-pressure) or ``linger`` seconds after the first pending event (by a timer thread),
so a catch-up writes thousands of events per transaction and a lone ballot shows within ~50 ms.
Each batch is folded and counted in Python first, then written in one short transaction with its
tracking position (the last event's notification id). After a failed batch the projection refuses
further events: the in-memory state may be ahead of the database, so it must be restarted (it then
reloads from the views and resumes after the tracked position).
"""

from __future__ import annotations

import threading
import time
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from projections.batch import build_batch
from projections.changes import Changes
from projections.fold import fold
from projections.view_store import ViewRecorder


class ProjectionStopped(RuntimeError):
    """The projection failed on a batch (``__cause__``) or was closed; it takes no more events."""


class ViewsProjection(Projection[ViewRecorder]):
    """三民读模型 — tracking table ``views_tracking``; environment prefix ``VIEWS_``."""

    name = "views"
    max_batch = 5_000
    linger = 0.03

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A subclass (e.g. with other batch sizes) writes the same views and tracking row."""
        if "name" not in cls.__dict__:
            cls.name = ViewsProjection.name
        super().__init_subclass__(**kwargs)

    def __init__(self, view: ViewRecorder) -> None:
        super().__init__(view)
        self.state, self.position = view.load_state()
        self.failure: BaseException | None = None
        self.batches = 0
        self.events = 0
        self._pending: list[tuple[DomainEventProtocol[UUID], int]] = []
        self._pending_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._progress = threading.Condition()
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._timer = threading.Thread(target=self._timer_loop, name="views-flush", daemon=True)
        self._timer.start()

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Buffer one event; write the buffer now if it is full."""
        if self.failure is not None or self._closed.is_set():
            raise ProjectionStopped("投影已停止") from self.failure
        with self._pending_lock:
            self._pending.append((domain_event, tracking.notification_id))
            size = len(self._pending)
        if size == 1:
            self._wake.set()
        if size >= self.max_batch:
            self.flush()

    def flush(self) -> None:
        """Fold, count and write everything pending, as one batch (one at a time, in order)."""
        with self._flush_lock:
            if self.failure is not None:
                raise ProjectionStopped("投影已停止") from self.failure
            with self._pending_lock:
                pending, self._pending = self._pending, []
            if not pending:
                return
            try:
                self._write(pending)
            except BaseException as error:
                self._fail(error)
                raise

    def _write(self, pending: list[tuple[DomainEventProtocol[UUID], int]]) -> None:
        changes = Changes()
        for event, position in pending:
            fold(self.state, changes, event, position)
        batch = build_batch(self.state, changes, pending[-1][1], len(pending))
        self.view.write(batch)
        with self._progress:
            self.position = batch.position
            self.batches += 1
            self.events += len(pending)
            self._progress.notify_all()

    def _fail(self, error: BaseException) -> None:
        with self._progress:
            self.failure = error
            self._closed.set()
            self._progress.notify_all()

    def _timer_loop(self) -> None:
        while not self._closed.is_set():
            if not self._wake.wait(timeout=0.5):
                continue
            self._wake.clear()
            if self._closed.wait(self.linger):
                return
            try:
                self.flush()
            except BaseException:  # noqa: BLE001 - recorded in self.failure, raised to the runner and waiters
                return

    def wait(self, position: int, timeout: float = 10.0) -> None:
        """Block until the views include the event at ``position``; re-raise a batch failure."""
        deadline = time.monotonic() + timeout
        with self._progress:
            while self.position < position:
                if self.failure is not None:
                    raise ProjectionStopped("投影已停止") from self.failure
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"读模型在 {timeout} 秒内未到达位置 {position}（当前 {self.position}）"
                    )
                self._progress.wait(remaining)

    def close(self, flush: bool = True) -> None:
        """Stop the timer; write what is pending unless the projection failed or ``flush`` is false."""
        if flush and self.failure is None:
            self.flush()
        self._closed.set()
        self._wake.set()
        self._timer.join()
