"""一批变更 — what one batch of events changes in the view tables, collected before anything is written.

Rows whose content comes from the event itself (a ballot's comment, a suggestion's text) are kept
here whole, keyed by primary key so the last change in the batch wins; rows that mirror the
in-memory state (rounds, departments, windows, representatives, results) are only marked, and are
built from the state once the whole batch is folded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from projections.tables import BallotRow, HistoryRow, OpinionRow, ReceiptRow, ReportRevisionRow, SuggestionRow


@dataclass
class Changes:
    """The view rows one batch touches; ``touched`` are the rounds to NOTIFY about."""

    ballots: dict[UUID, BallotRow] = field(default_factory=dict)
    voids: dict[UUID, int] = field(default_factory=dict)
    """Ballots voided whose row was written by an earlier batch: id → position of the void."""
    receipts: list[ReceiptRow] = field(default_factory=list)
    suggestions: dict[UUID, SuggestionRow] = field(default_factory=dict)
    answers: dict[UUID, tuple[str, str]] = field(default_factory=dict)
    """Suggestions answered whose row was written by an earlier batch: id → (the last answer, the first
    answer's day in this batch)."""
    history: list[HistoryRow] = field(default_factory=list)
    report_revisions: list[ReportRevisionRow] = field(default_factory=list)
    opinions: dict[UUID, OpinionRow] = field(default_factory=dict)
    rounds: set[str] = field(default_factory=set)
    departments: set[tuple[str, str]] = field(default_factory=set)
    windows: set[tuple[str, str]] = field(default_factory=set)
    representatives: set[UUID] = field(default_factory=set)
    tallies: set[tuple[str, str]] = field(default_factory=set)
    """Departments to count again (their ballots or their round's rule changed)."""
    sittings: set[tuple[str, str]] = field(default_factory=set)
    """Sittings whose eligible count may have changed: their departments' turnout is written again."""
    venues: set[tuple[str, str]] = field(default_factory=set)
    online_channels: set[str] = field(default_factory=set)
    """Rounds whose online period or invitation counts changed (``projections.fold_online``)."""
    online_ballots: set[UUID] = field(default_factory=set)
    online_tallies: set[tuple[str, str]] = field(default_factory=set)
    whole_rounds: set[str] = field(default_factory=set)
    """Rounds whose instrument, categories, components or agenda changed: everything is recomputed."""
    touched: set[str] = field(default_factory=set)
    removed: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    """Rows of things taken out of a round (a venue, a department, an emptied group's ranking): view table
    name and primary key; deleted before the batch's rows are written."""
