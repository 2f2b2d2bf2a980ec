"""上传文件在子进程中解析 — an uploaded workbook, roster, score table or report PDF is parsed in a fresh child
process (``python -m storage.confined``, the reader and the bytes pickled on its standard input) with a
memory and a CPU-time limit, never in the web process that takes ballots.

The uncompressed-size checks refuse the obvious bombs before any parsing; this bounds what is left (a sheet of
millions of tiny cells, a PDF whose cross-reference table loops): the child gets ``RLIMIT_AS`` (its address
space) and ``RLIMIT_CPU``, and a parse that runs out of either is refused as ``UploadTooHeavy`` with a plain
message. The caller waits in a worker thread (the web runs every command there), so the event loop keeps
answering ballots meanwhile. Nothing is written by a parse, so a refused one
leaves nothing behind. The readers are plain functions (bytes in, a value or their own refusal out), so what
they raise comes back as raised, and the command that called them refuses as it always did.
"""

from __future__ import annotations

import logging
import pickle
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from evaluation.errors import UploadTooHeavy

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """What one parse may use: address space in bytes, CPU seconds, and seconds of waiting in all."""

    memory: int = 768 * 1024 * 1024
    cpu_seconds: int = 60
    wall_seconds: int = 180


LIMITS = Limits()


@dataclass(frozen=True)
class _Raised:
    """An exception of the reader, sent back by its class and state (a custom ``__init__`` need not pickle)."""

    kind: type[BaseException]
    args: tuple[Any, ...]
    state: dict[str, Any]


def run_confined(reader: Callable[..., T], *args: Any, limits: Limits | None = None) -> T:
    """``reader(*args)`` in a fresh child process under ``limits``; blocks the calling thread, not the loop."""
    limits = limits or LIMITS
    command = [sys.executable, "-m", "storage.confined", str(limits.memory), str(limits.cpu_seconds)]
    try:
        child = subprocess.run(
            command,
            input=pickle.dumps((reader, args)),
            capture_output=True,
            cwd=ROOT,
            timeout=limits.wall_seconds,
        )
    except subprocess.TimeoutExpired:
        raise UploadTooHeavy() from None
    if child.returncode != 0:  # out of memory, or killed at its CPU limit (SIGXCPU, then SIGKILL)
        log.warning(
            "an upload's parse ended with %s: %s",
            child.returncode,
            child.stderr[-2000:].decode(errors="replace"),
        )
        raise UploadTooHeavy()
    result = pickle.loads(child.stdout)
    if isinstance(result, _Raised):
        refusal = result.kind.__new__(result.kind)
        refusal.args = result.args
        vars(refusal).update(result.state)
        raise refusal
    outcome: T = result
    return outcome


def _serve(memory: int, cpu_seconds: int) -> None:
    """The child: its limits first (hard ones too, so the reader cannot raise them), then the one parse."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    reader, args = pickle.load(sys.stdin.buffer)
    try:
        result = reader(*args)
    except Exception as raised:  # the reader's own refusal, given back to the caller as it was raised
        if _out_of_memory(raised):  # also when a reader's broad ``except`` turned it into "damaged file"
            sys.exit(3)
        result = _Raised(type(raised), raised.args, dict(vars(raised)))
    sys.stdout.buffer.write(pickle.dumps(result))


def _out_of_memory(raised: BaseException | None) -> bool:
    while raised is not None:
        if isinstance(raised, MemoryError):
            return True
        raised = raised.__cause__ or raised.__context__
    return False


if __name__ == "__main__":  # run as a module: its classes pickled by their importable name
    from storage.confined import _serve as serve

    serve(int(sys.argv[1]), int(sys.argv[2]))
