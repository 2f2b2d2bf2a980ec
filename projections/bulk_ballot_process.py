"""投票重建进程的句柄 — a ballot process of a bulk rebuild, seen from the rebuilding process.

It starts ``python -m projections.bulk_ballots`` with the event store's settings in its environment and a
pipe to write on, and reads back what it sends last: its ``BallotTotals``, or the traceback of its failure.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from projections import bulk_ballots
from projections.bulk_ballots import BallotTotals

ROOT = str(Path(__file__).resolve().parent.parent)
"""Where the packages are, for the ballot processes' ``python -m``."""


class BallotSideFailed(RuntimeError):
    """A ballot process failed (its traceback is the message) or ended without its totals."""


class BallotProcess:
    """A ballot process, seen from the rebuilding process: ``totals`` waits for what it writes last;
    ``close`` ends the process in any case.

    A fresh interpreter (no thread or connection of the caller's forked) running ``projections.bulk_ballots``
    (its ``main``): it imports what the fold needs, ~0.4 s, where multiprocessing's spawn would import the
    caller's whole program again (~0.9 s for the benchmark's)."""

    def __init__(self, env: Mapping[str, str], stop: int, partition: int, drain: int) -> None:
        read, write = os.pipe()
        arguments = [str(n) for n in (stop, partition, drain, write)]
        command = [sys.executable, "-m", bulk_ballots.__name__, *arguments]
        path = os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH")) if p)
        environment = {**os.environ, **env, "PYTHONPATH": path}
        self.process = subprocess.Popen(command, env=environment, pass_fds=[write])
        os.close(write)
        self.pipe = os.fdopen(read, "rb")
        self.done = False

    def totals(self) -> BallotTotals:
        """What the process sent last: its totals, or ``BallotSideFailed``."""
        try:
            message = pickle.load(self.pipe)
        except EOFError:  # it ended without a word (killed)
            code = self.process.wait(timeout=5)
            raise BallotSideFailed(f"投票重建进程意外结束（退出码 {code}）") from None
        if not isinstance(message, BallotTotals):
            raise BallotSideFailed(message)
        self.done = True
        return message

    def close(self) -> None:
        if not self.done and self.process.poll() is None:  # the rebuild failed
            self.process.terminate()
        self.process.wait()
        self.pipe.close()
