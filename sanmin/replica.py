"""``sanmin replica start|stop`` — a local hot standby of the embedded database (storage/replica.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

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
    and prints the DATABASE_REPLICA_URL to give the web processes."""
    standby = _standby(args)
    if standby is None:
        return 1
    standby.start()
    print(f"热备库已启动：{standby.data_dir}（端口 {standby.port}，从主库流复制）")
    print(f"DATABASE_REPLICA_URL={standby.url}")
    return 0


def replica_stop(args: argparse.Namespace) -> int:
    standby = _standby(args)
    if standby is None:
        return 1
    standby.stop()
    print(f"热备库已停止：{standby.data_dir}")
    return 0
