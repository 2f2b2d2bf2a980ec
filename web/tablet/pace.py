"""提交节奏 — how often a representative may send ballots (改票 included) and signed suggestions (留名建议).

A token bucket per key, in the web process's memory (nothing extra on the ballot's path but a dictionary
look-up): ballots per representative *and department* (a tablet coming back online sends one ballot per
department at once, and those are never held up by each other), suggestions per representative. A bucket
holds ``burst`` submissions and refills at ``per_minute``; an empty one answers 429 ``too_many_submissions``
with ``Retry-After``. The tablet's outbox (web/tablet/static/outbox.js) keeps a refused-for-now ballot and
sends it again later with the same client id, so nothing is lost.

Each web process keeps its own buckets: with W processes a representative can reach at most W times the
rate (a tablet's connection is kept open, so it mostly talks to one). Enough for the point: amending or
suggesting thousands of times a minute — filling the log and the department's inbox — is refused.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from math import ceil

from web.platform.errors import TooManySubmissions

REMEMBERED = 100_000
"""Buckets kept (the least recently used go first: a full bucket forgotten is the same as a new one)."""


@dataclass(frozen=True)
class Pace:
    burst: int
    per_minute: float


@dataclass(frozen=True)
class SubmissionPace:
    """``ballots``: per representative and department; ``suggestions``: per representative."""

    ballots: Pace = field(default=Pace(burst=10, per_minute=10))
    suggestions: Pace = field(default=Pace(burst=5, per_minute=2))

    @classmethod
    def from_environment(cls) -> SubmissionPace:
        """SANMIN_BALLOTS_PER_MINUTE and SANMIN_SUGGESTIONS_PER_MINUTE, when set (whole numbers above zero):
        that many at once and that many a minute; else the defaults. (The benchmarks' tablets amend far
        faster than people do, so they lift it: scripts/bench/servers.py.)"""
        default = cls()
        return cls(
            _pace(os.environ.get("SANMIN_BALLOTS_PER_MINUTE"), default.ballots),
            _pace(os.environ.get("SANMIN_SUGGESTIONS_PER_MINUTE"), default.suggestions),
        )


def _pace(value: str | None, default: Pace) -> Pace:
    return Pace(int(value), int(value)) if value and value.isdigit() and int(value) > 0 else default


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


class Submissions:
    """The web process's buckets (``app.state.submissions``)."""

    def __init__(self, pace: SubmissionPace | None = None) -> None:
        self.pace = pace or SubmissionPace.from_environment()
        self.ballots = Buckets(self.pace.ballots)
        self.suggestions = Buckets(self.pace.suggestions)
