"""计票结果的 JSON 形式 — how results_view.tally and rankings_view.ranking store the scoring rule's output.

Exact values are written as fraction strings (``"170/3"``), published values as the decimal text the
public sees (``"56.667"``, ``"75.00"``), absent values as ``null``.

results_view.tally::

    {"department", "group", "returned", "valid_votes", "abstentions", "level_counts": {choice: n},
     "score", "satisfaction_rate", "final", "score_exact", "satisfaction_exact", "final_exact",
     "components": {k: "91.5"}, "missing_components": [k],
     "categories": [{"category", "share", "valid_votes", "abstentions", "satisfied", "trimmed",
                     "mean", "satisfied_fraction"}]}

rankings_view.ranking — the group's lines in display order::

    [{"position", "department", "rank", "status", "score", "satisfaction_rate", "final",
      "valid_votes", "returned"}]
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from projections.ranking import Ranked
from projections.scoring import CategoryTally, DepartmentTally


def _text(number: Decimal | Fraction | None) -> str | None:
    return None if number is None else str(number)


def category_json(c: CategoryTally) -> dict[str, Any]:
    return {
        "category": c.category,
        "share": str(c.share),
        "valid_votes": c.valid_votes,
        "abstentions": c.abstentions,
        "satisfied": c.satisfied,
        "trimmed": c.trimmed,
        "mean": _text(c.mean),
        "satisfied_fraction": _text(c.satisfied_fraction),
    }


def tally_json(t: DepartmentTally) -> dict[str, Any]:
    """One department's tally, as results_view.tally."""
    return {
        "department": t.department,
        "group": t.group,
        "returned": t.returned,
        "valid_votes": t.valid_votes,
        "abstentions": t.abstentions,
        "level_counts": dict(t.level_counts),
        "score": _text(t.score),
        "satisfaction_rate": _text(t.satisfaction_rate),
        "final": _text(t.final),
        "score_exact": _text(t.score_exact),
        "satisfaction_exact": _text(t.satisfaction_exact),
        "final_exact": _text(t.final_exact),
        "components": {k: str(v) for k, v in t.components.items()},
        "missing_components": list(t.missing_components),
        "categories": [category_json(c) for c in t.categories],
    }


def ranking_json(lines: list[Ranked]) -> list[dict[str, Any]]:
    """A group's ranking, as rankings_view.ranking."""
    return [
        {
            "position": position,
            "department": line.tally.department,
            "rank": line.rank,
            "status": line.status,
            "score": _text(line.tally.score),
            "satisfaction_rate": _text(line.tally.satisfaction_rate),
            "final": _text(line.tally.final),
            "valid_votes": line.tally.valid_votes,
            "returned": line.tally.returned,
        }
        for position, line in enumerate(lines, start=1)
    ]
