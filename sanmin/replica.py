"""``sanmin replica start|stop`` — a local hot standby of the embedded database (storage/replica.py)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from storage.replica import EmbeddedStandby
from storage.settings import Settings


def _standby(args: argparse.Namespace) -> EmbeddedStandby | None:
    settings = Settings.from_environment()
    if settings.embedded is None:
        print("DATABASE_URL 指向自有的 PostgreSQL：请按其文档配置流复制热备库（docs/operations.md）")
        return None
    folder = Path(args.dir).absolute() if args.dir else settings.data_dir / "replica"
    return EmbeddedStandby(settings.embedded, folder, getattr(args, "port", 0) or 0)


def replica_start(args: argparse.Namespace) -> int:
    """Copies the embedded primary into the standby's folder on first start (pg_basebackup -R), starts it,
    and writes the DATABASE_REPLICA_URL to give the web processes into ``keys/replica.url`` (mode 0600:
    it holds the platform role's password), printing it with the password masked. The primary is left
    running: the standby streams from it (``sanmin replica stop`` stops both, unless ``sanmin run`` uses
    the primary)."""
    standby = _standby(args)
    if standby is None:
        return 1
    standby.primary.keep_running = True
    standby.start()
    kept = standby.primary.keys / "replica.url"
    write_private(kept, standby.url)
    print(f"热备库已启动：{standby.data_dir}（端口 {standby.port}，从主库流复制）；主库保持运行")
    print(f"DATABASE_REPLICA_URL={masked(standby.url)}")
    print(f"完整地址（含密码）已写入 {kept}（仅本用户可读），这样使用：")
    print(f'  DATABASE_REPLICA_URL="$(cat {kept})" sanmin run --workers 2')
    return 0


def masked(url: str) -> str:
    """``url`` with its password as ``***``."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def write_private(path: Path, text: str) -> None:
    """``text`` into ``path``, mode 0600 from its first byte, replacing it all at once."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(text + "\n")
    os.replace(temporary, path)


def replica_stop(args: argparse.Namespace) -> int:
    standby = _standby(args)
    if standby is None:
        return 1
    standby.stop()
    print(f"热备库已停止：{standby.data_dir}")
    return 0
