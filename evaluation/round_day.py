"""今天 — the day as the activity counts it: the date in Beijing (Asia/Shanghai), whatever the server's zone.

A round's deadlines (办理期限, in working days), what is overdue, the daily digest and the handling figure are
all counted in these days. The server keeps UTC, whose date is still yesterday's from 00:00 to 08:00 in
Beijing: ``date.today()`` there would assign a term one day short and call an answer given at 03:00 on time
a day late. Every such computation asks this module, and the domain takes the moment from a clock that a
caller (or a test) may replace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ROUND_ZONE = ZoneInfo("Asia/Shanghai")
"""Where the activity's days begin and end."""

Clock = Callable[[], datetime]
"""The current moment, timezone-aware."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def day_of(moment: datetime) -> date:
    """The Beijing date of a moment (timezone-aware: a naive one would be taken as the server's zone)."""
    if moment.tzinfo is None:
        raise ValueError("a moment without a timezone has no day in Beijing")
    return moment.astimezone(ROUND_ZONE).date()


def round_today(clock: Clock = utc_now) -> date:
    """Today in Beijing, by ``clock``."""
    return day_of(clock())
