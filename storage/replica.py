"""热备库 — a local streaming hot standby of the embedded PostgreSQL (``sanmin replica start``), for tests and demos.

The primary gets a replication role (``sanmin_replication``, its password a key file beside the others) and
a ``pg_hba.conf`` line letting it replicate from 127.0.0.1 with SCRAM; ``pg_basebackup -R`` copies the
primary into the standby's folder (``standby.signal`` and ``primary_conninfo`` written by it), and the
standby starts on a port of its own with the primary's settings and ``hot_standby``, streaming from the
primary from then on. Its ``url`` (the application role, replicated with everything else) is what
``DATABASE_REPLICA_URL`` names. The binaries are pgserver's, as the primary's (storage/embedded.py).
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from pgserver.utils import find_suitable_port
from psycopg import sql

from storage import database_roles
from storage.embedded import SERVER_SETTINGS, EmbeddedPostgres, open_prefix, pg, running_port
from storage.keyfiles import read_or_create

REPLICATION_ROLE = "sanmin_replication"
HBA_LINE = f"host replication {REPLICATION_ROLE} 127.0.0.1/32 scram-sha-256"
STANDBY_SETTINGS = (
    *SERVER_SETTINGS,
    "hot_standby=on",
    # the standby tells the primary which rows its queries still read, so that vacuum on the primary
    # does not remove them under a long public query (which would otherwise be cancelled)
    "hot_standby_feedback=on",
)


@dataclass
class EmbeddedStandby:
    """A hot standby of ``primary`` in ``data_dir``, made on first start, started again after."""

    primary: EmbeddedPostgres
    data_dir: Path
    port: int = 0

    @property
    def url(self) -> str:
        password = read_or_create(self.primary.keys / "database.key")
        return f"postgresql://{database_roles.APP_ROLE}:{password}@127.0.0.1:{self.port}/postgres"

    def start(self) -> EmbeddedStandby:
        user = self.primary._system_user()
        if not (self.data_dir / "PG_VERSION").exists():
            self._base_backup(user)
        moved = self._follow_primary()
        running = running_port(self.data_dir)
        if running:
            self.port = running
            if moved:
                pg.pg_ctl(["reload"], pgdata=self.data_dir, user=user)
            return self
        self.port = self.port or find_suitable_port("127.0.0.1")
        options = " ".join(f"-c {s}" for s in STANDBY_SETTINGS) + f" -p {self.port}"
        log = self.data_dir / "server.log"
        pg.pg_ctl(["-w", "-t", "60", "-o", options, "-l", str(log), "start"], pgdata=self.data_dir, user=user)
        return self

    def stop(self) -> None:
        if running_port(self.data_dir):
            user = self.primary._system_user()
            pg.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data_dir, user=user, timeout=60)

    def _follow_primary(self) -> bool:
        """The embedded primary takes a free port at each start: point ``primary_conninfo`` at today's."""
        auto = self.data_dir / "postgresql.auto.conf"
        text = auto.read_text()
        followed = re.sub(r"\bport=\d+", f"port={self.primary.port}", text)
        if followed != text:
            auto.write_text(followed)
        return followed != text

    def _base_backup(self, user: str | None) -> None:
        password = allow_replication(self.primary)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        if user is not None:
            import pwd

            open_prefix(self.data_dir.parent)
            entry = pwd.getpwnam(user)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
        source = f"host=127.0.0.1 port={self.primary.port} user={REPLICATION_ROLE} dbname=replication"
        # the password in a file only pg_basebackup's user reads: pgserver logs a failed command's arguments
        # and environment
        with tempfile.NamedTemporaryFile("w", prefix="sanmin-pgpass-") as passfile:
            passfile.write(f"127.0.0.1:{self.primary.port}:*:{REPLICATION_ROLE}:{password}\n")
            passfile.flush()
            os.chmod(passfile.name, 0o600)
            if user is not None:
                os.chown(passfile.name, self.data_dir.stat().st_uid, -1)
            pg.pg_basebackup(
                ["-D", str(self.data_dir), "-R", "-X", "stream", "-c", "fast", "-d", source],
                user=user,
                env={**os.environ, "PGPASSFILE": passfile.name},
                timeout=600,
            )
        # pg_basebackup -R writes the password into primary_conninfo only if it was in the connection
        # string: add it, so that the standby can reconnect after the primary restarts
        auto = self.data_dir / "postgresql.auto.conf"
        text = auto.read_text()
        if "password=" not in text:
            auto.write_text(re.sub(r"(primary_conninfo = ')", rf"\1password={password} ", text))


def allow_replication(primary: EmbeddedPostgres) -> str:
    """The replication role (password from its key file) and its pg_hba line on the primary; its password."""
    password = read_or_create(primary.keys / "replication.key")
    with psycopg.connect(primary.admin_url, autocommit=True) as conn:
        role = sql.Identifier(REPLICATION_ROLE)
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (REPLICATION_ROLE,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN REPLICATION").format(role))
        conn.execute(sql.SQL("ALTER ROLE {} LOGIN REPLICATION PASSWORD {}").format(role, password))
        hba = primary.data_dir / "pg_hba.conf"
        lines = hba.read_text().splitlines()
        if HBA_LINE not in lines:
            hba.write_text("\n".join([HBA_LINE, *lines]) + "\n")
            conn.execute("SELECT pg_reload_conf()")
    return password
