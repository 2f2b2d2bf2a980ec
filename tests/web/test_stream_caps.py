"""大屏推送连接上限 — the attack: one client opens projector streams until the process runs out of
connections and the hall's tablets cannot connect. Streams over the cap per client address (429) or in all
(503) are answered at once with a plain message, and a stream that ends gives its slot back."""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from starlette.testclient import TestClient

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import SmallRound
from tests.web.conftest import Web, running
from web.platform.stream_caps import PER_CLIENT_MESSAGE, TOTAL_MESSAGE, StreamCaps, StreamLimits

EVENTS = "/projector/r2026/events"


@pytest.fixture
def capped(settings: Settings, app: EvaluationApp, small_round: SmallRound) -> Iterator[Web]:
    yield from running(settings, app, small_round, streams=StreamLimits(per_client=3, total=5))


def opened(streams: ExitStack, client: TestClient, count: int) -> list[httpx.Response]:
    return [streams.enter_context(client.stream("GET", EVENTS)) for _ in range(count)]


def test_a_client_opening_more_streams_than_its_cap_is_refused_at_once(capped: Web) -> None:
    with ExitStack() as streams:
        held = opened(streams, capped.client, 3)
        assert [r.status_code for r in held] == [200, 200, 200]
        started = time.perf_counter()
        over = capped.get(EVENTS)
        assert over.status_code == 429 and over.text == PER_CLIENT_MESSAGE
        assert time.perf_counter() - started < 2
        assert capped.get("/login").status_code == 200  # the rest of the site still answers
    deadline = time.monotonic() + 10
    while capped.client.app.state.stream_caps.open and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.05)
    with ExitStack() as streams:  # the closed streams gave their slots back
        assert [r.status_code for r in opened(streams, capped.client, 3)] == [200, 200, 200]


def test_streams_over_the_process_total_are_refused_whoever_asks() -> None:
    caps = StreamCaps(StreamLimits(per_client=3, total=5))
    for client in ["10.0.0.1"] * 3 + ["10.0.0.2"] * 2:
        assert caps.refusal(client) is None
    per_client, total = caps.refusal("10.0.0.1"), caps.refusal("10.0.0.3")
    assert per_client is not None and per_client.status_code == 429
    assert total is not None and total.status_code == 503 and total.body.decode() == TOTAL_MESSAGE
    caps.release("10.0.0.2")
    assert caps.refusal("10.0.0.3") is None and caps.open["10.0.0.3"] == 1


def test_the_caps_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANMIN_STREAMS_PER_CLIENT", "4")
    monkeypatch.setenv("SANMIN_STREAMS_TOTAL", "abc")
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert StreamLimits.from_environment() == StreamLimits(per_client=4, total=soft // 2)
    monkeypatch.setenv("SANMIN_STREAMS_TOTAL", "300")
    assert StreamLimits.from_environment().total == 300
