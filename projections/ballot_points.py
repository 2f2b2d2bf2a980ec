"""一票的得分 — what one counting ballot is worth under the rule (docs/scoring.md §1), and ballots as kinds.

Pure functions, no I/O, exact ``Fraction`` points. ``projections.scoring`` counts a department from these;
the projection keeps each department's ballots as a multiset of kinds (ballots alike in category, choice
and scores count alike).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from evaluation.instrument import SCORED, UNKNOWN, Instrument


@dataclass(frozen=True)
class CountingBallot:
    """计票用票 — the counting version of one representative's ballot for one department.

    Already filtered (§2): the last accepted version, not voided. ``choice`` is a level key, ``UNKNOWN``
    (不了解, an abstention), or ``SCORED`` for a criteria ballot, with ``scores`` per criterion key.
    """

    category: str
    choice: str
    scores: Mapping[str, int] | None = None


class Countable(Protocol):
    """What the rule reads of a ballot: a ``CountingBallot``, or the projection's own record of one."""

    @property
    def category(self) -> str: ...
    @property
    def choice(self) -> str: ...
    @property
    def scores(self) -> Mapping[str, int] | None: ...


def points_of(instrument: Instrument, ballot: Countable) -> Fraction | None:
    """得分 of one ballot (§1); ``None`` for an abstention. Raises ``ValueError`` for a malformed ballot."""
    if ballot.choice == UNKNOWN:
        return None
    if instrument.kind == "levels":
        level = instrument.level(ballot.choice)
        if level is None:
            raise ValueError(f"评价等次「{ballot.choice}」不在评议表中")
        return Fraction(level.points)
    scores = ballot.scores or {}
    in_range = all(0 <= scores.get(c.key, -1) <= c.max_score for c in instrument.criteria)
    if ballot.choice != SCORED or not in_range:
        raise ValueError("评议票须对每个评价指标给出 0 到满分之间的整数分")
    weighted = (Fraction(c.weight) * scores[c.key] / c.max_score for c in instrument.criteria)
    return sum(weighted, Fraction(0)) * 100


def is_satisfied(instrument: Instrument, ballot: Countable) -> bool:
    """计为满意 (§1): the level's flag, or criteria points ≥ the threshold; never for an abstention."""
    points = points_of(instrument, ballot)
    if points is None:
        return False
    if instrument.kind == "levels":
        level = instrument.level(ballot.choice)
        return level is not None and level.satisfied
    return points >= Fraction(instrument.satisfied_threshold)


Scores = tuple[tuple[str, int], ...] | None
"""A ballot's scores as a hashable value: (criterion, score) pairs in criterion order, or ``None``."""
BallotKind = tuple[str, str, Scores]
"""(category, choice, scores): ballots alike in these count alike, so the rule counts each kind once."""


def kind_of_ballot(ballot: Countable) -> BallotKind:
    scores = None if ballot.scores is None else tuple(sorted(ballot.scores.items()))
    return ballot.category, ballot.choice, scores


def ballot_of_kind(kind: BallotKind) -> CountingBallot:
    """One ballot of the kind, as the rule's ``points_of`` takes it."""
    category, choice, scores = kind
    return CountingBallot(category, choice, None if scores is None else dict(scores))


def ballot_multiset(ballots: Iterable[Countable]) -> Counter[BallotKind]:
    """How many ballots of each kind."""
    return Counter(kind_of_ballot(b) for b in ballots)
