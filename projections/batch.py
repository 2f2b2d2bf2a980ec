"""一批写入 — every row one batch writes, computed in Python before the transaction opens."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from projections.changes import Changes
from projections.fold_online import online_result_rows
from projections.publish import expand_whole_rounds, results_rows, venue_rows
from projections.state import ViewState
from projections.tables import (
    BallotRow,
    DepartmentRow,
    HistoryRow,
    OnlineBallotRow,
    OnlineChannelRow,
    OnlineResultRow,
    OpinionRow,
    RankingRow,
    ReceiptRow,
    ReportRevisionRow,
    RepresentativeRow,
    ResultRow,
    RoundRow,
    SuggestionRow,
    VenueRow,
    WindowRow,
)


@dataclass
class Batch:
    """The rows of one transaction, with the position it tracks and the rounds it NOTIFYs about."""

    position: int
    rounds: list[RoundRow] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    windows: list[WindowRow] = field(default_factory=list)
    representatives: list[RepresentativeRow] = field(default_factory=list)
    ballots: list[BallotRow] = field(default_factory=list)
    voids: list[tuple[int, UUID]] = field(default_factory=list)
    receipts: list[ReceiptRow] = field(default_factory=list)
    suggestions: list[SuggestionRow] = field(default_factory=list)
    answers: list[tuple[str, str, UUID]] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    report_revisions: list[ReportRevisionRow] = field(default_factory=list)
    results: list[ResultRow] = field(default_factory=list)
    rankings: list[RankingRow] = field(default_factory=list)
    venues: list[VenueRow] = field(default_factory=list)
    opinions: list[OpinionRow] = field(default_factory=list)
    online_channels: list[OnlineChannelRow] = field(default_factory=list)
    online_ballots: list[OnlineBallotRow] = field(default_factory=list)
    online_results: list[OnlineResultRow] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    removed: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    """(view table, primary key) of rows to delete before the others are written (``Changes.removed``)."""
    events: int = 0


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def build_batch(state: ViewState, changes: Changes, position: int, events: int) -> Batch:
    """Turn the folded changes into rows (and recount the departments they touched)."""
    expand_whole_rounds(state, changes)
    results, rankings = results_rows(state, changes, position)
    venues = [row for row in venue_rows(state, changes) if row.venue in state.rounds[row.round_key].venues]
    batch = Batch(position, results=results, rankings=rankings, venues=venues, events=events)
    batch.removed = sorted(changes.removed)
    for key in sorted(changes.rounds):
        r = state.rounds[key]
        batch.rounds.append(
            RoundRow(
                key,
                r.title,
                _dumps(r.instrument_dict),
                _dumps(r.categories),
                _dumps(r.groups),
                _dumps(r.venues),
                _dumps(r.sittings),
                _dumps(r.components),
                r.revealed,
                r.locked,
                r.published,
                r.pre_reading,
                r.position,
            )
        )
    for key, department in sorted(changes.departments):
        if (d := state.rounds[key].departments.get(department)) is None:
            continue
        report = None if d.report is None else _dumps(d.report)
        batch.departments.append(
            DepartmentRow(
                key,
                department,
                d.name,
                d.short_name,
                d.group,
                d.head,
                report,
                d.report_revision,
                d.credential_serial,
            )
        )
    for key, department in sorted(changes.windows):
        w = state.rounds[key].windows[department]
        batch.windows.append(WindowRow(key, department, w.is_open, w.openings, w.changed_at))
    batch.representatives = representative_rows(state, changes)
    batch.ballots = list(changes.ballots.values())
    batch.voids = [(position, ballot) for ballot, position in changes.voids.items()]
    batch.receipts = changes.receipts
    batch.suggestions = list(changes.suggestions.values())
    batch.answers = [(text, day, s) for s, (text, day) in changes.answers.items()]
    batch.history = changes.history
    batch.report_revisions = changes.report_revisions
    batch.opinions = list(changes.opinions.values())
    batch.online_channels = [state.online_channels[k] for k in sorted(changes.online_channels)]
    batch.online_ballots = [state.online_ballots[b] for b in sorted(changes.online_ballots)]
    batch.online_results = online_result_rows(state, changes)
    batch.notices = [f"{key}:{position}" for key in sorted(changes.touched)] or [f":{position}"]
    return batch


def representative_rows(state: ViewState, changes: Changes) -> list[RepresentativeRow]:
    """The representatives_view rows of the representatives the batch changed."""
    rows: list[RepresentativeRow] = []
    for rep_id in changes.representatives:
        p = state.representatives[rep_id]
        rows.append(
            RepresentativeRow(
                rep_id,
                p.round_key,
                p.number,
                p.name,
                p.category,
                p.venue,
                p.sitting,
                p.phone,
                p.credential_serial,
                p.revoked,
                p.checked_in,
            )
        )
    return rows
