"""审计包的文件 — what the public audit bundle's files say (``projections.audit_bundle`` zips them): the rule
(rule.json), the counting ballots (ballots.csv), why others were left out (counts.json) and the imported
components (components.csv), all from a round replayed up to its publication (``projections.recount_fold``).

Small departments stay secret (k-匿名): ``suppressed`` is the one place deciding it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol

from evaluation.instrument import UNKNOWN
from projections.event_log import kind_of
from projections.recount_fold import RoundRecord, offered

K = 5
"""最小公布单元 — a department with fewer counting ballots keeps its ballots and numbers out of the bundle."""

RULE_FORMAT = "sanmin-audit-rule/1"


def suppressed(counting: Mapping[str, int], k: int = K) -> set[str]:
    """The departments with some counting ballots, but fewer than ``k``: their ballots, counts and
    numbers stay out of the bundle (the same k as the comments' 5). Their rank and display position
    stay. A department without any ballot has nothing to hide."""
    return {department for department, n in counting.items() if 0 < n < k}


@dataclass
class Versions:
    """Per ballot, how many of its versions were accepted while its department's window was open."""

    round_key: str
    departments: dict[UUID, str] = field(default_factory=dict)
    windows: dict[UUID, str] = field(default_factory=dict)
    open: set[str] = field(default_factory=set)
    accepted: Counter[UUID] = field(default_factory=Counter)

    def watch(
        self, events: Iterator[tuple[int, DomainEventProtocol[UUID]]]
    ) -> Iterator[tuple[int, DomainEventProtocol[UUID]]]:
        for position, event in events:
            kind, fields, aggregate = kind_of(event), vars(event), event.originator_id
            if kind in ("ScoringWindow.Created", "Ballot.Cast") and fields["round_key"] == self.round_key:
                (self.windows if kind.startswith("Scoring") else self.departments)[aggregate] = fields[
                    "department"
                ]
            if aggregate in self.windows:
                if kind in ("ScoringWindow.Opened", "ScoringWindow.Reopened"):
                    self.open.add(self.windows[aggregate])
                elif kind == "ScoringWindow.Closed":
                    self.open.discard(self.windows[aggregate])
            elif kind in ("Ballot.Cast", "Ballot.Amended") and self.departments.get(aggregate) in self.open:
                self.accepted[aggregate] += 1
            yield position, event


def rule_document(round_key: str, title: str, record: RoundRecord) -> dict[str, Any]:
    """rule.json: the instrument and every tally parameter (docs/scoring.md §1, §3, §4, §6)."""
    instrument = record.instrument
    return {
        "format": RULE_FORMAT,
        "round": round_key,
        "title": title,
        "kind": instrument.kind,
        "levels": [
            {"key": lv.key, "label": lv.label, "points": lv.points, "satisfied": lv.satisfied}
            for lv in instrument.levels
        ]
        if instrument.kind == "levels"
        else [],
        "abstention": {"key": UNKNOWN, "label": instrument.unknown_label},
        "criteria": [
            {"key": c.key, "label": c.label, "max": c.max_score, "weight": str(c.weight)}
            for c in instrument.criteria
        ]
        if instrument.kind == "criteria"
        else [],
        "satisfied_threshold": str(instrument.satisfied_threshold),
        "category_shares": {key: str(share) for key, share in sorted(record.shares.items())},
        "weighting": instrument.weighting,
        "trim": instrument.trim,
        "min_valid_votes": instrument.min_valid_votes,
        "components": {key: str(weight) for key, weight in instrument.components.items()},
        "departments": {department: group for department, group in sorted(record.groups.items())},
        "suppression_k": K,
    }


def ballot_rows(
    record: RoundRecord, hidden: set[str], seed: bytes
) -> tuple[list[str], list[list[str]], Counter[str]]:
    """ballots.csv's header and rows (shuffled), and the not-offered ballots per department."""
    instrument = record.instrument
    criteria = [c.key for c in instrument.criteria] if instrument.kind == "criteria" else []
    rows: list[list[str]] = []
    dropped: Counter[str] = Counter()
    for ballot in record.ballots.values():
        if ballot["voided"] or ballot["counting"] is None:
            continue
        choice, scores = ballot["counting"]
        if not offered(instrument, choice, scores):
            dropped[ballot["department"]] += 1
            continue
        if ballot["department"] in hidden:
            continue
        marks = [str(scores[c]) if choice != UNKNOWN and scores else "" for c in criteria]
        rows.append([ballot["department"], ballot["category"], choice, *marks])
    rows.sort()
    random.Random(seed).shuffle(rows)
    return ["department", "category", "choice", *criteria], rows, dropped


def counting_per_department(record: RoundRecord) -> Counter[str]:
    counted: Counter[str] = Counter()
    for ballot in record.ballots.values():
        if not ballot["voided"] and ballot["counting"] is not None:
            choice, scores = ballot["counting"]
            if offered(record.instrument, choice, scores):
                counted[ballot["department"]] += 1
    return counted


def counts_document(
    record: RoundRecord, versions: Versions, hidden: set[str], dropped: Counter[str]
) -> dict[str, Any]:
    """counts.json: per department, the ballots left out of ballots.csv and why."""
    voided: Counter[str] = Counter()
    superseded: Counter[str] = Counter()
    for ballot_id, ballot in record.ballots.items():
        if ballot["voided"]:
            voided[ballot["department"]] += 1
        else:
            superseded[ballot["department"]] += max(versions.accepted[ballot_id] - 1, 0)
    return left_out(sorted(record.groups), hidden, voided, superseded, dropped)


def left_out(
    departments: Iterable[str],
    hidden: set[str],
    voided: Counter[str],
    superseded: Counter[str],
    dropped: Counter[str],
) -> dict[str, dict[str, Any]]:
    """Each department's entry in counts.json (the hall's, and its ``online`` part): suppressed, or how many
    ballots were left out of the file because voided, superseded or not offered by the rule."""
    return {
        department: {"suppressed": True}
        if department in hidden
        else {
            "suppressed": False,
            "voided": voided[department],
            "superseded": superseded[department],
            "not_offered": dropped[department],
        }
        for department in departments
    }


def component_rows(record: RoundRecord) -> list[list[str]]:
    declared = [c for c in record.instrument.components if c != "live"]
    return [
        [department, component, str(score)]
        for component in declared
        for department, score in sorted(record.imported.get(component, {}).items())
    ]
