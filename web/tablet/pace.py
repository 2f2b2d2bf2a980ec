"""提交节奏 — how often a representative may send ballots (改票 included) and signed suggestions (留名建议).

A token bucket per key, in the web process's memory (nothing extra on the ballot's path but a dictionary
look-up): ballots per representative *and department* (a tablet coming back online sends one ballot per
department at once, and those are never held up by each other), suggestions per representative. A bucket
holds ``burst`` submissions and refills at ``per_minute``; an empty one answers 429 ``too_many_submissions``
with ``Retry-After``. The tablet's outbox (web/tablet/static/outbox.js) keeps a refused-for-now ballot and
sends it again later with the same client id, so nothing is lost.

Each web process keeps its own buckets: with W processes a representative can reach at most W times the
rate (a tablet's connection is kept open, so it mostly talks to one). Enough for the point: amending or
suggesting thousands of times a minute — filling the log and the department's inbox — is refused. Kept so
on purpose, unlike the online channel's limits (shared in PostgreSQL, web/platform/shared_buckets.py):
there the buckets stand between an anonymous crowd and SMS that cost money, here between one card — whose
session is a server-side row the desk can end — and the hall's hot ballot path, which gains no write per
ballot.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from web.platform.buckets import Buckets, Pace

__all__ = ["Buckets", "Pace", "SubmissionPace", "Submissions"]


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


class Submissions:
    """The web process's buckets (``app.state.submissions``)."""

    def __init__(self, pace: SubmissionPace | None = None) -> None:
        self.pace = pace or SubmissionPace.from_environment()
        self.ballots = Buckets(self.pace.ballots)
        self.suggestions = Buckets(self.pace.suggestions)
