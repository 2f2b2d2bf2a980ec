"""内置数据库 — the embedded PostgreSQL used when no DATABASE_URL is given.

It runs the server binaries shipped in the ``pgserver`` wheel, but listens on 127.0.0.1 over TCP rather
than pgserver's default Unix socket: psycopg's pipeline mode hangs on statements of about 1 MB over a Unix
socket (docs/operations.md), and a bulk import is larger than that.
"""

from __future__ import annotations

import os
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pgserver import _commands
from pgserver.utils import find_suitable_port

from storage import database_roles
from storage.keyfiles import read_or_create

pg: Any = _commands  # its command functions are generated at import time

SERVER_SETTINGS = (
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",
    "max_connections=400",
    "shared_buffers=256MB",
    # A checkpoint every ~2 GB of WAL, not ~0.5 GB: a million-event rebuild writes ~265 MB, and with the
    # default 1 GB every second rebuild had a checkpoint in its middle (2.5 s slower, measured); a day of
    # ballots writes less than a checkpoint's worth. Crash recovery replays at most that much.
    "max_wal_size=4GB",
    "synchronous_commit=on",
    "fsync=on",
)


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL server in a local data folder, started on demand and stopped with the platform.

    Connections need a password (SCRAM); the platform's (``url``) use the role ``sanmin``, no superuser
    (storage/database_roles.py). The passwords are files in ``key_dir`` (storage/keyfiles.py), never in
    the data folder; by default a ``keys`` folder beside it."""

    data_dir: Path
    port: int = 0
    key_dir: Path | None = None

    @property
    def keys(self) -> Path:
        folder = self.key_dir or self.data_dir.parent / "keys"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder

    @property
    def url(self) -> str:
        """The platform's connections: the application role."""
        password = read_or_create(self.keys / "database.key")
        return f"postgresql://{database_roles.APP_ROLE}:{password}@127.0.0.1:{self.port}/postgres"

    @property
    def admin_url(self) -> str:
        """The superuser's, for maintenance only."""
        password = read_or_create(self.keys / "database-admin.key")
        return f"postgresql://{database_roles.ADMIN_ROLE}:{password}@127.0.0.1:{self.port}/postgres"

    def start(self) -> EmbeddedPostgres:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        user = self._system_user()
        admin_password = read_or_create(self.keys / "database-admin.key")
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb(user, admin_password)
        running = self._running_port()
        if running:
            self.port = running
            self._secure(admin_password)
            return self
        self.port = self.port or find_suitable_port("127.0.0.1")
        options = " ".join(f"-c {s}" for s in SERVER_SETTINGS) + f" -p {self.port}"
        log = self.data_dir / "server.log"
        pg.pg_ctl(
            ["-w", "-t", "60", "-o", options, "-l", str(log), "start"],
            pgdata=self.data_dir,
            user=user,
            timeout=90,
        )
        self._secure(admin_password)
        return self

    def _initdb(self, user: str | None, admin_password: str) -> None:
        """A new cluster whose every connection needs a password; the superuser's is read from a file
        only the server's user can read, removed at once."""
        fd, pwfile = tempfile.mkstemp(prefix="sanmin-pw-")
        try:
            with os.fdopen(fd, "w") as file:
                file.write(admin_password + "\n")
            if user is not None:
                import pwd

                os.chown(pwfile, pwd.getpwnam(user).pw_uid, -1)
            pg.initdb(
                [
                    "--auth=scram-sha-256",
                    f"--pwfile={pwfile}",
                    "--encoding=utf8",
                    "--locale=C",
                    "-U",
                    database_roles.ADMIN_ROLE,
                ],
                pgdata=self.data_dir,
                user=user,
            )
        finally:
            os.unlink(pwfile)

    def _secure(self, admin_password: str) -> None:
        app_password = read_or_create(self.keys / "database.key")
        database_roles.secure(self.data_dir / "pg_hba.conf", self.port, admin_password, app_password)

    def stop(self) -> None:
        if self._running_port():
            pg.pg_ctl(
                ["-w", "-m", "fast", "stop"], pgdata=self.data_dir, user=self._system_user(), timeout=60
            )

    def restart(self) -> None:
        """Stop and start again on the same port (used by the fault-injection tests)."""
        port = self.port
        self.stop()
        self.port = port
        self.start()

    def _running_port(self) -> int:
        return running_port(self.data_dir)

    def _system_user(self) -> str | None:
        """PostgreSQL refuses to run as root: then run it as the user ``pgserver``."""
        if os.geteuid() != 0:
            return None
        import pwd

        try:
            entry = pwd.getpwnam("pgserver")
        except KeyError:
            subprocess.run(["useradd", "-s", "/bin/sh", "pgserver"], check=True, capture_output=True)
            entry = pwd.getpwnam("pgserver")
        open_prefix(self.data_dir.parent)
        open_prefix(Path(pg.POSTGRES_BIN_PATH))
        os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)
        self.data_dir.chmod(0o700)  # PostgreSQL refuses a data folder others can read
        return "pgserver"


def running_port(data_dir: Path) -> int:
    """The port of the server running on ``data_dir`` (its ``postmaster.pid``), 0 if none runs."""
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return 0
    lines = pid_file.read_text().splitlines()
    try:
        os.kill(int(lines[0]), 0)
    except (ProcessLookupError, ValueError, IndexError):
        return 0
    return int(lines[3]) if len(lines) > 3 else 0


def open_prefix(path: Path) -> None:
    """Let the server's user traverse every folder above ``path``."""
    traverse = stat.S_IXGRP | stat.S_IXOTH | stat.S_IRGRP | stat.S_IROTH
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if mode & traverse != traverse:
            folder.chmod(mode | traverse)
