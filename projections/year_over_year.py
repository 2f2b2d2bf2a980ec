"""历年对比 — a department's published results in every round of its chain, and the change from one to the next.

The chain is the round and the rounds before it, each following the one its organiser named
(``evaluation.year_over_year``). A department is followed back round by round: the match its organiser set by
hand, else the previous round's department with the same code, else the one (and only one) with the same name
or short name. The chain stops where a department has no counterpart.

Only published rounds give numbers; a round not yet published is a line saying so. Each number is as
``projections.public_numbers`` lets it be shown: a department with fewer than k = 5 ballots in a round shows
no score, rate or rank there, and no change from or to it. When two consecutive rounds were counted under
different rules (another instrument, other category shares or composite weights: ``rule_digest``), their
numbers are shown but the change is not computed: the line says the rule changed (评议办法有变化).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from evaluation.year_over_year import NO_MATCH, LinkedRound
from projections.public_numbers import public_line

COMPARED = ("score", "final", "satisfaction_rate")
"""The numbers whose change from the previous round is shown (and the rank's)."""


def rule_digest(instrument: Mapping[str, Any], categories: Mapping[str, Mapping[str, Any]]) -> str:
    """What makes two rounds' numbers comparable: the instrument (levels or criteria, tally parameters,
    composite weights) and the categories' shares, as a SHA-256 of their canonical JSON."""
    shares = {key: str(c.get("share", "")) for key, c in categories.items()}
    text = json.dumps({"instrument": instrument, "shares": shares}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class RoundResults:
    """One round of a chain as its views give it: its departments and (once published) its ranking lines."""

    round_key: str
    title: str
    year: int | None
    published: bool
    rule: str
    groups: Mapping[str, str]
    departments: Mapping[str, tuple[str, str, str]]
    """key → (name, short name, group key)"""
    rankings: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    """group key → its ranking lines (rankings_view.ranking), read only once published"""

    def line(self, department: str) -> tuple[dict[str, Any] | None, int]:
        """The department's ranking line as it may be shown, and how many departments its group ranks."""
        group = self.departments[department][2]
        lines = self.rankings.get(group, ())
        found = next((public_line(x) for x in lines if x.get("department") == department), None)
        return found, len(lines)


@dataclass(frozen=True)
class YearLine:
    """A department in one round: its numbers there (None when not published or below k) and the change
    from its line in the previous round of the chain."""

    round_key: str
    title: str
    year: int | None
    department: str
    name: str
    group: str
    published: bool
    suppressed: bool
    status: str
    rank: int | None
    of: int
    score: str | None
    final: str | None
    satisfaction_rate: str | None
    rule_changed: bool = False
    change: Mapping[str, str] = field(default_factory=dict)
    """"score", "final", "satisfaction_rate": signed text ("+1.250", "-0.50", "0"); "rank": places risen
    (positive) or fallen (negative), as text; absent where either side has no number."""

    earliest: bool = False
    """The chain's oldest line of the department: nothing before it to compare with."""

    @property
    def change_words(self) -> str:
        """较上一轮, in words: 「得分 +1.250，满意率 -2.00 个百分点，名次上升 1 位」."""
        if self.rule_changed:
            return "评议办法有变化，不作直接比较"
        if self.earliest:
            return "（最早一轮）"
        said = {k: "持平" if v == "0" else f" {v}" for k, v in self.change.items()}
        words = [f"得分{said['score']}"] if "score" in said else []
        if "final" in said and self.final != self.score:
            words.append(f"综合得分{said['final']}")
        if "satisfaction_rate" in said:
            points = "" if self.change["satisfaction_rate"] == "0" else " 个百分点"
            words.append(f"满意率{said['satisfaction_rate']}{points}")
        if "rank" in self.change:
            risen = int(self.change["rank"])
            words.append(
                f"名次上升 {risen} 位" if risen > 0 else f"名次下降 {-risen} 位" if risen else "名次不变"
            )
        return "，".join(words) or "—"


def department_years(
    chain: Sequence[LinkedRound], results: Mapping[str, RoundResults], department: str
) -> list[YearLine]:
    """The department's lines, newest round first, each with its change from the next (older) one."""
    found: list[YearLine] = []
    key: str | None = department
    for index, link in enumerate(chain):
        round_ = results.get(link.round_key)
        if key is None or round_ is None or key not in round_.departments:
            break
        found.append(_year_line(round_, key))
        older = results.get(chain[index + 1].round_key) if index + 1 < len(chain) else None
        key = named_counterpart(link, round_, older, key) if older is not None else None
    earliest = [YearLine(**{**vars(line), "earliest": True}) for line in found[-1:]]
    return [_with_change(line, found[i + 1], results) for i, line in enumerate(found[:-1])] + earliest


def counterpart(link: LinkedRound, older: RoundResults, department: str) -> str | None:
    """Which department of the older round ``department`` was: the organiser's match, the same code, or
    the one department with the same name or short name."""
    if department in link.matches:
        chosen = link.matches[department]
        return None if chosen == NO_MATCH or chosen not in older.departments else chosen
    if department in older.departments:
        return department
    return None


def named_counterpart(
    link: LinkedRound, newer: RoundResults, older: RoundResults, department: str
) -> str | None:
    """``counterpart``, falling back on the same name or short name when the code is new."""
    if (same := counterpart(link, older, department)) is not None or department in link.matches:
        return same
    name, short, _ = newer.departments[department]
    alike = [k for k, (n, s, _) in older.departments.items() if n == name or (short and s == short)]
    return alike[0] if len(alike) == 1 else None


def _year_line(round_: RoundResults, department: str) -> YearLine:
    name, _, group = round_.departments[department]
    line, of = round_.line(department) if round_.published else (None, 0)
    shown = line is not None and not line.get("suppressed")
    return YearLine(
        round_key=round_.round_key,
        title=round_.title,
        year=round_.year,
        department=department,
        name=name,
        group=round_.groups.get(group, group),
        published=round_.published,
        suppressed=bool(line and line.get("suppressed")),
        status=str(line.get("status") or "") if line else ("" if round_.published else "尚未公布"),
        rank=line.get("rank") if shown and line else None,
        of=of,
        score=line.get("score") if shown and line else None,
        final=line.get("final") if shown and line else None,
        satisfaction_rate=line.get("satisfaction_rate") if shown and line else None,
    )


def _with_change(new: YearLine, old: YearLine, results: Mapping[str, RoundResults]) -> YearLine:
    if results[new.round_key].rule != results[old.round_key].rule:
        return YearLine(**{**vars(new), "rule_changed": True})
    change: dict[str, str] = {}
    for name in COMPARED:
        if (difference := _difference(getattr(new, name), getattr(old, name))) is not None:
            change[name] = difference
    if new.rank is not None and old.rank is not None:
        change["rank"] = str(old.rank - new.rank)
    return YearLine(**{**vars(new), "change": change})


def _difference(new: str | None, old: str | None) -> str | None:
    if new is None or old is None:
        return None
    try:
        a, b = Decimal(new), Decimal(old)
    except InvalidOperation:
        return None
    value = a - b
    return "0" if value == 0 else f"{value:+}"


def round_years(
    chain: Sequence[LinkedRound], results: Mapping[str, RoundResults]
) -> dict[str, list[YearLine]]:
    """Every department of the chain's first round, with its lines (``department_years``)."""
    first = results.get(chain[0].round_key) if chain else None
    if first is None:
        return {}
    return {d: department_years(chain, results, d) for d in first.departments}
