"""The projection process outlives a PostgreSQL restart: it starts a new projector by itself, which
resumes after the last committed batch (found by the crash harness: it used to exit with status 1)."""

from __future__ import annotations

import time
from pathlib import Path

from scripts.bench import servers
from scripts.bench.fault_checks import positions
from storage.bootstrap import build_app
from storage.embedded import EmbeddedPostgres
from storage.settings import Settings
from tests.conftest import ORGANISER, SECRET, prepare_round


def caught_up(settings: Settings, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            last, tracked = positions(settings)
            if last and tracked >= last:
                return True
        except Exception:  # noqa: BLE001 - the views' tables appear once the projection has started
            pass
        time.sleep(0.2)
    return False


def with_round(tmp_path: Path, schema: str) -> tuple[EmbeddedPostgres, Settings]:
    """A PostgreSQL of the test's own, holding the small round."""
    database = EmbeddedPostgres(tmp_path / "pg", port=servers.free_port()).start()
    settings = Settings(database.url, tmp_path, SECRET, schema=schema)
    app = build_app(settings)
    prepare_round(app)
    app.close()
    return database, settings


def test_the_projection_process_carries_on_after_postgresql_restarts(tmp_path: Path) -> None:
    database, settings = with_round(tmp_path, "restarts")
    try:
        with (tmp_path / "projection.log").open("ab") as log:
            process = servers.start_projection(settings, output=log)
        try:
            assert caught_up(settings)
            database.restart()
            app = build_app(settings)
            app.open_window("r2026", "fgw", by=ORGANISER)
            app.close()
            assert caught_up(settings)
            assert process.poll() is None, (tmp_path / "projection.log").read_text()
        finally:
            servers.stop(process)
        assert process.returncode == 0
    finally:
        database.stop()


def test_a_projection_process_started_while_postgresql_is_down_waits_for_it_instead_of_exiting(
    tmp_path: Path,
) -> None:
    """The crash harness started the projection a moment before PostgreSQL restarted: it said 「无法连接数据库
    … the database system is shutting down」 and exited with 2, and nothing counted the ballots after it."""
    database, settings = with_round(tmp_path, "late")
    try:
        database.stop()
        with (tmp_path / "projection.log").open("ab") as log:
            process = servers.start_projection(settings, output=log)
        try:
            time.sleep(4)
            assert process.poll() is None, (tmp_path / "projection.log").read_text()
            database.start()
            assert caught_up(settings), (tmp_path / "projection.log").read_text()
            assert process.poll() is None
        finally:
            servers.stop(process)
        assert "秒内每秒重试" in (tmp_path / "projection.log").read_text()
    finally:
        database.stop()
