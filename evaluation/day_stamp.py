"""Events stamped with the day only (UTC): for aggregates whose events' time of day would be a clue to who
or when (评议票, 留名建议)."""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate


class DayStamped(Aggregate.Event):
    """An event whose timestamp is cut to the day (UTC)."""

    @staticmethod
    def create_timestamp() -> datetime:
        return Aggregate.Event.create_timestamp().replace(hour=0, minute=0, second=0, microsecond=0)
