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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from pgserver import _commands
from pgserver.utils import find_suitable_port

from storage import database_roles
from storage.folder_locks import hold, let_go
from storage.keyfiles import read_or_create
from storage.refused import StartRefused

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
    keep_running: bool = False
    """Not stopped by ``release`` (``sanmin replica start``: its standby streams from it)."""
    _users: int | None = field(default=None, init=False, repr=False, compare=False)

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
        """Starts the server unless it runs already; either way this process counts as one of its users
        (``pgdata.users``, storage/folder_locks.py) until ``release``."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        user = self._system_user()
        self._refuse_foreign_keys()
        admin_password = read_or_create(self.keys / "database-admin.key")
        if self._users is None:
            self._users = hold(self._beside("users"), exclusive=False)
            IN_USE.append(self)
        starting = hold(self._beside("started"), exclusive=True)
        try:
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb(user, admin_password)
            running = self._running_port()
            if running:
                self.port = running
            else:
                self._start_server(user)
        finally:
            let_go(starting)
        self._secure(admin_password)
        return self

    def _start_server(self, user: str | None) -> None:
        set_aside_foreign_pid_file(self.data_dir)
        self.port = self.port or find_suitable_port("127.0.0.1")
        options = " ".join(f"-c {s}" for s in SERVER_SETTINGS) + f" -p {self.port}"
        log = self.data_dir / "server.log"
        pg.pg_ctl(
            ["-w", "-t", "60", "-o", options, "-l", str(log), "start"],
            pgdata=self.data_dir,
            user=user,
            timeout=90,
        )
        self._beside("started").write_text(f"{server_pid(self.data_dir)}\n")

    def release(self) -> None:
        """This process no longer uses the server: stopped if no other ``sanmin`` process uses it (none
        holds ``pgdata.users``) and the platform started it (not one started by hand: left running)."""
        if self._users is None:
            return
        let_go(self._users)
        self._users = None
        IN_USE[:] = [server for server in IN_USE if server is not self]
        if self.keep_running:
            return
        alone = hold(self._beside("users"), exclusive=True, wait=False)
        if alone is None:
            return
        try:
            stopping = hold(self._beside("started"), exclusive=True)
            try:
                marked = self._beside("started").read_text().strip()
                if self._running_port() and marked == str(server_pid(self.data_dir)):
                    self.stop()
            finally:
                let_go(stopping)
        finally:
            let_go(alone)

    def _beside(self, what: str) -> Path:
        return self.data_dir.with_name(f"{self.data_dir.name}.{what}")

    def _refuse_foreign_keys(self) -> None:
        """A database folder whose superuser password is not in the key folder: never make a new one."""
        hba = self.data_dir / "pg_hba.conf"
        admin = self.keys / "database-admin.key"
        if hba.exists() and not admin.exists() and not database_roles.trusts(hba):
            raise StartRefused(
                f"拒绝启动：数据库 {self.data_dir} 已存在，但密钥文件夹 {self.keys}（SANMIN_KEY_DIR）中没有它的"
                " database-admin.key 和 database.key。请放回与这个数据库一起备份的密钥文件夹。"
            )

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
        try:
            database_roles.secure(self.data_dir / "pg_hba.conf", self.port, admin_password, app_password)
        except psycopg.OperationalError as error:
            if "password authentication failed" not in str(error):
                raise
            raise StartRefused(
                f"拒绝启动：内置数据库 {self.data_dir} 不接受密钥文件夹 {self.keys}（SANMIN_KEY_DIR）中"
                " database-admin.key 的密码：这不是这个数据库的密钥文件夹。请放回与它一起备份的密钥。"
            ) from None

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


IN_USE: list[EmbeddedPostgres] = []
"""The servers this process uses (``start``), until ``release``."""


def release_all(but: list[EmbeddedPostgres] | None = None) -> None:
    """Every server this process uses, ``but`` those (in use before a command), is released
    (``EmbeddedPostgres.release``)."""
    for server in list(IN_USE):
        if not any(server is kept for kept in but or []):
            server.release()


def running_port(data_dir: Path) -> int:
    """The port of the server running on ``data_dir``, 0 if none runs (``server_of``)."""
    found = server_of(data_dir)
    return found[1] if found else 0


def server_pid(data_dir: Path) -> int:
    found = server_of(data_dir)
    return found[0] if found else 0


def server_of(data_dir: Path) -> tuple[int, int] | None:
    """(process id, port) of the postmaster running on ``data_dir``, from its ``postmaster.pid``: only if
    the file names this very folder (line 2) and its process is alive and a postgres. A folder copied
    while its server ran holds the original's file, naming the original's folder, live process and port:
    trusted, it sent the copy's commands to the original database."""
    try:
        lines = (data_dir / "postmaster.pid").read_text().splitlines()
        pid, folder, port = int(lines[0]), Path(lines[1]), int(lines[3])
    except (OSError, ValueError, IndexError):
        return None
    if folder.resolve() != data_dir.resolve():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, another user's
    return (pid, port) if _is_postgres(pid) else None


def _is_postgres(pid: int) -> bool:
    """False if the process id was given to another program since (PostgreSQL itself cannot tell)."""
    if not Path("/proc/self").exists():
        return True
    try:
        return b"postgres" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def set_aside_foreign_pid_file(data_dir: Path) -> None:
    """A ``postmaster.pid`` that is not this folder's live server's (``server_of``) is renamed
    ``postmaster.pid.set-aside``: PostgreSQL refuses to start while the file names a live process (any:
    it only checks that the process exists), so a copied folder would never start its own server."""
    pid_file = data_dir / "postmaster.pid"
    if pid_file.exists() and server_of(data_dir) is None:
        pid_file.replace(data_dir / "postmaster.pid.set-aside")


def open_prefix(path: Path) -> None:
    """Let the server's user traverse every folder above ``path``."""
    traverse = stat.S_IXGRP | stat.S_IXOTH | stat.S_IRGRP | stat.S_IROTH
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if mode & traverse != traverse:
            folder.chmod(mode | traverse)
