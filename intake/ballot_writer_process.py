"""投票写入进程（子进程一侧） — the ballot writer's own loop: batches in, one transaction, answers out.

Started by the web process (``intake.ballot_writer.BallotWriter``) with its end of a socket pair: batches
of ``CastRequest`` in, their answers out (``intake.wire``). When a transaction ends, every batch that
arrived meanwhile (up to ``BATCH_LIMIT`` ballots) goes into the next one: the web process sends without
waiting, and the child gathers. The child's application is ``IntakeApp``, which saves them all at once.
"""

from __future__ import annotations

import pickle
import selectors
import signal
import socket
import time
from collections import deque
from pathlib import Path

from intake.busy import Busy
from intake.fast_app import IntakeApp
from intake.wire import BATCH_LIMIT, HEADER, Answers, Request, WriterSettings, message
from storage import garbage_collection
from storage.bootstrap import build_app
from storage.settings import Settings

GAP = 0.04
"""Seconds from one transaction's start to the next's, at least, while fewer than ``BATCH_LIMIT`` wait:
each transaction has a fixed cost in this process, in PostgreSQL and in the projection that follows it."""


def serve(sock: socket.socket, given: WriterSettings) -> None:
    """The child: until the web process closes the socket. The application is made with the first batch,
    and again after a failure to make it (PostgreSQL down: that batch is answered with the failure, as the
    web process's own commands would be)."""
    # Ctrl+C reaches the whole process group; the web process ends this one by closing the socket.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    url, data_dir, secret, schema, pseudonym_secret = given
    settings = Settings(url, Path(data_dir), secret, schema=schema, pseudonym_secret=pseudonym_secret)
    inbox = Inbox(sock)
    app: IntakeApp | None = None
    began = 0.0
    try:
        while (batches := inbox.take(BATCH_LIMIT, until=began + GAP)) is not None:
            began = time.monotonic()
            try:
                if app is None:
                    app = build_app(settings, create_tables=False, pool_size=2, application=IntakeApp)
                    garbage_collection.settle()
                answer: Answers | BaseException = app.cast_ballots([r for b in batches for r in b])
            except Exception as failure:  # noqa: BLE001 - handed to the web process, which raises it
                answer = failure if _sendable(failure) else Busy()
            try:
                sock.sendall(b"".join(message(part) for part in _per_batch(answer, batches)))
            except OSError:  # the web process ended while this batch was written: it will be resent
                return
    finally:
        if app is not None:
            app.close()


class Inbox:
    """The batches received and not yet taken, read off the socket as they come."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.readable = selectors.DefaultSelector()  # epoll: select() refuses descriptors above 1,023,
        self.readable.register(sock, selectors.EVENT_READ)  # and the web process's 2,000 tablets use them
        self.buffer = bytearray()
        self.batches: deque[list[Request]] = deque()
        self.ballots = 0
        self.ended = False

    def take(self, most: int, until: float) -> list[list[Request]] | None:
        """Waits for a batch; then, until ``most`` ballots have come or the clock reads ``until``, for
        more. Takes the batches arrived, up to ``most`` ballots in all (a batch is never split). None once
        the web process closed the socket and every batch was taken."""
        while not self.batches and not self.ended:
            self._receive(timeout=None)
        while self.ballots < most and not self.ended and (left := until - time.monotonic()) > 0:
            self._receive(timeout=left)
        while self.ballots < most and not self.ended and self._receive(timeout=0.0):
            pass  # what else has arrived, while the web process keeps sending: never more than needed
        taken: list[list[Request]] = []
        count = 0
        while self.batches and (not taken or count + len(self.batches[0]) <= most):
            count += len(self.batches[0])
            taken.append(self.batches.popleft())
        self.ballots -= count
        return taken or None

    def _receive(self, timeout: float | None) -> bool:
        """Reads what has arrived, waiting up to ``timeout`` (None: until something has); False if
        nothing had. The socket stays blocking, as ``serve``'s ``sendall`` needs it."""
        if timeout is not None and not self.readable.select(timeout):
            return False
        try:
            data = self.sock.recv(1 << 20)
        except OSError:
            data = b""
        if not data:
            self.ended = True
            return False
        self.buffer += data
        while len(self.buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self.buffer)
            if len(self.buffer) < HEADER.size + size:
                break
            batch = pickle.loads(self.buffer[HEADER.size : HEADER.size + size])
            del self.buffer[: HEADER.size + size]
            self.batches.append(batch)
            self.ballots += len(batch)
        return True


def _per_batch(answer: Answers | BaseException, batches: list[list[Request]]) -> list[object]:
    """Each batch's own answers (a failure is every batch's)."""
    if isinstance(answer, BaseException):
        return [answer for _ in batches]
    parts: list[object] = []
    for batch in batches:
        parts.append(answer[: len(batch)])
        answer = answer[len(batch) :]
    return parts


def _sendable(failure: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(failure))
    except Exception:  # noqa: BLE001 - any failure to cross the socket
        return False
    return True
