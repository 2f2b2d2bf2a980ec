"""The public read path on a real streaming hot standby (``sanmin replica start``'s, storage/replica.py).

A primary and its standby of their own for the module: reads are served by the standby (the connection
used is in recovery); the standby stopped while reads are running costs no read (they go to the primary);
and a read made after a notice never shows data older than the notice, even with the standby's replay
held back (it then reads the primary) — web/platform/standby.py.
"""

from __future__ import annotations

import asyncio
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse
from uuid import uuid4

import psycopg
import pytest
from starlette.testclient import TestClient

from projections.runner import Projector
from sanmin.cli import main
from storage.bootstrap import build_app
from storage.embedded import EmbeddedPostgres, running_port
from storage.replica import EmbeddedStandby
from storage.settings import Settings
from tests.conftest import SECRET
from web.app import create_app
from web.platform.database import ReadModels
from web.platform.live import CHANNEL, LiveHub
from web.platform.standby import StandbyReads


@dataclass
class Pair:
    primary: EmbeddedPostgres
    standby: EmbeddedStandby

    def standby_admin(self) -> str:
        """The superuser on the standby (to hold its replay back)."""
        return self.primary.admin_url.replace(f":{self.primary.port}/", f":{self.standby.port}/")


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    folder = tmp_path_factory.mktemp("standby")
    primary = EmbeddedPostgres(folder / "pgdata").start()
    standby = EmbeddedStandby(primary, folder / "replica").start()
    yield Pair(primary, standby)
    standby.stop()
    primary.stop()


@pytest.fixture
def settings(pair: Pair, tmp_path: Path) -> Settings:
    return Settings(
        pair.primary.url, tmp_path, SECRET, schema=f"t_{uuid4().hex[:12]}", replica_url=pair.standby.url
    )


def in_recovery(conn: object) -> object:
    return conn.fetchval("SELECT pg_is_in_recovery()")  # type: ignore[attr-defined]


async def test_public_reads_are_served_by_the_standby(settings: Settings) -> None:
    primary = await ReadModels.connect(settings)
    reads = await StandbyReads.open(settings, primary)
    try:
        assert await reads.run(in_recovery) is True
        assert await primary.run(in_recovery) is False
        assert reads.served == {"standby": 1, "primary": 0}
    finally:
        await reads.close()
        await primary.close()


def test_the_web_processes_public_pages_read_the_standby_and_the_organisers_the_primary(
    settings: Settings,
) -> None:
    build_app(settings).close()  # the event store's tables
    with Projector(settings), TestClient(create_app(settings)) as client:
        assert client.get("/").status_code == 200
        public = client.app.state.public_reads  # type: ignore[attr-defined]
        assert isinstance(public, StandbyReads)
        assert public.served["standby"] >= 1 and public.served["primary"] == 0
        assert client.app.state.reads is not public  # type: ignore[attr-defined]


async def test_the_standby_stopped_mid_run_loses_no_read(pair: Pair, settings: Settings) -> None:
    primary = await ReadModels.connect(settings)
    reads = await StandbyReads.open(settings, primary)
    answers: list[object] = []

    async def reader() -> None:
        for _ in range(40):
            answers.append(await reads.run(in_recovery))
            await asyncio.sleep(0.01)

    try:
        readers = [asyncio.create_task(reader()) for _ in range(8)]
        await asyncio.sleep(0.1)
        await asyncio.to_thread(pair.standby.stop)
        await asyncio.gather(*readers)
    finally:
        await reads.close()
        await primary.close()
        await asyncio.to_thread(pair.standby.start)
    assert len(answers) == 8 * 40  # every read answered, none raised
    assert True in answers and False in answers  # first from the standby, then from the primary
    assert reads.served["standby"] > 0 and reads.served["primary"] > 0


async def test_a_read_after_a_notice_never_shows_data_older_than_the_notice(
    pair: Pair, settings: Settings
) -> None:
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{settings.schema}"')
        conn.execute(f'CREATE TABLE "{settings.schema}".counter (n int NOT NULL)')
        conn.execute(f'INSERT INTO "{settings.schema}".counter VALUES (0)')
    primary = await ReadModels.connect(settings)
    reads = await StandbyReads.open(settings, primary)
    hub = await LiveHub.start(settings)
    seen: list[tuple[int, int, bool]] = []
    builds: list[asyncio.Task[None]] = []

    async def build(payload: str) -> None:
        """What a feed does on a notice: build the page anew, from the read path."""

        async def read(conn: object) -> tuple[int, bool]:
            n = await conn.fetchval("SELECT n FROM counter")  # type: ignore[attr-defined]
            return int(n), bool(await in_recovery(conn))

        n, standby = await reads.run(read)
        seen.append((int(payload), n, standby))

    hub.watch(reads.on_change)
    hub.watch(lambda payload: builds.append(asyncio.create_task(build(payload))))
    standby = await asyncio.to_thread(psycopg.connect, pair.standby_admin(), autocommit=True)
    try:
        await asyncio.sleep(0.3)
        with psycopg.connect(settings.database_url, autocommit=True) as writer:
            for n in range(1, 21):
                held = n % 5 == 0  # every fifth change, the standby's replay is held back
                if held:
                    standby.execute("SELECT pg_wal_replay_pause()")
                with writer.transaction():
                    writer.execute(f'UPDATE "{settings.schema}".counter SET n = %s', (n,))
                    writer.execute("SELECT pg_notify(%s, %s)", (settings.channel(CHANNEL), str(n)))
                await _until(lambda n=n: len(builds) >= n)
                await builds[-1]
                if held:
                    standby.execute("SELECT pg_wal_replay_resume()")
    finally:
        standby.close()
        await hub.stop()
        await reads.close()
        await primary.close()
    assert [notice for notice, _n, _s in seen] == list(range(1, 21))
    assert all(n >= notice for notice, n, _s in seen), seen
    held_back = [s for notice, _n, s in seen if notice % 5 == 0]
    assert held_back == [False] * 4  # replay held: read from the primary after the brief wait
    assert sum(s for notice, _n, s in seen if notice % 5) > 0  # otherwise mostly the standby


async def _until(condition: object, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "no notice arrived"
        await asyncio.sleep(0.01)


def test_replica_start_again_follows_a_primary_on_another_port(pair: Pair) -> None:
    again = replace(pair.standby, port=0).start()
    assert again.port == pair.standby.port
    assert f"port={pair.primary.port}" in (again.data_dir / "postgresql.auto.conf").read_text()


def test_sanmin_replica_start_prints_the_url_the_web_processes_read_from(
    pair: Pair, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SANMIN_DATA_DIR", str(pair.primary.data_dir.parent))
    assert main(["replica", "start"]) == 0
    out = capsys.readouterr().out
    password = urlparse(pair.standby.url).password
    assert password and password not in out  # printed masked: the full address is in a file only we read
    assert f"DATABASE_REPLICA_URL={pair.standby.url.replace(password, '***')}" in out.splitlines()
    kept = pair.primary.keys / "replica.url"
    assert kept.read_text().strip() == pair.standby.url and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert f'DATABASE_REPLICA_URL="$(cat {kept})"' in out
    assert running_port(pair.primary.data_dir) == pair.primary.port  # the standby's source keeps running
