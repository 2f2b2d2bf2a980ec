"""文件锁 — who is using a data folder, told by the operating system's file locks (``flock``).

A lock belongs to an open file and is released by the system when its process ends, however it ends: a
killed ``sanmin run`` holds nothing. The files themselves stay, empty; only their locks count.

- ``run.lock`` in the data folder: held by the one ``sanmin run`` serving it (a second is refused).
- ``pgdata.users`` beside the embedded database: held, shared, by every ``sanmin`` process using the
  embedded server; the last one out stops the server if the platform started it (storage/embedded.py).
- ``pgdata.started`` beside it: held while the server is started or stopped; it names the server the
  platform started (its postmaster's process id).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


def hold(path: Path, exclusive: bool, wait: bool = True) -> int | None:
    """An open descriptor of ``path`` holding its lock; None if ``wait`` is False and another holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    flags = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
    try:
        fcntl.flock(fd, flags)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def let_go(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)
