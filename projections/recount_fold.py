"""复核用事件回放 — the auditor's own reading of the counting rule (§2, §5) straight off the events.

Deliberately independent of the projection (``projections.fold*``, ``projections.publish``): plain
dictionaries, one pass in event order. For each ballot, the last version accepted while its
department's window was open is kept; a voided ballot is dropped; a ballot whose choice the round's
current instrument does not offer is dropped. The numbers are then computed by
``projections.recount_rule``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic

from evaluation.ballot import Ballot
from evaluation.instrument import SCORED, UNKNOWN, Instrument
from evaluation.representative import Representative
from evaluation.round import Round
from evaluation.window import ScoringWindow
from projections.event_log import kind_of

TOPICS = tuple(
    get_topic(cls)
    for aggregate in (Round, ScoringWindow, Representative, Ballot)
    for cls in vars(aggregate).values()
    if isinstance(cls, type) and issubclass(cls, aggregate.Event) and cls is not aggregate.Event
)
"""The only events a recount needs to read."""


@dataclass
class RoundRecord:
    """What the events say about one round, as the auditor counts it."""

    instrument: Instrument
    shares: dict[str, Decimal] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    agendas: dict[str, list[str]] = field(default_factory=dict)
    imported: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    open_windows: set[str] = field(default_factory=set)
    representatives: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    ballots: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    """Ballot → {"department", "category", "voided", "counting": (choice, scores) or None}."""


def replay(events: Iterable[tuple[int, DomainEventProtocol[UUID]]]) -> dict[str, RoundRecord]:
    """Every round's record after the given events."""
    rounds: dict[str, RoundRecord] = {}
    owner: dict[UUID, tuple[str, str]] = {}  # aggregate id → (round key, department or "")
    for _, e in events:
        kind, f = kind_of(e), vars(e)
        if kind == "Round.Created":
            rounds[f["key"]] = RoundRecord(Instrument.from_dict(f["instrument"]))
            owner[e.originator_id] = (f["key"], "")
        elif kind in ("ScoringWindow.Created", "Ballot.Cast"):
            owner[e.originator_id] = (f["round_key"], f["department"])
        elif kind == "Representative.Registered":
            owner[e.originator_id] = (f["round_key"], "")
        if e.originator_id in owner:
            key, department = owner[e.originator_id]
            _apply(rounds[key], kind, f, e.originator_id, department)
    return rounds


def _apply(r: RoundRecord, kind: str, f: dict[str, Any], aggregate: UUID, department: str) -> None:
    if kind == "Round.InstrumentChanged":
        r.instrument = Instrument.from_dict(f["instrument"])
    elif kind == "Round.CategoryDefined":
        r.shares[f["key"]] = Decimal(f["share"])
    elif kind == "Round.DepartmentEnrolled":
        r.groups[f["key"]] = f["group"]
    elif kind == "Round.SittingDefined":
        r.agendas[f["key"]] = list(f["agenda"])
    elif kind == "Round.CategoryRemoved":
        r.shares.pop(f["key"], None)
    elif kind == "Round.DepartmentWithdrawn":
        r.groups.pop(f["key"], None)
    elif kind == "Round.SittingRemoved":
        r.agendas.pop(f["key"], None)
    elif kind == "Round.ComponentImported":
        r.imported[f["component"]] = {d: Decimal(s) for d, s in f["scores"].items()}
    elif kind in ("ScoringWindow.Opened", "ScoringWindow.Reopened"):
        r.open_windows.add(department)
    elif kind == "ScoringWindow.Closed":
        r.open_windows.discard(department)
    elif kind == "Representative.Registered":
        r.representatives[aggregate] = {"sitting": f["sitting"], "revoked": False}
    elif kind == "Representative.Edited":
        r.representatives[aggregate]["sitting"] = f["sitting"]
    elif kind in ("Representative.CredentialIssued", "Representative.CredentialRevoked"):
        r.representatives[aggregate]["revoked"] = kind.endswith("Revoked")
    elif kind.startswith("Ballot."):
        _ballot(r, kind, f, aggregate, department)


def _ballot(r: RoundRecord, kind: str, f: dict[str, Any], aggregate: UUID, department: str) -> None:
    if kind == "Ballot.Cast":
        r.ballots[aggregate] = {
            "department": department,
            "category": f["category"],
            "voided": False,
            "counting": None,
        }
    ballot = r.ballots[aggregate]
    if kind == "Ballot.Voided":
        ballot["voided"] = True
    elif department in r.open_windows:
        ballot["counting"] = (f["choice"], f["scores"])


def offered(instrument: Instrument, choice: str, scores: dict[str, int] | None) -> bool:
    """Whether the instrument offers this choice (and, for criteria, every score is in range)."""
    if choice == UNKNOWN:
        return True
    if instrument.kind == "levels":
        return any(level.key == choice for level in instrument.levels)
    if choice != SCORED or scores is None or set(scores) != {c.key for c in instrument.criteria}:
        return False
    return all(0 <= scores[c.key] <= c.max_score for c in instrument.criteria)
