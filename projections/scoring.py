"""计分规则 — the one place a department's published numbers are computed (docs/scoring.md §1-§3, §6).

Pure functions, no I/O; what one ballot is worth is ``projections.ballot_points``. Every intermediate value
is an exact ``Fraction``; rounding happens once, at the end, half-up: score (and composite final) to 3 decimals, satisfaction rate as a percentage to 2 decimals.
Ranking (§4) is in ``projections.ranking``. ``projections.recount_rule`` is an independent second
implementation of the same rule, used by the auditor's recount.

Decisions the rule alone leaves open (docs/scoring.md records them):

* ``final`` is always set when the department has a live score and every declared component: with the
  default ``{"live": 1}`` it equals ``score``, so ranking can always use ``final``.
* A declared component (other than ``live``) missing for a department gives no ``final``; the department is
  not ranked (缺少组成部分). Imported components the round does not declare are ignored.
* With ``per_ballot`` weighting and trimming, the points trimmed within each category are dropped and the
  score is the plain mean of the points left over all categories; the satisfaction rate is never trimmed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from evaluation.instrument import Instrument
from projections.ballot_points import (
    BallotKind,
    Countable,
    Scores,
    ballot_multiset,
    ballot_of_kind,
    is_satisfied,
    points_of,
)

LIVE = "live"
"""现场评议 — the live evaluation's own component in the composite result (§6)."""

Ballots = Mapping[BallotKind, int]
"""A department's counting ballots as a multiset: how many of each kind."""


def round_half_up(value: Fraction, places: int) -> Decimal:
    """四舍五入 — exact half-up (away from zero on a tie, like ``ROUND_HALF_UP``) to ``places`` decimals."""
    whole, rest = divmod(abs(value.numerator) * 10**places, value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


@dataclass(frozen=True)
class CategoryTally:
    """One representative category's part of a department's result (§3)."""

    category: str
    share: Decimal
    valid_votes: int
    abstentions: int
    satisfied: int
    trimmed: int
    """How many valid votes trimming dropped (0, or 2k when the category has more than 2k valid votes)."""
    kept_points: Fraction
    """Σ points of the valid votes left after trimming."""

    @property
    def mean(self) -> Fraction | None:
        """mean_c, after trimming; ``None`` without valid votes."""
        kept = self.valid_votes - self.trimmed
        return self.kept_points / kept if kept else None

    @property
    def satisfied_fraction(self) -> Fraction | None:
        """sat_c — satisfied / valid votes, never trimmed; ``None`` without valid votes."""
        return Fraction(self.satisfied, self.valid_votes) if self.valid_votes else None


def _trimmed(points: Counter[Fraction], k: int) -> Counter[Fraction]:
    """The points left after dropping the ``k`` lowest and the ``k`` highest (§3), as value → count."""
    kept = Counter(points)
    for order in (sorted(kept), sorted(kept, reverse=True)):
        left = k
        for value in order:
            dropped = min(left, kept[value])
            kept[value] -= dropped
            left -= dropped
            if not left:
                break
    return +kept


def tally_category(
    instrument: Instrument, category: str, share: Decimal, ballots: Mapping[tuple[str, Scores], int]
) -> CategoryTally:
    """Count one category's ballots for one department, given as (choice, scores) → how many; trims per §3."""
    points: Counter[Fraction] = Counter()
    returned = satisfied = 0
    for (choice, scores), n in ballots.items():
        ballot = ballot_of_kind((category, choice, scores))
        value = points_of(instrument, ballot)
        returned += n
        satisfied += n * is_satisfied(instrument, ballot)
        if value is not None:
            points[value] += n
    valid = points.total()
    k = instrument.trim
    kept = _trimmed(points, k) if k and valid > 2 * k else points
    return CategoryTally(
        category=category,
        share=share,
        valid_votes=valid,
        abstentions=returned - valid,
        satisfied=satisfied,
        trimmed=valid - kept.total(),
        kept_points=sum((value * n for value, n in kept.items()), Fraction(0)),
    )


@dataclass(frozen=True)
class DepartmentTally:
    """被评议部门的计票结果 — all that is published about one department's live evaluation."""

    department: str
    group: str
    returned: int
    valid_votes: int
    abstentions: int
    level_counts: dict[str, int]
    """Every choice of the instrument (level keys, or ``SCORED``) plus ``UNKNOWN``, zeros included."""
    categories: tuple[CategoryTally, ...]
    score_exact: Fraction | None
    satisfaction_exact: Fraction | None
    """A fraction in [0, 1]; the published rate is this × 100."""
    components: Mapping[str, Decimal]
    """The imported components the round declares and this department has (§6)."""
    missing_components: tuple[str, ...]
    final_exact: Fraction | None

    @property
    def score(self) -> Decimal | None:
        """得分, 3 decimals."""
        return None if self.score_exact is None else round_half_up(self.score_exact, 3)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """满意率 as a percentage, 2 decimals."""
        return None if self.satisfaction_exact is None else round_half_up(self.satisfaction_exact * 100, 2)

    @property
    def final(self) -> Decimal | None:
        """综合得分, 3 decimals; the ranking value (equals ``score`` when the round declares only live)."""
        return None if self.final_exact is None else round_half_up(self.final_exact, 3)


def _share_weighted(voted: list[CategoryTally], value: Callable[[CategoryTally], Fraction]) -> Fraction:
    """Σ_c s_c · value_c / Σ_c s_c — the shares renormalised over the categories given."""
    weighted = sum((Fraction(c.share) * value(c) for c in voted), Fraction(0))
    return weighted / sum((Fraction(c.share) for c in voted), Fraction(0))


def combine(categories: Iterable[CategoryTally], weighting: str) -> tuple[Fraction, Fraction] | None:
    """(score, satisfaction) over the categories with valid votes (§3); ``None`` if there are none."""
    voted = [c for c in categories if c.valid_votes]
    if not voted:
        return None
    if weighting == "per_ballot":
        points = sum((c.kept_points for c in voted), Fraction(0))
        kept = sum(c.valid_votes - c.trimmed for c in voted)
        satisfied = sum(c.satisfied for c in voted)
        return points / kept, Fraction(satisfied, sum(c.valid_votes for c in voted))
    score = _share_weighted(voted, lambda c: c.kept_points / (c.valid_votes - c.trimmed))
    satisfaction = _share_weighted(voted, lambda c: Fraction(c.satisfied, c.valid_votes))
    return score, satisfaction


def composite(
    instrument: Instrument, score: Fraction | None, components: Mapping[str, Decimal]
) -> Fraction | None:
    """final = Σ W_k · component_k, ``live`` being the exact live score (§6); ``None`` if one is missing."""
    if score is None or any(k != LIVE and k not in components for k in instrument.components):
        return None
    weights = instrument.components.items()
    return sum(
        (Fraction(w) * (score if k == LIVE else Fraction(components[k])) for k, w in weights), Fraction(0)
    )


def tally_department(
    instrument: Instrument,
    shares: Mapping[str, Decimal],
    department: str,
    group: str,
    ballots: Iterable[Countable],
    components: Mapping[str, Decimal] | None = None,
) -> DepartmentTally:
    """Count one department's counting ballots. A category missing from ``shares`` has share 1.

    ``components`` are this department's imported component scores, e.g. ``{"daily": Decimal("91.5")}``.
    """
    return tally_multiset(instrument, shares, department, group, ballot_multiset(ballots), components)


def tally_multiset(
    instrument: Instrument,
    shares: Mapping[str, Decimal],
    department: str,
    group: str,
    ballots: Ballots,
    components: Mapping[str, Decimal] | None = None,
) -> DepartmentTally:
    """``tally_department`` of the ballots given as a multiset (the projection keeps one per department)."""
    components = components or {}
    by_category: dict[str, Counter[tuple[str, Scores]]] = {}
    counted: Counter[str] = Counter()
    for (category, choice, scores), n in ballots.items():
        if n <= 0:  # a kind no ballot has any more
            continue
        by_category.setdefault(category, Counter())[(choice, scores)] += n
        counted[choice] += n
    categories = tuple(
        tally_category(instrument, c, shares.get(c, Decimal(1)), by_category[c]) for c in sorted(by_category)
    )
    combined = combine(categories, instrument.weighting)
    score = None if combined is None else combined[0]
    declared = [k for k in instrument.components if k != LIVE]
    return DepartmentTally(
        department=department,
        group=group,
        returned=counted.total(),
        valid_votes=sum(c.valid_votes for c in categories),
        abstentions=sum(c.abstentions for c in categories),
        level_counts={choice: counted[choice] for choice in instrument.choices()},
        categories=categories,
        score_exact=score,
        satisfaction_exact=None if combined is None else combined[1],
        components={k: components[k] for k in declared if k in components},
        missing_components=tuple(k for k in declared if k not in components),
        final_exact=composite(instrument, score, components),
    )
