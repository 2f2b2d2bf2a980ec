"""Events stamped with the day only: for aggregates whose events' time of day would be a clue to who or when
(评议票, 留名建议, 网络评议资格). The day is Beijing's (``round_day``), as the sitting's and the deadlines' are:
an event is stamped 00:00 Asia/Shanghai of its day, kept in UTC (16:00 the day before). Events stamped before
this kept 00:00 UTC of their UTC day; read through ``round_day.day_of``, both give a date."""

from __future__ import annotations

from datetime import UTC, datetime

from eventsourcing.domain import Aggregate

from evaluation.round_day import ROUND_ZONE


class DayStamped(Aggregate.Event):
    """An event whose timestamp is cut to the start of its day in Beijing."""

    @staticmethod
    def create_timestamp() -> datetime:
        return day_start(Aggregate.Event.create_timestamp())


def day_start(moment: datetime) -> datetime:
    """00:00 in Beijing of ``moment``'s day there, in UTC."""
    local = moment.astimezone(ROUND_ZONE)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
