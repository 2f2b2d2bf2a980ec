"""复核计票 — the auditor's recount: docs/scoring.md written out a second time, as plainly as it reads.

This is deliberately a separate implementation of the rule in ``projections.scoring`` and
``projections.ranking``: straight loops, nothing shared but the instrument's types and ``CountingBallot``.
The platform checks that both give the same published numbers. It takes the same decisions where the
rule alone is silent, as docs/scoring.md records them (a missing imported component: no final, not
ranked, 缺少组成部分; unranked departments listed after the ranked ones by status then key; with
``per_ballot`` the score is the mean of the points left after trimming within each category).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from evaluation.instrument import UNKNOWN, Instrument
from projections.ballot_points import CountingBallot


def recount(
    instrument: Instrument,
    shares: Mapping[str, Decimal],
    groups: Mapping[str, str],
    ballots: Mapping[str, Iterable[CountingBallot]],
    imported: Mapping[str, Mapping[str, Decimal]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Recount a round.

    ``groups``: department → its group. ``ballots``: department → its counting ballots (a department
    missing here has none). ``imported``: component (e.g. ``"daily"``) → department → score 0-100.
    Returns department → its published numbers, as strings, plus its rank and position in its group.
    """
    results: dict[str, dict[str, Any]] = {}
    for department, group in groups.items():
        result, score = count_department(instrument, shares, list(ballots.get(department, [])))
        final = composite_final(instrument, score, department, imported or {})
        result["group"] = group
        result["final"] = None if final is None else half_up(final, 3)
        result["status"] = status(instrument, result)
        results[department] = result
    for group in set(groups.values()):
        rank({d: r for d, r in results.items() if r["group"] == group})
    return results


def count_department(
    instrument: Instrument, shares: Mapping[str, Decimal], ballots: list[CountingBallot]
) -> tuple[dict[str, Any], Fraction | None]:
    """§2-§3, §5: ballots returned, abstentions, valid votes, count per level, score and satisfaction rate.

    Returns the published numbers and the exact score (``None`` without valid votes).
    """
    level_counts = {choice: 0 for choice in instrument.choices()}
    points_by_category: dict[str, list[Fraction]] = {}
    satisfied_by_category: dict[str, int] = {}
    abstentions = 0
    for ballot in ballots:
        level_counts[ballot.choice] += 1
        if ballot.choice == UNKNOWN:
            abstentions += 1
            continue
        points, satisfied = ballot_points(instrument, ballot)
        points_by_category.setdefault(ballot.category, []).append(points)
        satisfied_by_category[ballot.category] = satisfied_by_category.get(ballot.category, 0) + satisfied

    valid_votes = len(ballots) - abstentions
    result: dict[str, Any] = {
        "returned": len(ballots),
        "valid_votes": valid_votes,
        "abstentions": abstentions,
        "level_counts": level_counts,
        "score": None,
        "satisfaction_rate": None,
    }
    if valid_votes == 0:
        return result, None

    if instrument.weighting == "per_ballot":
        # Every valid vote weighs the same.
        all_kept_points: list[Fraction] = []
        for category_points in points_by_category.values():
            all_kept_points += trimmed(category_points, instrument.trim)
        score = sum(all_kept_points, Fraction(0)) / len(all_kept_points)
        satisfaction = Fraction(sum(satisfied_by_category.values()), valid_votes)
    else:
        # score = Σ_c s_c · mean_c / Σ_c s_c, over the categories with valid votes.
        score_sum, satisfaction_sum, share_sum = Fraction(0), Fraction(0), Fraction(0)
        for category, category_points in points_by_category.items():
            share = Fraction(shares.get(category, Decimal(1)))
            kept = trimmed(category_points, instrument.trim)
            score_sum += share * sum(kept, Fraction(0)) / len(kept)
            satisfaction_sum += share * Fraction(satisfied_by_category[category], len(category_points))
            share_sum += share
        score = score_sum / share_sum
        satisfaction = satisfaction_sum / share_sum

    result["score"] = half_up(score, 3)
    result["satisfaction_rate"] = half_up(satisfaction * 100, 2)
    return result, score


def ballot_points(instrument: Instrument, ballot: CountingBallot) -> tuple[Fraction, bool]:
    """§1: a valid vote's points, and whether it counts as satisfied."""
    if instrument.kind == "criteria":
        points = Fraction(0)
        for criterion in instrument.criteria:
            score = (ballot.scores or {})[criterion.key]
            points += Fraction(criterion.weight) * score / criterion.max_score * 100
        return points, points >= Fraction(instrument.satisfied_threshold)
    for level in instrument.levels:
        if level.key == ballot.choice:
            return Fraction(level.points), level.satisfied
    raise ValueError(f"unknown level {ballot.choice!r}")


def trimmed(points: list[Fraction], k: int) -> list[Fraction]:
    """§3 trimming: drop the k highest and k lowest, only where there are more than 2k."""
    ordered = sorted(points)
    if k > 0 and len(ordered) > 2 * k:
        return ordered[k:-k]
    return ordered


def composite_final(
    instrument: Instrument,
    score: Fraction | None,
    department: str,
    imported: Mapping[str, Mapping[str, Decimal]],
) -> Fraction | None:
    """§6: final = Σ W_k · component_k, with the live score as component ``live``.

    None without a live score, or when a declared component was not imported for this department.
    """
    if score is None:
        return None
    final = Fraction(0)
    for component, weight in instrument.components.items():
        if component == "live":
            final += Fraction(weight) * score
        elif department in imported.get(component, {}):
            final += Fraction(weight) * Fraction(imported[component][department])
        else:
            return None
    return final


def status(instrument: Instrument, result: dict[str, Any]) -> str:
    """§4: "ranked", or why the department is shown without a rank."""
    if result["valid_votes"] == 0:
        return "无有效票"
    if result["valid_votes"] < instrument.min_valid_votes:
        return "有效票不足"
    if result["final"] is None:
        return "缺少组成部分"
    return "ranked"


def rank(results: dict[str, dict[str, Any]]) -> None:
    """§4 within one group: sets "rank" and "position" (1-based display order)."""
    ranked = [d for d, result in results.items() if result["status"] == "ranked"]
    ranked.sort(key=lambda d: (-Decimal(results[d]["final"]), -Decimal(results[d]["satisfaction_rate"]), d))
    previous_final = None
    current_rank = 0
    for position, department in enumerate(ranked, start=1):
        if results[department]["final"] != previous_final:
            current_rank = position  # ties share a rank, the next rank is skipped: 1, 1, 3
        previous_final = results[department]["final"]
        results[department].update(rank=current_rank, position=position)

    # Not ranked: listed after the ranked ones, by status, then by department key.
    position = len(ranked)
    for unranked_status in ("有效票不足", "缺少组成部分", "无有效票"):
        for department in sorted(d for d, result in results.items() if result["status"] == unranked_status):
            position += 1
            results[department].update(rank=None, position=position)


def half_up(value: Fraction, places: int) -> str:
    """§4 rounding: half-up (a tie goes away from zero), as the text published, e.g. "93.447"."""
    magnitude = math.floor(abs(value) * 10**places + Fraction(1, 2))
    sign = -1 if value < 0 else 1
    return str(Decimal(sign * magnitude).scaleb(-places))
