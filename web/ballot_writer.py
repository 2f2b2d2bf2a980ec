"""投票写入进程 — the ballots of one web process are checked and saved in a process of its own.

Checking and saving a batch (``EvaluationApp.cast_ballots``) is plain Python; run in a thread of the web
process it held the GIL the event loop needs to parse, route and answer requests (at 2,000 tablets about a
third of the web process's time per ballot). Here it runs in a child process, free to use the other core:
the BallotBox (web/group_commit.py) hands each batch over a pipe and waits for the answers in its worker
thread, never on the event loop. The rules, the transaction and the answers are exactly those of
``cast_ballots``; only where it runs changed.

The child starts with the first batch (about a second), keeps its aggregates between batches, and ends
when the pipe closes (its web process ended). If it dies, the batch it held is answered ``busy`` (503: the
tablet sends the same ballot again with the same client id, so it counts once) and the next batch starts a
new child.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from evaluation.application import EvaluationApp
from evaluation.errors import EvaluationError
from evaluation.voting import Busy, CastRequest, Receipt
from storage import heap
from storage.bootstrap import build_app
from storage.settings import Settings

Answers = list[Receipt | EvaluationError]
Store = tuple[str, str, bytes, str]
"""What the child needs of the settings: database URL, data folder, secret, schema."""


class BallotWriter:
    """The web process's side: ``cast_ballots`` as the domain has it, run in the child."""

    def __init__(self, settings: Settings) -> None:
        self.store: Store = (settings.database_url, str(settings.data_dir), settings.secret, settings.schema)
        self.lock = threading.Lock()
        self.process: BaseProcess | None = None
        self.pipe: Connection | None = None

    def cast_ballots(self, requests: list[CastRequest]) -> Answers:
        """Blocking (call it from a thread); raises what ``cast_ballots`` raised, or ``Busy`` if the child died."""
        with self.lock:
            pipe = self._pipe()
            try:
                pipe.send(requests)
                answer: Answers | BaseException = pipe.recv()
            except (EOFError, OSError) as gone:
                self._stop()
                raise Busy() from gone
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def close(self) -> None:
        with self.lock:
            self._stop()

    def _pipe(self) -> Connection:
        if self.pipe is None or self.process is None or not self.process.is_alive():
            self._stop()
            context = multiprocessing.get_context("spawn")
            self.pipe, theirs = context.Pipe()
            self.process = context.Process(target=serve, args=(theirs, self.store), name="ballot-writer")
            self.process.daemon = True
            self.process.start()
            theirs.close()
        return self.pipe

    def _stop(self) -> None:
        if self.pipe is not None:
            self.pipe.close()
        if self.process is not None:
            self.process.join(timeout=5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        self.pipe = self.process = None


def serve(pipe: Connection, store: Store) -> None:
    """The child: one batch in, its answers out, until the web process closes the pipe. The application is
    made with the first batch, and again after a failure to make it (PostgreSQL down: that batch is answered
    with the failure, as the web process's own commands would be)."""
    # Ctrl+C reaches the whole process group; the web process ends this one by closing the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    url, data_dir, secret, schema = store
    settings = Settings(url, Path(data_dir), secret, schema=schema)
    app: EvaluationApp | None = None
    try:
        while True:
            try:
                requests = pipe.recv()
            except EOFError:
                return
            try:
                if app is None:
                    app = build_app(settings, create_tables=False, pool_size=2)
                    heap.settle()
                answer: Answers | BaseException = app.cast_ballots(requests)
            except Exception as failure:  # noqa: BLE001 - handed to the web process, which raises it
                answer = failure if _sendable(failure) else Busy()
            try:
                pipe.send(answer)
            except OSError:  # the web process ended while this batch was written: it will be resent
                return
    finally:
        if app is not None:
            app.close()


def _sendable(failure: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(failure))
    except Exception:  # noqa: BLE001 - any failure to cross the pipe
        return False
    return True
