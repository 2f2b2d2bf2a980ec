"""一个数据库，一套密钥 — every command that opens the store refuses keys that are not the store's.

A backup restored without ``keys/pseudonym.key`` made the platform create a new one: a representative's
changed vote then had another ballot id and counted twice, and ``sanmin verify`` said 完好. Pointed at an
existing store from another data folder, it made a whole new key folder and ``verify`` called every event
tampered. Each mistake is made here and each entry point refuses it, writing nothing; the store's own keys
keep working. Also: a data folder that cannot be one, and a wrong database password, are said in a line.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

from projections import process as projection_process
from sanmin.cli import main as sanmin
from storage.bootstrap import build_app
from storage.key_check import TABLE, check_keys
from storage.settings import Settings
from tests.conftest import ORGANISER, prepare_round

REFUSED = "拒绝启动"
ENTRY_POINTS = [
    ["admin", "code"],
    ["verify"],
    ["recount"],
    ["rebuild"],
    ["staff", "list"],
    ["history-export", "history.jsonl"],
    ["run", "--port", "8123"],
]


@pytest.fixture
def store(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store in the test's schema, used once with the key folder of data folder ``a`` (its keys files)."""
    for name in ("SANMIN_SECRET", "SANMIN_PSEUDONYM_SECRET", "SANMIN_KEY_DIR", "DATABASE_REPLICA_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SANMIN_SCHEMA", settings.schema)
    monkeypatch.setenv("SANMIN_DATA_DIR", str(tmp_path / "a"))
    monkeypatch.chdir(tmp_path)
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    assert sanmin(["admin", "code"]) == 0
    return tmp_path / "a"


def events(settings: Settings) -> int:
    with psycopg.connect(settings.database_url) as conn:
        query = sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(settings.schema, "evaluation_events")
        )
        row = conn.execute(query).fetchone()
    assert row is not None
    return int(row[0])


def refused_everywhere(settings: Settings, capsys: pytest.CaptureFixture[str], *said: str) -> None:
    before = events(settings)
    for command in ENTRY_POINTS:
        assert sanmin(command) == 2, command
        out, err = capsys.readouterr()
        assert REFUSED in err and all(words in err for words in said), (command, err)
        assert "Traceback" not in out + err
    assert projection_process.main() == 2
    assert REFUSED in capsys.readouterr().err
    assert events(settings) == before  # nothing written
    assert not Path("history.jsonl").exists()


def test_another_data_folder_s_new_keys_are_refused_and_not_kept(
    store: Path,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    monkeypatch.setenv("SANMIN_DATA_DIR", str(tmp_path / "b"))
    refused_everywhere(settings, capsys, "server.key", "pseudonym.key", str(tmp_path / "b" / "keys"))
    assert sorted(p.name for p in (tmp_path / "b" / "keys").iterdir()) == []  # the keys it made: removed

    monkeypatch.setenv("SANMIN_DATA_DIR", str(store))
    assert sanmin(["verify"]) == 0
    assert "完好" in capsys.readouterr().out


def test_a_backup_restored_without_its_pseudonym_key_is_refused(
    store: Path,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    restored = tmp_path / "restored"
    (restored / "keys").mkdir(parents=True)
    shutil.copy(store / "keys" / "server.key", restored / "keys" / "server.key")
    monkeypatch.setenv("SANMIN_DATA_DIR", str(restored))
    capsys.readouterr()
    refused_everywhere(settings, capsys, "pseudonym.key", "没有这个数据库的")
    assert not (restored / "keys" / "pseudonym.key").exists()

    shutil.copy(store / "keys" / "pseudonym.key", restored / "keys" / "pseudonym.key")
    assert sanmin(["verify"]) == 0


def test_existing_keys_of_another_store_are_refused_and_so_is_another_secret(
    store: Path,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    other = tmp_path / "other" / "keys"
    other.mkdir(parents=True)
    (other / "server.key").write_text("b" * 64)
    (other / "pseudonym.key").write_text((store / "keys" / "pseudonym.key").read_text())
    monkeypatch.setenv("SANMIN_KEY_DIR", str(other))
    capsys.readouterr()
    refused_everywhere(settings, capsys, "server.key 不是这个数据库的密钥")
    assert (other / "server.key").read_text() == "b" * 64  # a key it did not make stays

    monkeypatch.delenv("SANMIN_KEY_DIR")
    monkeypatch.setenv("SANMIN_SECRET", "an entirely different secret value")
    refused_everywhere(settings, capsys, "SANMIN_SECRET")


def test_a_store_of_an_earlier_version_records_its_keys_check_but_only_for_its_own_keys(
    store: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(settings.database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(settings.schema, TABLE)))
    (store / "keys" / "server.key").rename(store / "keys" / "server.key.kept")
    (store / "keys" / "server.key").write_text("c" * 64)  # present but not the store's: the chain says so
    capsys.readouterr()
    assert sanmin(["verify"]) == 2
    assert "server.key 不是这个数据库的密钥" in capsys.readouterr().err

    (store / "keys" / "server.key.kept").replace(store / "keys" / "server.key")
    assert sanmin(["verify"]) == 0
    with psycopg.connect(settings.database_url) as conn:
        query = sql.SQL("SELECT name FROM {} ORDER BY name").format(sql.Identifier(settings.schema, TABLE))
        assert conn.execute(query).fetchall() == [("pseudonym",), ("server",)]


def test_a_pseudonym_key_destroyed_on_purpose_is_replaced_only_when_asked(
    store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sanmin(["keys", "new-pseudonym"]) == 1  # the key is still there: nothing is replaced
    assert "仍在" in capsys.readouterr().err
    (store / "keys" / "pseudonym.key").unlink()
    assert sanmin(["verify"]) == 2
    assert "sanmin keys new-pseudonym" in capsys.readouterr().err
    assert sanmin(["keys", "new-pseudonym"]) == 0
    assert (store / "keys" / "pseudonym.key").exists()
    assert sanmin(["verify"]) == 0


def check_values(settings: Settings) -> list[tuple[str, bytes]]:
    with psycopg.connect(settings.database_url) as conn:
        query = sql.SQL("SELECT name, value FROM {} ORDER BY name").format(
            sql.Identifier(settings.schema, TABLE)
        )
        return [(str(name), bytes(value)) for name, value in conn.execute(query).fetchall()]


def test_a_new_pseudonym_key_is_refused_while_a_round_with_ballots_is_not_locked(
    store: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """Until its lock a changed vote finds its ballot by the key's id: a new key would make it a second one."""
    opened = Settings.from_environment()
    app = build_app(opened)
    try:
        prepare_round(app, "r2026")
        prepare_round(app, "r2027")  # no ballots: not in the way
        rep, _ = app.register_representative("r2026", "李秀英", "npc", "main", "s1", by=ORGANISER)
        app.open_window("r2026", "fgw", by=ORGANISER)
        app.cast_ballot(rep, "fgw", uuid4().hex, "satisfied")
        app.close_window("r2026", "fgw", by=ORGANISER)
    finally:
        app.close()
        opened.release()
    key = store / "keys" / "pseudonym.key"
    kept = key.read_bytes()
    key.unlink()
    before, count = check_values(settings), events(settings)
    capsys.readouterr()
    assert sanmin(["keys", "new-pseudonym"]) == 1
    err = capsys.readouterr().err.strip()
    assert "「r2026」已有选票" in err and "r2027" not in err and "请先锁定" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not key.exists() and check_values(settings) == before and events(settings) == count  # unchanged

    key.write_bytes(kept)  # the key back, to lock the round
    opened = Settings.from_environment()
    app = build_app(opened)
    try:
        app.lock_results("r2026", by=ORGANISER)
    finally:
        app.close()
        opened.release()
    key.unlink()
    assert sanmin(["keys", "new-pseudonym"]) == 0
    assert key.exists() and key.read_bytes() != kept
    assert sanmin(["verify"]) == 0


def test_a_data_folder_that_is_a_file_is_said_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "file").write_text("not a folder")
    for folder in (tmp_path / "file", tmp_path / "file" / "data"):
        monkeypatch.setenv("SANMIN_DATA_DIR", str(folder))
        for command in (["verify"], ["run"]):
            assert sanmin(command) == 2
            err = capsys.readouterr().err
            assert "SANMIN_DATA_DIR" in err and str(folder) in err and "Traceback" not in err
            assert len(err.strip().splitlines()) == 1


def test_a_wrong_database_password_is_said_without_the_password(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = settings.database_url.replace("@", "x9secretword@", 1)
    assert ":" in wrong.split("@")[0].removeprefix("postgresql://")
    monkeypatch.setenv("DATABASE_URL", wrong)
    monkeypatch.setenv("SANMIN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SANMIN_SECRET", "a test secret that is long enough")
    assert sanmin(["verify"]) == 2
    out, err = capsys.readouterr()
    assert "DATABASE_URL" in err and "password authentication failed" in err
    assert "x9secretword" not in out + err and "Traceback" not in err


def opened_together(url: str, schema: str, keys: dict[str, bytes], processes: int = 8) -> list[str]:
    """``processes`` threads check their keys against one fresh schema at the same moment; their failures."""
    start, failures = threading.Barrier(processes), []

    def open_store() -> None:
        start.wait()
        try:
            check_keys(url, schema, keys, [], "test")
        except Exception as failure:  # noqa: BLE001 - collected for the assertion
            failures.append(repr(failure))

    workers = [threading.Thread(target=open_store) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return failures


def test_processes_starting_together_on_a_fresh_store_all_take_its_keys(settings: Settings) -> None:
    """`sanmin run` starts its web workers and the projection at once. On a fresh store their key checks
    each ran CREATE TABLE IF NOT EXISTS at the same moment, and all but one failed on pg_type's unique index
    (the crash harness's web server exited with 1: UniqueViolation … sanmin_key_checks)."""
    keys = {"server": b"s" * 32, "pseudonym": b"p" * 32}
    for attempt in range(5):
        failures = opened_together(settings.database_url, f"t_{uuid4().hex[:12]}", keys)
        assert failures == [], (attempt, failures[:2])
