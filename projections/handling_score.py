"""意见办理得分 — a department's opinion handling as one figure from 0 to 100, which the organiser may enter into
the composite result as another component (docs/scoring.md §6, 其他组成部分). A pure function, no I/O.

For each lead department (承办), over the opinions assigned to it:

- 按时答复率 (on time): answered by the deadline ÷ those due (answered, or past their deadline unanswered);
  an opinion neither answered nor yet due is not counted at all.
- 满意度得分 (ratings): the signers' ratings of the handling, 满意 100, 基本满意 60, 不满意 0, averaged.
- 办理得分 = ``ON_TIME_WEIGHT`` × 按时答复率 × 100 + ``RATING_WEIGHT`` × 满意度得分; without any rating, the
  on-time part alone (× 100). Rounded half up to 2 decimals. A department with nothing due has no figure.

The web reads the counts (``HANDLING_COUNTS``, ``$2`` today's ISO date) from opinions_view, a signed suggestion
answered directly by its lead department counting as answered (``projections.opinion_answers``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from projections.opinion_answers import ANSWERED_OPINIONS
from projections.scoring import round_half_up

ON_TIME_WEIGHT = Fraction(6, 10)
RATING_WEIGHT = Fraction(4, 10)
RATING_POINTS = {"满意": 100, "基本满意": 60, "不满意": 0}

HANDLING_COUNTS = f"""
SELECT lead AS department,
       count(*) FILTER (WHERE answered OR deadline < $2) AS due,
       count(*) FILTER (WHERE first_answered_on <= deadline) AS on_time,
       count(*) FILTER (WHERE rating = '满意') AS satisfied,
       count(*) FILTER (WHERE rating = '基本满意') AS fairly,
       count(*) FILTER (WHERE rating = '不满意') AS dissatisfied
FROM ({ANSWERED_OPINIONS}) o WHERE round_key = $1 AND lead IS NOT NULL AND not_opinion IS NULL
GROUP BY lead ORDER BY lead
"""


@dataclass(frozen=True)
class HandlingScore:
    """One department's figures; ``score`` None when nothing was due."""

    department: str
    due: int
    on_time: int
    ratings: tuple[int, int, int]
    """(满意, 基本满意, 不满意)."""
    on_time_rate: Decimal | None
    rating_score: Decimal | None
    score: Decimal | None


def handling_score(department: str, due: int, on_time: int, ratings: tuple[int, int, int]) -> HandlingScore:
    rate = Fraction(on_time, due) if due else None
    rated = sum(ratings)
    points = (
        Fraction(sum(n * p for n, p in zip(ratings, RATING_POINTS.values(), strict=True)), rated)
        if rated
        else None
    )
    if rate is None:
        score = None
    elif points is None:
        score = rate * 100
    else:
        score = ON_TIME_WEIGHT * rate * 100 + RATING_WEIGHT * points
    return HandlingScore(
        department,
        due,
        on_time,
        ratings,
        None if rate is None else round_half_up(rate * 100, 1),
        None if points is None else round_half_up(points, 1),
        None if score is None else round_half_up(score, 2),
    )


def handling_scores(rows: Iterable[Mapping[str, Any]], departments: Iterable[str]) -> list[HandlingScore]:
    """Every department of the round, in the order given, from the ``HANDLING_COUNTS`` rows."""
    counts = {r["department"]: r for r in rows}
    found = []
    for d in departments:
        r = counts.get(d)
        if r is None:
            found.append(handling_score(d, 0, 0, (0, 0, 0)))
        else:
            ratings = (r["satisfied"], r["fairly"], r["dissatisfied"])
            found.append(handling_score(d, r["due"], r["on_time"], ratings))
    return found


def component_scores(scores: Iterable[HandlingScore]) -> dict[str, str]:
    """What the composite imports: department → score text, for those with a figure."""
    return {s.department: str(s.score) for s in scores if s.score is not None}
