"""复核计票 — recount every round from the events and compare with what the views publish.

Both sides are written as the same canonical listing, one line per department with every published
number (turnout, counts, score, rate, final, status, rank, display position); the digest is the
sha256 of the sorted lines. Equal digests mean the published results follow from the events.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from projections.ballot_points import CountingBallot
from projections.event_log import APPLICATION_NAME, read_events
from projections.recount_fold import TOPICS, RoundRecord, offered, replay
from projections.recount_rule import recount

TRACKING_TABLE = "views_tracking"
"""The library's tracking table of the ``views`` projection (``<name>_tracking``)."""


def recount_record(record: RoundRecord) -> dict[str, dict[str, Any]]:
    """recount_rule's results for one round, with eligible added (§5)."""
    counting: dict[str, list[CountingBallot]] = {}
    for ballot in record.ballots.values():
        if ballot["voided"] or ballot["counting"] is None:
            continue
        choice, scores = ballot["counting"]
        if offered(record.instrument, choice, scores):
            counting.setdefault(ballot["department"], []).append(
                CountingBallot(ballot["category"], choice, scores)
            )
    results = recount(record.instrument, record.shares, record.groups, counting, record.imported)
    for department, result in results.items():
        sitting = next((s for s, agenda in record.agendas.items() if department in agenda), None)
        reps = record.representatives.values()
        result["eligible"] = sum(1 for r in reps if r["sitting"] == sitting and not r["revoked"])
    return results


def recount_events(app: Application[UUID], stop: int | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """Round → department → published numbers, from the events up to position ``stop``."""
    records = replay(read_events(app, stop=stop, topics=TOPICS))
    return {key: recount_record(record) for key, record in records.items()}


def line(round_key: str, department: str, r: Mapping[str, Any]) -> str:
    levels = ",".join(f"{k}={n}" for k, n in sorted(r["level_counts"].items()))
    return (
        f"{round_key}|{department}|group={r['group']}|eligible={r['eligible']}|returned={r['returned']}"
        f"|valid={r['valid_votes']}|abstentions={r['abstentions']}|levels={levels}|score={r['score']}"
        f"|rate={r['satisfaction_rate']}|final={r['final']}|status={r['status']}|rank={r['rank']}"
        f"|position={r['position']}"
    )


def recount_listing(results: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[str]:
    return sorted(line(key, d, r) for key, departments in results.items() for d, r in departments.items())


def views_listing(curs: Cursor[DictRow], schema: str) -> list[str]:
    """The same listing, read from results_view and rankings_view."""
    s = Identifier(schema)
    placed: dict[tuple[str, str], dict[str, Any]] = {}
    for row in curs.execute(SQL("SELECT round_key, ranking FROM {}.rankings_view").format(s)).fetchall():
        for entry in row["ranking"]:
            placed[(row["round_key"], entry["department"])] = entry
    lines = []
    query = SQL("SELECT round_key, department, eligible, returned, tally FROM {}.results_view").format(s)
    for row in curs.execute(query).fetchall():
        key, department, tally = row["round_key"], row["department"], row["tally"]
        entry = placed.get((key, department), {})
        published = tally | {
            "eligible": row["eligible"],
            "returned": row["returned"],
            "status": entry.get("status"),
            "rank": entry.get("rank"),
            "position": entry.get("position"),
        }
        lines.append(line(key, department, published))
    return sorted(lines)


def views_position(curs: Cursor[DictRow], schema: str) -> int:
    """The position the views were written at (their tracking row)."""
    query = SQL("SELECT max(notification_id) AS position FROM {}.{} WHERE application_name = %s").format(
        Identifier(schema), Identifier(TRACKING_TABLE)
    )
    row = curs.execute(query, (APPLICATION_NAME,)).fetchone()
    return int(row["position"] or 0) if row else 0


def digest(lines: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True)
class Comparison:
    """The two listings and where they differ."""

    from_events: list[str]
    from_views: list[str]
    position: int = 0
    """The views' tracked position; the events were recounted up to it."""

    @property
    def matches(self) -> bool:
        return self.from_events == self.from_views

    def differences(self) -> list[str]:
        events, views = set(self.from_events), set(self.from_views)
        return [f"- 事件 {x}" for x in sorted(events - views)] + [
            f"+ 读模型 {x}" for x in sorted(views - events)
        ]
