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

from evaluation.round_day import ROUND_ZONE
from projections.audit import recount_record
from projections.event_log import last_position, position_at, read_events
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


class BadMoment(ValueError):
    """``as_of`` is neither an event position nor a time (its message says so in plain Chinese)."""


def moment_or_position(text: str) -> int | datetime:
    """``"1234"`` → event position 1234; ``"2026-03-01 10:42"`` / ISO 8601 → that moment (Beijing time
    unless a zone is given)."""
    text = text.strip()
    if text.isdigit():
        if len(text) > 15:
            raise BadMoment("事件位置过大")
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise BadMoment(
            f"「{text[:40]}」既不是事件位置（正整数），也不是时间（如 2026-03-01 10:42）"
        ) from None
    return moment.replace(tzinfo=ROUND_ZONE) if moment.tzinfo is None else moment


def resolve(app: Application[UUID], as_of: int | datetime) -> int:
    """The event position meant: the number itself (at most the newest), or the last event at or before
    the moment."""
    if isinstance(as_of, datetime):
        return position_at(app, as_of)
    return min(as_of, last_position(app))


def in_groups(results: dict[str, dict[str, Any]]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Group → its departments in display order (position)."""
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for department, numbers in results.items():
        groups.setdefault(numbers["group"], []).append((department, numbers))
    for lines in groups.values():
        lines.sort(key=lambda line: (line[1]["position"] or 0, line[0]))
    return dict(sorted(groups.items()))


SEALED = ("returned", "valid_votes", "abstentions", "level_counts", "score", "satisfaction_rate", "final")


def sealed_results_as_of(
    app: Application[UUID], round_key: str, position: int, k: int = 5
) -> dict[str, dict[str, Any]]:
    """``results_as_of`` as a person may see it afterwards: a department whose scoring window was open at
    that position, or with fewer than ``k`` ballots (but some), shows no numbers (``sealed`` says why).
    Otherwise two neighbouring positions would tell one ballot's choice."""
    records = replay(read_events(app, stop=position, topics=TOPICS))
    record = records.get(round_key)
    if record is None:
        return {}
    found = recount_record(record)
    for department, numbers in found.items():
        why = (
            "评分进行中"
            if department in record.open_windows
            else f"计票不足 {k} 张"
            if 0 < numbers["returned"] < k
            else None
        )
        numbers["sealed"] = why
        if why:
            numbers.update(dict.fromkeys(SEALED))
    return found
