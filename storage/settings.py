"""运行配置 — where the database is, where the secret is, and the event store's settings."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from urllib.parse import unquote, urlparse

import psycopg

from storage.embedded import EmbeddedPostgres
from storage.key_check import KeysRefused, check_keys
from storage.keyfiles import key_folder, load_secrets
from storage.refused import StartRefused


@dataclass
class Settings:
    """Everything a process needs to reach the one store; built from the environment."""

    database_url: str
    data_dir: Path
    secret: bytes
    embedded: EmbeddedPostgres | None = None
    schema: str = "public"
    pseudonym_secret: bytes | None = None
    """The ballots' pseudonyms' own key (storage/keyfiles.py); None: derived from ``secret``, as before."""
    https: bool = False
    """Served to browsers over HTTPS (``SANMIN_HTTPS=1``, e.g. behind a TLS proxy): the session cookie is
    ``Secure`` and every answer carries HSTS."""
    replica_url: str = ""
    """A streaming hot standby of the same database (``DATABASE_REPLICA_URL``): the public read path reads
    from it once it has replayed what the last notice announced (web/platform/standby.py); empty: none."""

    @classmethod
    def from_environment(
        cls, start_embedded: bool = True, renew_pseudonym: bool = False, check_pseudonym: bool = True
    ) -> Settings:
        """The settings, once the store has been seen to take this process's keys (storage/key_check.py);
        StartRefused (storage/refused.py) for a data folder, database or keys that will not do, the
        embedded server released (and, for keys that are not the store's, every key made just now
        removed again). ``renew_pseudonym``: the store takes this pseudonym key from now on
        (``sanmin keys new-pseudonym``); ``check_pseudonym`` false: only the server key is compared, for that
        command to ask the store whether a new one may be taken before it is."""
        data_dir = Path(os.environ.get("SANMIN_DATA_DIR", "var")).absolute()
        url = os.environ.get("DATABASE_URL", "")
        schema = os.environ.get("SANMIN_SCHEMA", "public")
        created: list[Path] = []
        embedded = None
        try:
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
                secret, pseudonym_secret = load_secrets(data_dir, created)
                if not url and start_embedded:
                    embedded = EmbeddedPostgres(data_dir / "pgdata", key_dir=key_folder(data_dir))
            except OSError as error:
                raise StartRefused(unusable_folder(data_dir, error)) from None
            if embedded is not None:
                url = embedded.start().url
            if url:
                made = [p.name.removesuffix(".key") for p in created]
                renew = "pseudonym" if renew_pseudonym else ""
                _check_keys(url, schema, secret, pseudonym_secret, made, data_dir, renew, check_pseudonym)
        except BaseException as error:
            if isinstance(error, KeysRefused):
                for path in created:
                    path.unlink(missing_ok=True)
            if embedded is not None:
                embedded.release()
            raise
        https = os.environ.get("SANMIN_HTTPS", "").lower() in ("1", "true", "yes")
        replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
        return cls(url, data_dir, secret, embedded, schema, pseudonym_secret, https, replica_url)

    def release(self) -> None:
        """Done with the store: the embedded server is stopped if no other process uses it."""
        if self.embedded is not None:
            self.embedded.release()

    def eventsourcing_env(self, create_tables: bool = True, pool_size: int = 5) -> dict[str, str]:
        """The environment of the eventsourcing library's PostgreSQL persistence."""
        u = urlparse(self.database_url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": "storage.recorder:GuardedApplicationRecorder",
            "POSTGRES_DBNAME": u.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": u.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(u.port or 5432),
            "POSTGRES_USER": unquote(u.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(u.password or ""),
            "POSTGRES_SCHEMA": self.schema,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_POOL_SIZE": str(pool_size),
            "POSTGRES_MAX_OVERFLOW": str(pool_size * 2),
            "POSTGRES_PRE_PING": "n",  # a broken connection is retried by the recorder anyway
            "CREATE_TABLE": "y" if create_tables else "n",
            "AGGREGATE_CACHE_MAXSIZE": "20000",
            "AGGREGATE_CACHE_FASTFORWARD": "y",
        }

    def channel(self, name: str) -> str:
        """The NOTIFY channel ``name`` of this store (``channel``)."""
        return channel(name, self.schema)

    @property
    def pg_options(self) -> str:
        """For psycopg connections of our own (``options=``): the same schema as the event store."""
        return f"-c search_path={self.schema}"

    def ensure_schema(self) -> None:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')


def channel(name: str, schema: str) -> str:
    """A NOTIFY channel of the store in ``schema``. Channels belong to the server, not to a schema: stores
    sharing a database (``SANMIN_SCHEMA``, a province's cities) would each hear every other's notices.
    ``public`` keeps the bare name; another schema's name follows it after a dot (a digest of it where the
    whole would pass PostgreSQL's 63 bytes)."""
    if schema == "public":
        return name
    named = f"{name}.{schema}"
    return named if len(named.encode()) <= 63 else f"{name}.{sha256(schema.encode()).hexdigest()[:32]}"


def _check_keys(
    url: str,
    schema: str,
    secret: bytes,
    pseudonym: bytes | None,
    created: list[str],
    data_dir: Path,
    renew: str,
    check_pseudonym: bool = True,
) -> None:
    if os.environ.get("SANMIN_SECRET"):
        where = "环境变量 SANMIN_SECRET / SANMIN_PSEUDONYM_SECRET"
    else:
        where = f"密钥文件夹 {key_folder(data_dir)}（SANMIN_KEY_DIR，默认为 SANMIN_DATA_DIR 下的 keys）"
    deadline = time.monotonic() + STARTUP_WAIT
    while True:
        try:
            keys = (
                {"server": secret, "pseudonym": pseudonym or secret}
                if check_pseudonym
                else {"server": secret}
            )
            check_keys(url, schema, keys, created, where, renew)
            return
        except psycopg.OperationalError as error:
            if not passing(error) or time.monotonic() >= deadline:
                raise StartRefused(unreachable(url, error)) from None
            print(f"{unreachable(url, error)}；{STARTUP_WAIT:.0f} 秒内每秒重试", file=sys.stderr, flush=True)
            time.sleep(1.0)


STARTUP_WAIT = 60.0
"""Seconds a starting process waits for a database that is restarting or not yet up (a service manager may
start the platform before PostgreSQL, and a restart cuts a moment): not for a refused password or name."""
OPERATOR_MISTAKES = ("28", "3D")
"""SQLSTATE classes that waiting will not cure: invalid authorization (a wrong password, no pg_hba entry),
a database that does not exist."""


def passing(error: psycopg.OperationalError) -> bool:
    """Whether a failed connection may be the database restarting or starting: refused, or 57P03."""
    state = error.sqlstate or ""
    text = str(error)
    return not state.startswith(OPERATOR_MISTAKES) and not any(
        w in text for w in ("password", "pg_hba", "does not exist")
    )


def unusable_folder(data_dir: Path, error: OSError) -> str:
    if isinstance(error, FileExistsError | NotADirectoryError):
        reason = "这个路径（或其上一级）是文件，不是文件夹"
    elif isinstance(error, PermissionError):
        reason = "没有写入权限"
    else:
        reason = error.strerror or type(error).__name__
    return f"无法使用数据文件夹 {data_dir}（SANMIN_DATA_DIR）：{reason}。请把 SANMIN_DATA_DIR 设为平台可写的文件夹。"


def unreachable(url: str, error: Exception) -> str:
    """Which database could not be reached and why, without its password."""
    u = urlparse(url)
    where = f"{unquote(u.username or '')}@{u.hostname}:{u.port or 5432}{u.path}"
    reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
    if u.password:
        reason = reason.replace(unquote(u.password), "***").replace(u.password, "***")
    variable = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "内置数据库"
    return f"无法连接数据库 {where}（{variable}）：{reason}"
