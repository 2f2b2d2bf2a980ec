"""截至某时的结果 — a round's results as they stood at any past event position or moment.

Computed afresh from the events up to that position with ``projections.recount_rule`` (the
auditor's implementation), read through the library (``recorder.select_notifications`` and
``mapper.to_domain_event``). For the organiser's "what did the screen show at 10:42" and for audits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from projections.audit import recount_record
from projections.event_log import position_at, read_events
from projections.recount_fold import TOPICS, replay


def results_as_of(app: Application[UUID], round_key: str, position: int) -> dict[str, dict[str, Any]]:
    """Department → its published numbers after the event at ``position``.

    Each value has ``group``, ``eligible``, ``returned``, ``valid_votes``, ``abstentions``,
    ``level_counts``, ``score``, ``satisfaction_rate``, ``final`` (texts like "60.000"), ``status``,
    ``rank`` and ``position`` (display order in its group). Empty if the round did not exist yet.
    """
    records = replay(read_events(app, stop=position, topics=TOPICS))
    record = records.get(round_key)
    return {} if record is None else recount_record(record)


def results_at(
    app: Application[UUID], round_key: str, moment: datetime
) -> tuple[int, dict[str, dict[str, Any]]]:
    """The position of the last event at or before ``moment`` (timezone-aware), and the results then."""
    position = position_at(app, moment)
    return position, results_as_of(app, round_key, position)
