"""网络评议的频率限制由所有 web 进程共享 — the online channel's limits hold across web processes and restarts.

The attack: behind a load balancer that spreads requests over several web processes (``sanmin run --workers
N``), someone asks for SMS codes, tries sign-ins or sends ballots alternately to each process. With a bucket in
each process's memory every process would admit its own burst (N times the limit); the buckets kept in
PostgreSQL (web/platform/shared_buckets.py) refuse the request after the shared burst, with 429
``too_many_submissions`` and ``Retry-After``, and a restarted process still remembers them. Two processes'
concurrent takes of a bucket's last tokens never admit one too many.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from evaluation.application import EvaluationApp
from storage.settings import Settings
from tests.conftest import ORGANISER, SmallRound
from tests.integration.test_projection_helpers import query
from tests.web.conftest import Web, running
from tests.web.test_online_pages import follow_link, form_token, online, page, score
from web.app import create_app
from web.platform.buckets import Buckets, Pace
from web.platform.database import ReadModels
from web.platform.errors import TooManySubmissions
from web.platform.shared_buckets import PRUNE, RateBuckets
from web.platform.sms import FileOutbox
from web.public.online_pace import OnlineLimits, OnlinePace

__all__ = ["online"]  # the fixture: the round's online period is open

TIGHT = OnlineLimits(
    sign_ins=Pace(burst=4, per_minute=1),
    codes_per_phone=Pace(burst=3, per_minute=1),
    codes_per_address=Pace(burst=5, per_minute=1),
    ballots=Pace(burst=3, per_minute=1),
)
"""Bursts small enough to reach in a test, refills slow enough not to matter while it runs."""


def serving(web: Web, outbox: Path) -> Web:
    """This process with the tight limits and the SMS outbox file (each process builds its own objects
    over the shared database and file)."""
    state = web.client.app.state  # type: ignore[attr-defined]
    state.sms = FileOutbox(outbox)
    state.online_pace = OnlinePace(state.rate_buckets, TIGHT)
    return web


def another_process(settings: Settings, site: Web, outbox: Path) -> Iterator[Web]:
    with TestClient(create_app(settings)) as client:
        yield serving(Web(client, site.commands, site.projector, site.round), outbox)


@pytest.fixture
def site(
    settings: Settings, app: EvaluationApp, small_round: SmallRound, online: object, tmp_path: Path
) -> Iterator[Web]:
    for web in running(settings, app, small_round):
        yield serving(web, tmp_path / "sms.jsonl")


@pytest.fixture
def other(settings: Settings, site: Web, tmp_path: Path) -> Iterator[Web]:
    """A second web process over the same database, as behind nginx."""
    yield from another_process(settings, site, tmp_path / "sms.jsonl")


def ask_code(web: Web, phone: str) -> httpx.Response:
    return web.client.post(
        "/online/r2026/phone", data={"phone": phone, "csrf": form_token(web)}, follow_redirects=False
    )


def sms_sent(outbox: Path) -> list[str]:
    lines = outbox.read_text(encoding="utf-8").splitlines() if outbox.exists() else []
    return [json.loads(line)["phone"] for line in lines]


def assert_refused_for_now(answer: httpx.Response) -> None:
    assert answer.status_code == 429, answer.status_code
    assert "too_many_submissions" in answer.text
    assert 1 <= int(answer.headers["retry-after"]) <= 60


def test_sms_codes_asked_alternately_from_two_processes_stop_at_the_shared_limit_per_address(
    site: Web, other: Web, tmp_path: Path
) -> None:
    phones = [f"139000001{n:02d}" for n in range(8)]
    answers = [ask_code((site, other)[n % 2], phone) for n, phone in enumerate(phones)]
    assert [a.status_code for a in answers[:5]] == [303] * 5  # 5 at once from one address, in all
    for refused in answers[5:]:
        assert_refused_for_now(refused)
    assert sms_sent(tmp_path / "sms.jsonl") == phones[:5]  # no SMS paid for beyond the limit


def test_per_process_buckets_would_have_let_the_same_requests_through() -> None:
    """What the shared buckets replace: each process's own bucket admits its own burst."""
    first, second = Buckets(TIGHT.codes_per_address), Buckets(TIGHT.codes_per_address)
    admitted = 0
    for n in range(8):
        try:
            (first, second)[n % 2].take("address", "testclient")
            admitted += 1
        except TooManySubmissions:
            pass
    assert admitted == 8  # 4 per process: none refused, where the shared limit refuses 3


def test_codes_for_one_phone_from_two_processes_stop_at_the_shared_limit_per_phone(
    site: Web, other: Web, tmp_path: Path
) -> None:
    said = []
    for n in range(4):
        web = (site, other)[n % 2]
        assert ask_code(web, "13900000201").status_code == 303  # the page says why (as today)
        said.append(page(web).text)
    # the domain sends the first code and refuses the next two (one a minute); the fourth request is past
    # the phone's shared bucket (3 at once) and never reaches the domain
    assert ["验证码已发送，请" in text for text in said[1:3]] == [True, True]
    assert "提交太频繁" in said[3] and "提交太频繁" not in said[2]
    assert sms_sent(tmp_path / "sms.jsonl") == ["13900000201"]


def test_sign_ins_alternating_between_two_processes_stop_at_the_shared_limit_per_address(
    site: Web, other: Web
) -> None:
    codes = site.commands.invite_online("r2026", 6, by=ORGANISER)
    answers = []
    for n, code in enumerate(codes):
        web = (site, other)[n % 2]
        web.client.cookies.clear()
        answers.append(follow_link(web, code))
    assert [a.status_code for a in answers[:4]] == [303] * 4
    for refused in answers[4:]:
        assert_refused_for_now(refused)


def test_ballots_of_one_identity_sent_to_two_processes_stop_at_the_shared_limit(
    site: Web, other: Web, settings: Settings
) -> None:
    [code] = site.commands.invite_online("r2026", 1, by=ORGANISER)
    follow_link(site, code)
    cookie = site.client.cookies.get("sanmin")
    assert cookie is not None
    other.client.cookies.set("sanmin", cookie)  # the same phone's session; nginx sends it either way
    answers = [score((site, other)[n % 2], "fgw", "satisfied") for n in range(5)]
    assert [a.status_code for a in answers[:3]] == [200] * 3
    for refused in answers[3:]:
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "too_many_submissions"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert score(site, "swj", "satisfied").status_code == 200  # another department has its own bucket
    site.sync()
    assert query(settings, "SELECT count(*) AS n FROM online_ballots_view") == [{"n": 2}]


def test_a_restarted_process_remembers_the_buckets(settings: Settings, site: Web, tmp_path: Path) -> None:
    outbox = tmp_path / "sms.jsonl"
    for web in another_process(settings, site, outbox):
        for n in range(5):
            assert ask_code(web, f"139000003{n:02d}").status_code == 303
    for restarted in another_process(settings, site, outbox):
        assert_refused_for_now(ask_code(restarted, "13900000399"))
    assert len(sms_sent(outbox)) == 5


def test_the_table_names_no_phone_and_no_address(site: Web, settings: Settings) -> None:
    ask_code(site, "13900000401")
    keys = [row["key"] for row in query(settings, "SELECT key FROM web_rate_buckets")]
    assert len(keys) == 2 and not any("13900000401" in k or "testclient" in k for k in keys)


async def admitted(take: Awaitable[None]) -> bool:
    try:
        await take
        return True
    except TooManySubmissions:
        return False


async def test_concurrent_takes_of_the_last_tokens_from_two_pools_never_over_admit(
    settings: Settings, app: EvaluationApp
) -> None:
    """Two processes' pools (10 connections each) take the same bucket 40 times at once."""
    first, second = await ReadModels.connect(settings), await ReadModels.connect(settings)
    try:
        tables = [RateBuckets(first, b"secret"), RateBuckets(second, b"secret")]
        await tables[0].create_table()
        pace = Pace(burst=7, per_minute=0.01)  # no token comes back while the test runs
        limits = [table.limit("race", pace) for table in tables]

        async def race(key: str) -> int:
            return sum(await asyncio.gather(*(admitted(limits[n % 2].take(key)) for n in range(40))))

        assert await race("unused") == 7  # a new bucket: its whole burst, not one more
        for _ in range(5):
            await limits[0].take("used")
        assert await race("used") == 2  # the last two tokens
        assert await race("used") == 0
    finally:
        await first.close()
        await second.close()


async def test_a_bucket_full_again_is_pruned_and_a_used_one_kept(
    settings: Settings, app: EvaluationApp
) -> None:
    reads = await ReadModels.connect(settings)
    try:
        table = RateBuckets(reads, b"secret")
        await table.create_table()
        await table.limit("quick", Pace(burst=1, per_minute=600)).take("a")  # full again after 0.1 s
        await table.limit("slow", Pace(burst=3, per_minute=1)).take("b")
        await asyncio.sleep(0.2)
        await reads.execute(PRUNE)
        assert await reads.fetchval("SELECT count(*) FROM web_rate_buckets") == 1
    finally:
        await reads.close()


async def test_takes_arriving_together_go_in_one_batch_each_answered_as_if_alone(
    settings: Settings, app: EvaluationApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process's takes waiting at once share statements (one per pace, and per repeat of a key); each
    answer is the one the take would have had alone, in the order the takes came."""
    reads = await ReadModels.connect(settings)
    try:
        table = RateBuckets(reads, b"secret")
        await table.create_table()
        batches: list[int] = []
        take_all = table.together.work

        async def counted(takes: list[tuple[str, Pace]]) -> list[float | None]:
            batches.append(len(takes))
            return await take_all(takes)

        monkeypatch.setattr(table.together, "work", counted)
        two, one = table.limit("two", Pace(burst=2, per_minute=0.01)), table.limit("one", Pace(1, 0.01))
        takes = [two.take("same") for _ in range(4)]
        takes += [two.take(f"k{n}") for n in range(10)] + [one.take("same"), one.take("same")]
        answers = await asyncio.gather(*(admitted(t) for t in takes))
        assert answers[:4] == [True, True, False, False]  # the burst, then refused, in arrival order
        assert answers[4:14] == [True] * 10
        assert answers[14:] == [True, False]  # another limit's bucket for the same key: its own
        assert batches == [16]
        # the next batches see the last one's takes: k3's second token, then none
        assert [await admitted(two.take("k3")) for _ in range(2)] == [True, False]
        assert batches == [16, 1, 1]
    finally:
        await reads.close()


async def test_a_failed_statement_is_every_waiting_takes_failure(
    settings: Settings, app: EvaluationApp
) -> None:
    reads = await ReadModels.connect(settings)
    table = RateBuckets(reads, b"secret")
    await table.create_table()
    await reads.close()  # the database gone: each request hears of it (503), none is admitted silently
    limit = table.limit("gone", Pace(burst=5, per_minute=1))
    results = await asyncio.gather(*(limit.take(f"k{n}") for n in range(3)), return_exceptions=True)
    assert all(isinstance(r, Exception) and not isinstance(r, TooManySubmissions) for r in results)
    assert table.together.running is None and not table.together.waiting
