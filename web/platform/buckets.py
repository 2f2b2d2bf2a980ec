"""节奏 — token buckets per key in the web process's memory: ``burst`` at once, then ``per_minute``; an empty
bucket answers 429 ``too_many_submissions`` with ``Retry-After``. Used by the tablet's submissions
(web/tablet/pace.py). Each process has its own: the online channel's limits, which must hold however many
processes serve, are shared in PostgreSQL instead (web/platform/shared_buckets.py, same ``Pace``)."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from math import ceil

from web.platform.errors import TooManySubmissions

REMEMBERED = 100_000
"""Buckets kept (the least recently used go first: a full bucket forgotten is the same as a new one)."""


@dataclass(frozen=True)
class Pace:
    burst: int
    per_minute: float


class Buckets:
    def __init__(self, pace: Pace) -> None:
        self.pace = pace
        self.buckets: OrderedDict[tuple[str, ...], tuple[float, float]] = OrderedDict()

    def take(self, *key: str) -> None:
        """One submission for ``key``, or ``TooManySubmissions`` saying how many seconds until the next."""
        now = time.monotonic()
        rate = self.pace.per_minute / 60.0
        tokens, then = self.buckets.pop(key, (float(self.pace.burst), now))
        tokens = min(float(self.pace.burst), tokens + (now - then) * rate)
        if tokens < 1.0:
            self.buckets[key] = (tokens, now)
            seconds = max(1, ceil((1.0 - tokens) / rate))
            raise TooManySubmissions(seconds=seconds)
        self.buckets[key] = (tokens - 1.0, now)
        if len(self.buckets) > REMEMBERED:
            self.buckets.popitem(last=False)
