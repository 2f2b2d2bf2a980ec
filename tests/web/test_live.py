"""实时推送的底层：LISTEN 连接断了会自己重连；每次变化每个活动只查询一次，所有观众收到同一份字节。"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from evaluation.application import EvaluationApp
from projections.runner import Projector
from storage.settings import Settings, channel
from tests.conftest import ORGANISER, SmallRound
from web.app import feed_builders
from web.platform.database import ReadModels
from web.platform.feeds import Feeds
from web.platform.live import CHANNEL, RESYNC, LiveHub


async def eventually(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


@asynccontextmanager
async def projected_feeds(settings: Settings) -> AsyncIterator[tuple[Projector, Feeds]]:
    """The projection caught up, and the live feeds over the read models (rebuilt at most every 50 ms)."""
    with Projector(settings) as projector:
        await asyncio.to_thread(projector.catch_up)
        reads = await ReadModels.connect(settings)
        feeds = Feeds(feed_builders(reads), min_interval=0.05)
        try:
            yield projector, feeds
        finally:
            await feeds.stop()
            await reads.close()


async def test_the_hub_reconnects_when_its_listen_connection_is_killed_and_asks_for_a_resync(
    settings: Settings,
) -> None:
    hub = await LiveHub.start(settings)
    seen: list[str] = []
    hub.watch(seen.append)
    admin = await asyncpg.connect(settings.database_url)
    try:
        assert hub.connection is not None
        await admin.execute("SELECT pg_terminate_backend($1)", hub.connection.get_server_pid())
        await eventually(lambda: hub.reconnects >= 1 and hub.connection is not None)
        assert RESYNC in seen
        await admin.execute("SELECT pg_notify($1, 'r2026:42')", settings.channel(CHANNEL))
        await eventually(lambda: "r2026:42" in seen)
    finally:
        await admin.close()
        await hub.stop()


async def test_the_hub_keeps_trying_while_the_database_is_unreachable(settings: Settings) -> None:
    unreachable = dataclasses.replace(settings, database_url="postgresql://postgres@127.0.0.1:9/postgres")
    hub = await LiveHub.start(unreachable)
    try:
        assert hub.connection is None
        await asyncio.sleep(0.6)
        hub.settings = settings  # the database is back
        await eventually(lambda: hub.connection is not None)
        assert hub.reconnects == 1
    finally:
        await hub.stop()


async def test_a_change_is_queried_once_and_the_same_bytes_go_to_every_viewer(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with projected_feeds(settings) as (projector, feeds):
        viewers = [await feeds.subscribe("projector", "r2026") for _ in range(500)]
        feed = viewers[0][0]  # type: ignore[index]
        assert all(v is not None and v[0] is feed for v in viewers)
        before = feed.builds
        app.open_window("r2026", "fgw", by=ORGANISER)
        await asyncio.to_thread(projector.catch_up)
        for _ in range(5):  # a burst of notices, as several projection batches would send
            feeds.on_change("r2026:1")
        await eventually(lambda: all(v[1].changed.is_set() for v in viewers if v))
        assert feed.builds - before == 1
        frames = {v[1].take() for v in viewers if v}
        assert len(frames) == 1
        assert b'"window":"open"' in frames.pop()


async def test_notices_for_another_round_do_not_rebuild_the_feed(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    async with projected_feeds(settings) as (_, feeds):
        subscribed = await feeds.subscribe("windows", "r2026")
        assert subscribed is not None
        feed, _viewer = subscribed
        feeds.on_change("other-round:7")
        await asyncio.sleep(0.2)
        assert feed.builds == 1
        feeds.unsubscribe("windows", feed, _viewer)
        assert feeds.feeds == {}


async def test_a_stop_signal_ends_every_open_stream_before_the_server_s_own_handler_runs(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """Else a projector left open on the wall keeps the server from stopping after Ctrl+C."""
    import signal

    from web.platform.shutdown import on_exit_signal

    server_saw: list[int] = []
    original = signal.signal(signal.SIGTERM, lambda signum, frame: server_saw.append(signum))
    with Projector(settings) as projector:
        await asyncio.to_thread(projector.catch_up)
        reads = await ReadModels.connect(settings)
        feeds = Feeds(feed_builders(reads))
        try:
            viewer = await feeds.subscribe("projector", "r2026")
            assert viewer is not None and not viewer[1].closed
            undo = on_exit_signal(feeds.close_streams)
            signal.raise_signal(signal.SIGTERM)
            await eventually(lambda: viewer[1].closed)
            assert viewer[1].changed.is_set()
            assert server_saw == [signal.SIGTERM]
            late = await feeds.subscribe("projector", "r2026")
            assert late is not None and late[1].closed
            undo()
        finally:
            signal.signal(signal.SIGTERM, original)
            await feeds.stop()
            await reads.close()


async def test_after_postgresql_restarts_the_hub_listens_again(tmp_path: Path) -> None:
    """A server of its own, restarted underneath the hub (pg_ctl restart -m fast)."""
    from storage.embedded import EmbeddedPostgres, pg

    server = EmbeddedPostgres(tmp_path / "pg").start()
    try:
        hub = await LiveHub.start(Settings(server.url, tmp_path, b"x" * 32))
        seen: list[str] = []
        hub.watch(seen.append)
        user = server._system_user()
        (tmp_path / "pg").chmod(0o700)  # PostgreSQL refuses a data folder others may read
        await asyncio.to_thread(
            pg.pg_ctl, ["-w", "-m", "fast", "restart"], pgdata=tmp_path / "pg", user=user, timeout=60
        )
        await eventually(lambda: hub.reconnects >= 1 and hub.connection is not None, timeout=30)
        assert RESYNC in seen
        notifier = await asyncpg.connect(server.url)
        await notifier.execute("SELECT pg_notify('sanmin_views', 'r2026:7')")
        await notifier.close()
        await eventually(lambda: "r2026:7" in seen)
        await hub.stop()
    finally:
        server.stop()


async def test_two_stores_sharing_a_server_each_hear_only_their_own_projection_s_notices(
    settings: Settings, app: EvaluationApp, small_round: SmallRound
) -> None:
    """A province's cities in schemas of one database: a city's web processes do not wake for another's
    changes (NOTIFY channels belong to the server, so each store's is named after its schema)."""
    other = dataclasses.replace(settings, schema=f"{settings.schema}_other")
    mine, theirs = await LiveHub.start(settings), await LiveHub.start(other)
    heard_mine: list[str] = []
    heard_theirs: list[str] = []
    mine.watch(heard_mine.append)
    theirs.watch(heard_theirs.append)
    try:
        app.open_window(small_round.key, "fgw", by=ORGANISER)
        with Projector(settings) as projector:
            await asyncio.to_thread(projector.catch_up)
        await eventually(lambda: any(p.startswith(f"{small_round.key}:") for p in heard_mine))
        await asyncio.sleep(0.5)
        assert heard_theirs == []
    finally:
        await mine.stop()
        await theirs.stop()


def test_a_store_s_channel_names_its_schema_within_postgresql_s_63_bytes() -> None:
    assert channel("sanmin_views", "public") == "sanmin_views"
    assert channel("sanmin_views", "baotou") == "sanmin_views.baotou"
    long_a, long_b = "包头" * 20 + "a", "包头" * 20 + "b"
    named = {channel("sanmin_sessions", s) for s in (long_a, long_b)}
    assert len(named) == 2 and all(len(n.encode()) <= 63 for n in named)
