"""评议表 — a round's scoring instrument, and the tally parameters docs/scoring.md lets the organiser set.

Plain immutable values. They travel inside events as dicts (``to_dict`` / ``from_dict``), with every
number that must stay exact written as a string.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from evaluation.setup_rules import key_problem, name_problem

UNKNOWN = "unknown"
"""不了解 — an abstention: a ballot returned that is not a valid vote."""

SCORED = "scored"
"""The choice of a criteria ballot that gives a score to every criterion."""

Weighting = Literal["per_category", "per_ballot"]

MAX_TRIM = 10
"""去掉最高最低分个数 — at most this many points dropped at each end of a category (docs/scoring.md §3).

The rule trims a category only when it has more than 2k valid votes and keeps all of a smaller one, so no k
makes the tally fail: a k larger than every category quietly turns trimming off while the round's published
rule says it trims (999999999 was once saved). The bound cannot come from ``min_valid_votes``: that counts a
department's valid votes over all categories (default 1), trimming works in each category, and the rule's own
example trims 1 with the default minimum. In practice a round drops one highest and one lowest score
(去掉一个最高分、一个最低分), sometimes two; 10 leaves room for that, and still trims any category of 21 or
more valid votes, while a typing slip is refused."""

MAX_POINTS = 1000
"""分值 and 满分: a level's points lie between -1000 and 1000, a criterion's maximum between 1 and 1000.

Levels are scored 0 to 100 in every round we know of (docs/scoring.md's defaults), and criteria out of 5, 10 or
100; points only matter as a mean over valid votes, so ten times the usual scale leaves any organiser room,
while a slip such as 999999999 (which the form's whole-number field takes) is refused before it makes every
other level's points vanish next to it, or a results table of ten-digit means."""

MAX_MIN_VALID_VOTES = 100_000
"""最少有效票数: at most this many. It counts one department's valid votes over every category (§4), so it
cannot exceed the number of people who may vote: a city's representatives are hundreds to a few thousand
(the demo's Baotou round about 1,200), and even an online channel's citizens stay well under a hundred
thousand per department. Above that no department could ever be ranked, which is a slip, not a rule."""

MAX_LEVEL_LABEL = 20
"""等次名称 and the “不了解” label: what a tablet's button holds (setup.html: maxlength="20")."""

MAX_CRITERION_LABEL = 40
"""指标名称 (setup.html: maxlength="40")."""


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
        return [message for _, message in self.field_problems()]

    def field_problems(self) -> list[tuple[str, str]]:
        """``problems``, each with the field it is about: a tally setting's name (``trim``,
        ``min_valid_votes`` …) or "" for the levels, criteria and components (a workbook places the former on
        the row of its setting)."""
        found = [("", problem) for problem in self._scale_problems()]
        found += [("", problem) for problem in self._code_and_label_problems()]
        if problem := label_problem(self.unknown_label, "“不了解”选项", MAX_LEVEL_LABEL):
            found.append(("unknown_label", problem))
        threshold = self.satisfied_threshold
        if self.kind == "criteria" and not (threshold.is_finite() and 0 <= threshold <= 100):
            found.append(("satisfied_threshold", f"满意分数线「{threshold}」须在 0 到 100 之间"))
        if not 0 <= self.trim <= MAX_TRIM:
            found.append(("trim", f"去掉最高最低分个数「{self.trim}」须是 0 到 {MAX_TRIM} 之间的整数"))
        if not 1 <= self.min_valid_votes <= MAX_MIN_VALID_VOTES:
            found.append(("min_valid_votes", min_valid_votes_problem(self.min_valid_votes)))
        if sum(self.components.values(), Decimal(0)) != 1 or "live" not in self.components:
            found.append(("", "综合结果各部分权重之和必须等于 1，且包含现场评议 live"))
        return found

    def _scale_problems(self) -> list[str]:
        """Enough levels, one of them satisfied, each's points in range; or criteria, each's maximum in range
        and weight positive, the weights summing to 1."""
        found: list[str] = []
        if self.kind == "levels":
            if len(self.levels) < 2:
                found.append("评价等次至少要有两个（如 满意、不满意）")
            if self.levels and not any(lv.satisfied for lv in self.levels):
                found.append("至少要有一个评价等次计入满意")
            found += [p for lv in self.levels if (p := points_problem(lv.points, lv.label))]
        if self.kind == "criteria":
            if not self.criteria:
                found.append("评价指标不能为空")
            found += [p for c in self.criteria for _, p in criterion_problems(c.max_score, c.weight, c.label)]
            if self.criteria and sum((c.weight for c in self.criteria), Decimal(0)) != 1:
                found.append("各评价指标的权重之和必须等于 1")
        return found

    def _code_and_label_problems(self) -> list[str]:
        """Codes unique and not reserved; each level's and criterion's code and name (``item_problems``)."""
        found: list[str] = []
        keys = [lv.key for lv in self.levels] + [c.key for c in self.criteria]
        if len(set(keys)) != len(keys) or UNKNOWN in keys or SCORED in keys:
            found.append("等次或指标的代码重复或使用了保留字")
        for lv in self.levels:
            found += item_problems("levels", lv.key, lv.label)
        for c in self.criteria:
            found += item_problems("criteria", c.key, c.label)
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


ITEMS = {"levels": ("评价等次", MAX_LEVEL_LABEL), "criteria": ("评价指标", MAX_CRITERION_LABEL)}
"""What a level and a criterion are called in problems, and how long their names may be."""


def item_problems(kind: str, key: str, label: str) -> list[str]:
    """Why a level (``kind`` "levels") or criterion ("criteria") cannot have this code and name: its code of the
    shape every code of a round has (``setup_rules.KEY``), its name not blank and as long as the form allows."""
    what, longest = ITEMS[kind]
    return [p for p in (key_problem(key, what), label_problem(label, what, longest)) if p]


def label_problem(label: str, what: str, longest: int) -> str | None:
    """Why ``label`` cannot be the name of a ``what``: blank, or longer than ``longest`` characters."""
    return name_problem(label, f"{what}名称", longest)


def points_problem(points: int, label: str) -> str | None:
    """Why a level (named ``label``) cannot give ``points`` (``MAX_POINTS``)."""
    if -MAX_POINTS <= points <= MAX_POINTS:
        return None
    return f"等次「{label}」的分值「{points}」须是 -{MAX_POINTS} 到 {MAX_POINTS} 之间的整数"


def criterion_problems(max_score: int, weight: Decimal, label: str) -> list[tuple[str, str]]:
    """Why a criterion (named ``label``) cannot be scored out of ``max_score`` with ``weight``, each with its
    field (``max_score``, ``weight``)."""
    found = []
    if not 1 <= max_score <= MAX_POINTS:
        found.append(("max_score", f"指标「{label}」的满分「{max_score}」须是 1 到 {MAX_POINTS} 之间的整数"))
    if not (weight.is_finite() and 0 < weight <= 1):
        found.append(("weight", f"指标「{label}」的权重「{weight}」须大于 0，且不大于 1"))
    return found


def min_valid_votes_problem(count: int) -> str:
    return f"最少有效票数「{count}」须是 1 到 {MAX_MIN_VALID_VOTES} 之间的整数"
