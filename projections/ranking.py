"""排名 — ranking departments within their group (docs/scoring.md §4, §6).

Decisions the rule alone leaves open (docs/scoring.md records them):

* The ranking value is ``final`` rounded to 3 decimals, which equals the rounded score when the round declares
  only ``live``. Ties are broken for display by the *published* (rounded) satisfaction rate, then the key.
* Order of the list: ranked departments, then 有效票不足, then 缺少组成部分 (a declared component was not
  imported for the department), then 无有效票; within each unranked status, by department key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from evaluation.instrument import Instrument
from projections.scoring import DepartmentTally

RANKED = "ranked"
TOO_FEW_VOTES = "有效票不足"
MISSING_COMPONENT = "缺少组成部分"
NO_VALID_VOTES = "无有效票"
UNRANKED_ORDER = (TOO_FEW_VOTES, MISSING_COMPONENT, NO_VALID_VOTES)


@dataclass(frozen=True)
class Ranked:
    """One line of a group's ranking: the tally, its rank (``None`` if not ranked) and why."""

    tally: DepartmentTally
    rank: int | None
    status: str


def status_of(instrument: Instrument, tally: DepartmentTally) -> str:
    """Whether the department is ranked, or why not."""
    if tally.valid_votes == 0:
        return NO_VALID_VOTES
    if tally.valid_votes < instrument.min_valid_votes:
        return TOO_FEW_VOTES
    if tally.final is None:
        return MISSING_COMPONENT
    return RANKED


def _display_key(tally: DepartmentTally) -> tuple[Decimal, Decimal, str]:
    """Highest ranking value first, then higher satisfaction rate, then department key."""
    final, rate = tally.final, tally.satisfaction_rate
    assert final is not None and rate is not None, "only ranked departments are sorted by value"
    return -final, -rate, tally.department


def rank_group(instrument: Instrument, tallies: Iterable[DepartmentTally]) -> list[Ranked]:
    """Rank the departments of one group: equal rounded values share a rank, the next is skipped (1, 1, 3)."""
    by_status: dict[str, list[DepartmentTally]] = {s: [] for s in (RANKED, *UNRANKED_ORDER)}
    for tally in tallies:
        by_status[status_of(instrument, tally)].append(tally)
    lines: list[Ranked] = []
    for position, tally in enumerate(sorted(by_status[RANKED], key=_display_key), start=1):
        tied = bool(lines) and lines[-1].tally.final == tally.final
        lines.append(Ranked(tally, lines[-1].rank if tied else position, RANKED))
    for status in UNRANKED_ORDER:
        lines += [Ranked(t, None, status) for t in sorted(by_status[status], key=lambda t: t.department)]
    return lines


def rank_round(instrument: Instrument, tallies: Iterable[DepartmentTally]) -> dict[str, list[Ranked]]:
    """Every group's ranking, by group key."""
    groups: dict[str, list[DepartmentTally]] = {}
    for tally in tallies:
        groups.setdefault(tally.group, []).append(tally)
    return {group: rank_group(instrument, groups[group]) for group in sorted(groups)}
