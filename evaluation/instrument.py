"""评议表 — a round's scoring instrument, and the tally parameters docs/scoring.md lets the organiser set.

Plain immutable values. They travel inside events as dicts (``to_dict`` / ``from_dict``), with every
number that must stay exact written as a string.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

UNKNOWN = "unknown"
"""不了解 — an abstention: a ballot returned that is not a valid vote."""

SCORED = "scored"
"""The choice of a criteria ballot that gives a score to every criterion."""

Weighting = Literal["per_category", "per_ballot"]


@dataclass(frozen=True)
class Level:
    """评价等次 — one answer a ballot may pick (满意, 比较满意 …)."""

    key: str
    label: str
    points: int
    satisfied: bool


@dataclass(frozen=True)
class Criterion:
    """评价指标 — one criterion scored 0..max_score, with its weight (weights sum to 1)."""

    key: str
    label: str
    max_score: int
    weight: Decimal


DEFAULT_LEVELS = (
    Level("satisfied", "满意", 100, True),
    Level("fairly_satisfied", "比较满意", 80, True),
    Level("basically_satisfied", "基本满意", 60, True),
    Level("dissatisfied", "不满意", 0, False),
)


@dataclass(frozen=True)
class Instrument:
    """The instrument and tally parameters of a round (docs/scoring.md §1, §3, §4)."""

    kind: Literal["levels", "criteria"] = "levels"
    levels: tuple[Level, ...] = DEFAULT_LEVELS
    criteria: tuple[Criterion, ...] = ()
    satisfied_threshold: Decimal = Decimal(60)
    weighting: Weighting = "per_category"
    trim: int = 0
    min_valid_votes: int = 1
    unknown_label: str = "不了解"
    components: dict[str, Decimal] = field(default_factory=lambda: {"live": Decimal(1)})

    def problems(self) -> list[str]:
        """Why this instrument cannot be used, in plain Chinese; empty when it can."""
        found: list[str] = []
        if self.kind == "levels" and not self.levels:
            found.append("评价等次不能为空")
        if self.kind == "criteria":
            if not self.criteria:
                found.append("评价指标不能为空")
            elif sum((c.weight for c in self.criteria), Decimal(0)) != 1:
                found.append("各评价指标的权重之和必须等于 1")
            if any(c.max_score < 1 for c in self.criteria):
                found.append("评价指标的满分必须是正整数")
        keys = [lv.key for lv in self.levels] + [c.key for c in self.criteria]
        if len(set(keys)) != len(keys) or UNKNOWN in keys or SCORED in keys:
            found.append("等次或指标的代码重复或使用了保留字")
        if self.trim < 0 or self.min_valid_votes < 1:
            found.append("去极值个数不能为负，最少有效票数至少为 1")
        if sum(self.components.values(), Decimal(0)) != 1 or "live" not in self.components:
            found.append("综合结果各部分权重之和必须等于 1，且包含现场评议 live")
        return found

    def level(self, key: str) -> Level | None:
        return next((lv for lv in self.levels if lv.key == key), None)

    def choices(self) -> list[str]:
        """Every choice a ballot may carry."""
        if self.kind == "criteria":
            return [SCORED, UNKNOWN]
        return [lv.key for lv in self.levels] + [UNKNOWN]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "levels": [[lv.key, lv.label, lv.points, lv.satisfied] for lv in self.levels],
            "criteria": [[c.key, c.label, c.max_score, str(c.weight)] for c in self.criteria],
            "satisfied_threshold": str(self.satisfied_threshold),
            "weighting": self.weighting,
            "trim": self.trim,
            "min_valid_votes": self.min_valid_votes,
            "unknown_label": self.unknown_label,
            "components": {k: str(w) for k, w in self.components.items()},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Instrument:
        return cls(
            kind=d["kind"],
            levels=tuple(Level(k, lb, int(p), bool(s)) for k, lb, p, s in d["levels"]),
            criteria=tuple(Criterion(k, lb, int(m), Decimal(w)) for k, lb, m, w in d["criteria"]),
            satisfied_threshold=Decimal(d["satisfied_threshold"]),
            weighting=d["weighting"],
            trim=int(d["trim"]),
            min_valid_votes=int(d["min_valid_votes"]),
            unknown_label=d.get("unknown_label", "不了解"),
            components={k: Decimal(w) for k, w in d["components"].items()},
        )
