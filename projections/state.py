"""投影状态 — what the projection keeps in memory between batches, so a batch is computed before it writes.

It is the same information as the view tables (it is loaded back from them on start, see
``projections.view_store``), indexed for the fold: by aggregate id for events that carry no round key,
and per department for recounting a department a batch touched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from evaluation.instrument import Instrument
from projections.ballot_points import BallotKind, kind_of_ballot
from projections.scoring import DepartmentTally
from projections.tables import OnlineBallotRow, OnlineChannelRow, OpinionRow


@dataclass(slots=True)
class BallotFacts:
    """评议票 — the part of one ballot the tally needs: its counting (last accepted) version."""

    round_key: str
    department: str
    category: str
    choice: str
    scores: dict[str, int] | None
    accepted: bool
    """Some version was accepted while the department's window was open (docs/scoring.md §2)."""
    voided: bool = False

    @property
    def counted(self) -> bool:
        return self.accepted and not self.voided


@dataclass(slots=True)
class RepFacts:
    """市民代表 — a representatives_view row."""

    round_key: str
    number: int
    name: str
    category: str
    venue: str
    sitting: str
    phone: str | None
    credential_serial: int = 0
    revoked: bool = False
    checked_in: bool = False


@dataclass(slots=True)
class WindowFacts:
    """评分窗口 — open or closed at the projection's position."""

    is_open: bool
    openings: int
    changed_at: datetime


@dataclass(slots=True)
class DepartmentFacts:
    """被评议部门 — a departments_view row."""

    name: str
    short_name: str
    group: str
    head: str
    report: dict[str, str] | None = None
    report_revision: int = 0
    credential_serial: int = 0
    """Serial of the current 部门登录码: a department session signed in with an older one is ended."""


@dataclass(frozen=True)
class HeadCounts:
    """The round's representatives counted once for every batch until one of them changes."""

    eligible_by_sitting: Counter[str]
    """Not revoked, per sitting (a department's turnout is out of its sitting's)."""
    issued_by_venue: Counter[str]
    """Not revoked, per venue (对账)."""
    checked_in_by_venue: Counter[str]


@dataclass
class RoundFacts:
    """评议活动 — configuration, windows, ballots and current tallies of one round."""

    key: str
    title: str
    instrument_dict: dict[str, Any]
    categories: dict[str, dict[str, str]] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    venues: dict[str, str] = field(default_factory=dict)
    sittings: dict[str, dict[str, Any]] = field(default_factory=dict)
    components: dict[str, dict[str, str]] = field(default_factory=dict)
    revealed: bool = False
    locked: bool = False
    published: bool = False
    pre_reading: bool = False
    position: int = 0
    enrolled: dict[str, str] = field(default_factory=dict)
    """Department → its group, in order of enrolment (Round.DepartmentEnrolled)."""
    departments: dict[str, DepartmentFacts] = field(default_factory=dict)
    windows: dict[str, WindowFacts] = field(default_factory=dict)
    ballots: dict[str, dict[UUID, BallotFacts]] = field(default_factory=dict)
    representatives: dict[UUID, RepFacts] = field(default_factory=dict)
    tallies: dict[str, DepartmentTally] = field(default_factory=dict)
    multisets: dict[str, Counter[BallotKind]] = field(default_factory=dict)
    """Department → ballot kind → how many of its ballots count (``counted_ballots``)."""
    instrument: Instrument = field(init=False)
    _head_counts: HeadCounts | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.instrument = Instrument.from_dict(self.instrument_dict)

    def head_counts(self) -> HeadCounts:
        """Counted at the first batch that needs them after a representative changed (not at every batch:
        the projection would walk 18,000 representatives for each batch of ballots)."""
        if self._head_counts is None:
            reps = [r for r in self.representatives.values() if not r.revoked]
            self._head_counts = HeadCounts(
                Counter(r.sitting for r in reps),
                Counter(r.venue for r in reps),
                Counter(r.venue for r in self.representatives.values() if r.checked_in),
            )
        return self._head_counts

    def representative_changed(self) -> None:
        """Every change to a representative of the round goes through here (``fold_setup.representative_event``)."""
        self._head_counts = None

    def counted_ballots(self, department: str) -> Counter[BallotKind]:
        """The department's counting ballots as a multiset, made from its ballots at the first need and then
        kept as they change (``ballot_changing`` / ``ballot_changed``): a batch recounts a department in
        the time of its few kinds of ballot, not of its thousands of ballots."""
        kept = self.multisets.get(department)
        if kept is None:
            ballots = self.ballots.get(department, {}).values()
            kept = Counter(kind_of_ballot(b) for b in ballots if b.counted)
            self.multisets[department] = kept
        return kept

    def ballot_changing(self, facts: BallotFacts) -> None:
        """Every change to a ballot's counting version or voiding is made between this and ``ballot_changed``
        (``fold_votes``)."""
        kept = self.multisets.get(facts.department)
        if kept is not None and facts.counted:
            kept[kind_of_ballot(facts)] -= 1

    def ballot_changed(self, facts: BallotFacts) -> None:
        kept = self.multisets.get(facts.department)
        if kept is not None and facts.counted:
            kept[kind_of_ballot(facts)] += 1

    def set_instrument(self, instrument_dict: dict[str, Any]) -> None:
        self.instrument_dict = instrument_dict
        self.instrument = Instrument.from_dict(instrument_dict)

    def sitting_of(self, department: str) -> str | None:
        return next((k for k, s in self.sittings.items() if department in s["agenda"]), None)

    def shares(self) -> dict[str, Decimal]:
        return {key: Decimal(c["share"]) for key, c in self.categories.items()}

    def components_of(self, department: str) -> dict[str, Decimal]:
        return {
            k: Decimal(scores[department]) for k, scores in self.components.items() if department in scores
        }


@dataclass
class ViewState:
    """Everything the projection knows, with the indexes its fold needs."""

    rounds: dict[str, RoundFacts] = field(default_factory=dict)
    round_ids: dict[UUID, str] = field(default_factory=dict)
    """Round and roster aggregate ids → round key."""
    department_ids: dict[UUID, tuple[str, str]] = field(default_factory=dict)
    """Department and report aggregate ids → (round key, department)."""
    window_ids: dict[UUID, tuple[str, str]] = field(default_factory=dict)
    representatives: dict[UUID, RepFacts] = field(default_factory=dict)
    ballots: dict[UUID, BallotFacts] = field(default_factory=dict)
    suggestions: dict[UUID, tuple[str, str]] = field(default_factory=dict)
    """Suggestion id → (round key, department)."""
    opinions: dict[UUID, OpinionRow] = field(default_factory=dict)
    """Opinion id → its opinions_view row (``projections.fold_opinions``)."""
    online_channels: dict[str, OnlineChannelRow] = field(default_factory=dict)
    """Round key → its online period and invitation counts (``projections.fold_online``)."""
    online_ballots: dict[UUID, OnlineBallotRow] = field(default_factory=dict)
    """Online ballot id → its last version (``projections.fold_online``)."""
    online_kinds: dict[tuple[str, str], Counter[BallotKind]] = field(default_factory=dict)
    """(round key, department) → its online ballots that count, as a multiset of kinds, kept with
    ``online_ballots`` (``projections.fold_online.note_online``): a department with any online ballot, even
    voided, has an entry."""
