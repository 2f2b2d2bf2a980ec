"""The ballot writer's own side: the batches that arrived while a transaction ran go into the next one."""

from __future__ import annotations

import os
import resource
import socket
import time
from collections.abc import Iterator
from uuid import uuid4

import pytest

from evaluation.voting import CastRequest
from intake.ballot_writer_process import Inbox, _per_batch
from intake.wire import message


def batch(size: int) -> list[CastRequest]:
    return [CastRequest(uuid4(), "fgw", f"inbox-{i:04d}", "satisfied") for i in range(size)]


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    web, child = socket.socketpair()
    yield web, child
    web.close()
    child.close()


def test_every_batch_already_arrived_is_taken_together_up_to_the_most_ballots(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    web, child = pair
    sent = [batch(3), batch(2), batch(4)]
    web.sendall(b"".join(message(b) for b in sent))
    inbox = Inbox(child)
    first = inbox.take(6, until=0.0)
    assert first is not None and [len(b) for b in first] == [3, 2]  # the third would make 9: never split
    assert [r.client_id for r in first[0]] == [r.client_id for r in sent[0]]
    second = inbox.take(6, until=0.0)
    assert second is not None and [len(b) for b in second] == [4]
    assert child.gettimeout() is None  # still blocking: the answers are written with sendall


def test_a_batch_larger_than_the_most_is_taken_whole_and_alone(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    web, child = pair
    web.sendall(message(batch(8)) + message(batch(1)))
    taken = Inbox(child).take(6, until=0.0)
    assert taken is not None and [len(b) for b in taken] == [8]


def test_until_its_time_the_inbox_waits_for_more_batches(pair: tuple[socket.socket, socket.socket]) -> None:
    web, child = pair
    web.sendall(message(batch(1)))
    inbox = Inbox(child)
    started = time.monotonic()
    taken = inbox.take(100, until=started + 0.2)
    assert taken is not None and len(taken) == 1
    assert time.monotonic() - started >= 0.2


def test_a_socket_numbered_beyond_what_select_takes_is_read(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    """The child inherits its socket's number from the web process, which has a descriptor per tablet."""
    web, child = pair
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    top = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    if top <= 1024:
        pytest.skip("this machine allows no descriptor above 1,023")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, top), hard))
    high = socket.socket(fileno=os.dup2(child.fileno(), top - 1))
    try:
        web.sendall(message(batch(2)) + message(batch(1)))
        taken = Inbox(high).take(100, until=time.monotonic() + 0.05)
        assert taken is not None and [len(b) for b in taken] == [2, 1] and high.fileno() > 1023
    finally:
        high.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_closed_socket_ends_the_inbox_once_its_batches_are_taken(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    web, child = pair
    web.sendall(message(batch(2)))
    web.close()
    inbox = Inbox(child)
    taken = inbox.take(100, until=time.monotonic() + 5)
    assert taken is not None and [len(b) for b in taken] == [2]
    assert inbox.take(100, until=time.monotonic() + 5) is None


def test_each_batch_gets_its_own_answers_and_a_failure_is_every_batchs() -> None:
    batches = [batch(2), batch(1)]
    assert _per_batch(["a", "b", "c"], batches) == [["a", "b"], ["c"]]  # type: ignore[arg-type]
    failure = RuntimeError("down")
    assert _per_batch(failure, batches) == [failure, failure]
