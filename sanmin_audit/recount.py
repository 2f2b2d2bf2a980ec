"""复核计票 — docs/scoring.md read afresh: a department's numbers from its ballots, exact until one rounding.

Written for this package alone (it imports nothing of the platform). Input: rule.json as a dict, the
ballots of ballots.csv, the components of components.csv. ``count`` gives, per department, the numbers
results.json publishes: returned, valid_votes, abstentions, level_counts, score, satisfaction_rate,
final (texts like "60.000") and status, with the exact final kept for ranking (``exact_final``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

UNRANKED = ("有效票不足", "缺少组成部分", "无有效票")


@dataclass(frozen=True)
class Ballot:
    """One line of ballots.csv."""

    department: str
    category: str
    choice: str
    scores: dict[str, int] | None


def rounded(value: Fraction, places: int) -> str:
    """§4: half-up, on the exact value: 56.6665 → "56.667"."""
    scale = 10**places
    whole = (value * scale + Fraction(1, 2)).__floor__()
    sign, whole = ("-", -whole) if whole < 0 else ("", whole)
    return f"{sign}{whole // scale}.{whole % scale:0{places}d}" if places else f"{sign}{whole}"


def choices(rule: dict[str, Any]) -> list[str]:
    """Every choice a ballot may carry under the rule (the level_counts' keys)."""
    abstain = rule["abstention"]["key"]
    if rule["kind"] == "criteria":
        return ["scored", abstain]
    return [level["key"] for level in rule["levels"]] + [abstain]


def points_of(rule: dict[str, Any], ballot: Ballot) -> tuple[Fraction, bool]:
    """§1: a valid vote's points and whether it is satisfied."""
    if rule["kind"] == "criteria":
        assert ballot.scores is not None
        total = Fraction(0)
        for criterion in rule["criteria"]:
            total += 100 * Fraction(criterion["weight"]) * ballot.scores[criterion["key"]] / criterion["max"]
        return total, total >= Fraction(rule["satisfied_threshold"])
    level = next(level for level in rule["levels"] if level["key"] == ballot.choice)
    return Fraction(level["points"]), bool(level["satisfied"])


def after_trim(points: list[Fraction], trim: int) -> list[Fraction]:
    """§3: without the trim highest and trim lowest, in a category with more than 2·trim votes."""
    ordered = sorted(points)
    return ordered[trim : len(ordered) - trim] if trim and len(ordered) > 2 * trim else ordered


def count(
    rule: dict[str, Any], ballots: list[Ballot], components: dict[str, dict[str, Fraction]]
) -> dict[str, dict[str, Any]]:
    """Every department of the rule → its recounted numbers (§2-§6)."""
    abstain = rule["abstention"]["key"]
    shares = {key: Fraction(value) for key, value in rule["category_shares"].items()}
    found: dict[str, dict[str, Any]] = {}
    for department in rule["departments"]:
        mine = [b for b in ballots if b.department == department]
        levels = dict.fromkeys(choices(rule), 0)
        by_category: dict[str, list[tuple[Fraction, bool]]] = {}
        for ballot in mine:
            levels[ballot.choice] += 1
            if ballot.choice != abstain:
                by_category.setdefault(ballot.category, []).append(points_of(rule, ballot))
        valid = sum(len(v) for v in by_category.values())
        score = rate = None
        if valid:
            if rule["weighting"] == "per_ballot":
                kept = [p for v in by_category.values() for p in after_trim([x for x, _ in v], rule["trim"])]
                score = sum(kept, Fraction(0)) / len(kept)
                rate = Fraction(sum(s for v in by_category.values() for _, s in v), valid)
            else:
                weight = sum((shares.get(c, Fraction(1)) for c in by_category), Fraction(0))
                score = (
                    sum(
                        (
                            shares.get(c, Fraction(1)) * _mean(after_trim([x for x, _ in v], rule["trim"]))
                            for c, v in by_category.items()
                        ),
                        Fraction(0),
                    )
                    / weight
                )
                rate = (
                    sum(
                        (
                            shares.get(c, Fraction(1)) * Fraction(sum(s for _, s in v), len(v))
                            for c, v in by_category.items()
                        ),
                        Fraction(0),
                    )
                    / weight
                )
        final = _final(rule, department, score, components)
        status = (
            "无有效票"
            if not valid
            else "有效票不足"
            if valid < rule["min_valid_votes"]
            else "缺少组成部分"
            if final is None
            else "ranked"
        )
        found[department] = {
            "group": rule["departments"][department],
            "returned": len(mine),
            "valid_votes": valid,
            "abstentions": levels[abstain],
            "level_counts": levels,
            "score": None if score is None else rounded(score, 3),
            "satisfaction_rate": None if rate is None else rounded(rate * 100, 2),
            "final": None if final is None else rounded(final, 3),
            "status": status,
        }
    return found


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _final(
    rule: dict[str, Any], department: str, score: Fraction | None, components: dict[str, dict[str, Fraction]]
) -> Fraction | None:
    """§6: Σ W_k · component_k with the exact live score; None if any declared part is missing."""
    if score is None:
        return None
    total = Fraction(0)
    for name, weight in rule["components"].items():
        if name == "live":
            part: Fraction | None = score
        else:
            part = components.get(name, {}).get(department)
        if part is None:
            return None
        total += Fraction(weight) * part
    return total


def order_key(numbers: dict[str, Any], department: str) -> tuple[Any, ...]:
    """§4 display order: ranked by final (rounded) then satisfaction rate, both descending, then key;
    then the unranked by status, then key."""
    if numbers["status"] == "ranked":
        return (0, -Fraction(numbers["final"]), -Fraction(numbers["satisfaction_rate"]), department)
    return (1 + UNRANKED.index(numbers["status"]), 0, 0, department)
