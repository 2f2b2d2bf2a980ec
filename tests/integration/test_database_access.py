"""内置数据库的门 — the attacks a local user could make on the embedded PostgreSQL and the server's secrets:
connect without a password, read the secret with ``pg_read_file`` or run a program with ``COPY … TO
PROGRAM`` through the platform's own connection, read the key files, link ballots to people once the
pseudonym key is gone. Each now fails. A data folder of the earlier layout (``--auth=trust``, the secret
in ``secret.key`` beside the database) keeps working and is closed the same way.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse
from uuid import uuid4

import psycopg
import pytest
from pgserver.utils import find_suitable_port
from psycopg import errors

from evaluation.keys import Keyring
from storage.embedded import SERVER_SETTINGS, EmbeddedPostgres, pg
from storage.refused import StartRefused
from storage.settings import Settings

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="attacks the embedded server, not an outside one"
)


def port_of(url: str) -> int:
    port = urlparse(url).port
    assert port is not None
    return port


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (
        "DATABASE_URL",
        "SANMIN_SECRET",
        "SANMIN_PSEUDONYM_SECRET",
        "SANMIN_KEY_DIR",
        "SANMIN_SCHEMA",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_local_process_cannot_connect_without_the_password(database_url: str) -> None:
    port = port_of(database_url)
    for who in ("postgres", "sanmin"):
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(f"postgresql://{who}@127.0.0.1:{port}/postgres", connect_timeout=5)
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(f"postgresql://{who}:guessed@127.0.0.1:{port}/postgres", connect_timeout=5)


def test_the_platform_s_role_cannot_read_files_run_programs_or_grant_itself_more(
    database_url: str, tmp_path: Path
) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone() == (
            False,
        )
        attacks = [
            "SELECT pg_read_file('/etc/passwd')",
            "SELECT pg_read_file('PG_VERSION')",
            "SELECT pg_ls_dir('.')",
            f"COPY (SELECT 1) TO PROGRAM 'touch {tmp_path}/pwned'",
            f"COPY (SELECT 1) TO '{tmp_path}/written'",
            "ALTER SYSTEM SET log_statement = 'all'",
            "ALTER ROLE current_user SUPERUSER",
            "CREATE ROLE intruder SUPERUSER LOGIN",
        ]
        for attack in attacks:
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(attack)
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "written").exists()


def test_the_secrets_are_private_files_apart_from_the_database_and_the_pseudonym_key_is_its_own(
    environment: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    environment.setenv("SANMIN_DATA_DIR", str(tmp_path))
    environment.setenv("DATABASE_URL", database_url)
    environment.setenv("SANMIN_SCHEMA", f"t_{uuid4().hex[:12]}")
    settings = Settings.from_environment()
    keys = tmp_path / "keys"
    assert mode(keys) == 0o700
    assert {p.name for p in keys.iterdir()} == {"server.key", "pseudonym.key"}
    assert all(mode(p) == 0o600 for p in keys.iterdir())
    assert settings.secret == (keys / "server.key").read_text().strip().encode()
    assert settings.pseudonym_secret is not None and settings.pseudonym_secret != settings.secret
    representative = uuid4()
    mine = Keyring(settings.secret, settings.pseudonym_secret).pseudonym(representative, "fgw")
    # the server key alone (say, after the pseudonym key was destroyed) cannot recompute a pseudonym
    assert Keyring(settings.secret).pseudonym(representative, "fgw") != mine
    (keys / "pseudonym.key").unlink()
    with pytest.raises(StartRefused, match="sanmin keys new-pseudonym"):
        Settings.from_environment()  # destroyed on purpose is said on purpose (storage/key_check.py)
    again = Settings.from_environment(renew_pseudonym=True)
    assert again.secret == settings.secret, "the rest keeps working"
    assert again.pseudonym_secret != settings.pseudonym_secret
    assert Keyring(again.secret, again.pseudonym_secret).pseudonym(representative, "fgw") != mine


@pytest.fixture
def legacy_folder(tmp_path: Path) -> Iterator[Path]:
    """A data folder as the earlier version left it: PostgreSQL trusting every local connection, the
    superuser owning the platform's tables, the one secret in ``secret.key``."""
    var = tmp_path / "var"
    server = EmbeddedPostgres(var / "pgdata")
    server.data_dir.mkdir(parents=True)
    user = server._system_user()
    pg.initdb(
        ["--auth=trust", "--encoding=utf8", "--locale=C", "-U", "postgres"], pgdata=server.data_dir, user=user
    )
    port = find_suitable_port("127.0.0.1")
    options = " ".join(f"-c {s}" for s in SERVER_SETTINGS[:2]) + f" -p {port}"
    log = str(server.data_dir / "server.log")
    pg.pg_ctl(["-w", "-o", options, "-l", log, "start"], pgdata=server.data_dir, user=user)
    try:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True) as conn:
            conn.execute("CREATE TABLE stored_events (id bigserial PRIMARY KEY, body text)")
            conn.execute("INSERT INTO stored_events (body) VALUES ('recorded before the upgrade')")
    finally:
        pg.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.data_dir, user=user)
    (var / "secret.key").write_text("the secret of an earlier install\n")
    yield var


def test_an_earlier_data_folder_keeps_working_and_is_closed(
    environment: pytest.MonkeyPatch, legacy_folder: Path
) -> None:
    environment.setenv("SANMIN_DATA_DIR", str(legacy_folder))
    settings = Settings.from_environment()
    assert settings.embedded is not None
    try:
        # the same secret, now only in the key folder, for pseudonyms too (the recorded ballots use it)
        assert settings.secret == settings.pseudonym_secret == b"the secret of an earlier install"
        assert not (legacy_folder / "secret.key").exists()
        assert all(mode(p) == 0o600 for p in (legacy_folder / "keys").iterdir())
        # the platform's role reads and writes what the superuser recorded
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            conn.execute("INSERT INTO stored_events (body) VALUES ('recorded after')")
            rows = conn.execute("SELECT body FROM stored_events ORDER BY id").fetchall()
            assert rows == [("recorded before the upgrade",), ("recorded after",)]
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute("SELECT pg_read_file('/etc/passwd')")
        port = settings.embedded.port
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", connect_timeout=5)
        # and again at the next start
        settings.embedded.stop()
        settings = Settings.from_environment()
        assert settings.secret == b"the secret of an earlier install"
        with psycopg.connect(settings.database_url) as conn:
            assert conn.execute("SELECT count(*) FROM stored_events").fetchone() == (2,)
    finally:
        assert settings.embedded is not None
        settings.embedded.stop()
