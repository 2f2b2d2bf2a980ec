"""投票写入进程 — the ballots of one web process are checked and saved in a process of its own.

Checking and saving a batch (``IntakeApp.cast_ballots``) is plain Python; run in a thread of the web
process it held the GIL the event loop needs to parse, route and answer requests (at 2,000 tablets about a
third of the web process's time per ballot). Here it runs in a child process
(``intake.ballot_writer_process``), free to use the other core. The rules, the transaction and the answers are
exactly those of ``cast_ballots``; only where it runs changed.

The two talk over a socket pair, from the event loop itself (asyncio streams), in messages: a batch of
requests goes out at once, without waiting for the answers to the batches before it, and the answers come
back in the order the batches went. So the child never waits for the web process between two
transactions: when it finishes one, it takes every batch that arrived meanwhile into the next (group
commit). Before, each batch was handed over from a worker thread and the next one sent only after its
answers: at 2,000 ballots/s the hand-overs (to a worker thread and back, the pickling there waiting for
the event loop's GIL, the pipe each way) took 19 of each batch's 79 ms, in which the child saved nothing.

The child starts with the first batch (about a second), keeps its aggregates between batches, and ends
when the socket closes (its web process ended). If it dies, the batches it held are answered ``busy``
(503: the tablet sends the same ballot again with the same client id, so it counts once) and the next
batch starts a new child.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import pickle
import socket
from collections import deque
from multiprocessing.process import BaseProcess

from intake.ballot_writer_process import serve
from intake.busy import Busy
from intake.wire import HEADER, Answers, Request, WriterSettings, message
from storage.settings import Settings


class BallotWriter:
    """The web process's side: ``IntakeApp.cast_ballots``, run in the child."""

    def __init__(self, settings: Settings) -> None:
        self.given: WriterSettings = (
            settings.database_url,
            str(settings.data_dir),
            settings.secret,
            settings.schema,
            settings.pseudonym_secret,
        )
        self.sending = asyncio.Lock()
        self.process: BaseProcess | None = None
        self.link: Link | None = None

    async def cast_ballots(self, requests: list[Request]) -> Answers:
        """Raises what ``cast_ballots`` raised, or ``Busy`` if the child died before answering. Several
        calls may wait at once: their batches are written in the order of the calls."""
        async with self.sending:  # first come, first written, even while a new child starts
            link = await self._link()
            answer = link.send(requests)
        result = await answer
        if isinstance(result, BaseException):
            raise result
        return result

    async def close(self) -> None:
        async with self.sending:
            await self._stop()

    async def _link(self) -> Link:
        if self.link is None or self.link.broken or self.process is None or not self.process.is_alive():
            await self._stop()
            ours, theirs = socket.socketpair()
            context = multiprocessing.get_context("spawn")
            self.process = context.Process(target=serve, args=(theirs, self.given), name="ballot-writer")
            self.process.daemon = True
            await asyncio.to_thread(self.process.start)
            theirs.close()
            self.link = await Link.open(ours)
        return self.link

    async def _stop(self) -> None:
        if self.link is not None:
            await self.link.close()
        if (process := self.process) is not None:
            await asyncio.to_thread(process.join, 5)  # it ends when its socket closes
            if process.is_alive():
                process.kill()
                await asyncio.to_thread(process.join)
        self.link = self.process = None


class Link:
    """One child's socket: batches out, and a task reading the answers back in order."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.waiting: deque[asyncio.Future[Answers | BaseException]] = deque()
        self.broken = False
        self.task = asyncio.create_task(self._answers())

    @classmethod
    async def open(cls, sock: socket.socket) -> Link:
        reader, writer = await asyncio.open_connection(sock=sock)
        return cls(reader, writer)

    def send(self, requests: list[Request]) -> asyncio.Future[Answers | BaseException]:
        self.writer.write(message(requests))
        answer: asyncio.Future[Answers | BaseException] = asyncio.get_running_loop().create_future()
        self.waiting.append(answer)  # ``_link`` saw it unbroken, with no await since
        return answer

    async def _answers(self) -> None:
        try:
            while True:
                (size,) = HEADER.unpack(await self.reader.readexactly(HEADER.size))
                answer = pickle.loads(await self.reader.readexactly(size))
                future = self.waiting.popleft()  # answers come in the order the batches went
                if not future.done():
                    future.set_result(answer)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass  # the child ended (or was killed) holding the batches still waiting
        finally:
            self.broken = True
            self._fail_waiting()

    def _fail_waiting(self) -> None:
        while self.waiting:
            if not (future := self.waiting.popleft()).done():
                future.set_result(Busy())

    async def close(self) -> None:
        self.writer.close()
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError, OSError):
            await self.task
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()
