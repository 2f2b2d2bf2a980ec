"""模拟评分 — a seeded stream of ballots for the demo round: one per representative per department of their sitting.

Pure and deterministic, like ``demo.round``: the same round and seed always give the same ballots.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from demo import texts
from demo.model import DemoBallot, DemoRound
from demo.round import Weighted

LEVELS: tuple[str, ...] = ("satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied")
UNKNOWN = "unknown"

COMMENT_RATE: dict[str, float] = {
    "satisfied": 0.06,
    "fairly_satisfied": 0.07,
    "basically_satisfied": 0.14,
    "dissatisfied": 0.30,
    UNKNOWN: 0.10,
}
SIGNED_RATE = 0.01
UNKNOWN_RATE_RANGE = (0.015, 0.045)
"""Each department's share of 不了解 is drawn from this range: ~3% on average."""
TENDENCY_RANGE = (-0.1, 1.0)
"""A department's tendency t: expected score ≈ 81 at the bottom, ≈ 95 at the top (see _level_weights)."""
CATEGORY_TENDENCY: dict[str, float] = {
    "npc": 0.06,
    "cppcc": 0.06,
    "enterprise": -0.02,
    "resident": -0.05,
    "client": -0.04,
    "media": 0.0,
    "expert": -0.01,
}
# Which kinds of comment a choice tends to bring: (praise, complaint, suggestion) weights.
COMMENT_MOOD: dict[str, tuple[int, int, int]] = {
    "satisfied": (6, 0, 4),
    "fairly_satisfied": (3, 2, 5),
    "basically_satisfied": (1, 5, 4),
    "dissatisfied": (0, 7, 3),
}
GENERIC_COMMENT_SHARE = 0.25


@dataclass(frozen=True)
class _Comments:
    praise: tuple[str, ...]
    complaints: tuple[str, ...]
    suggestions: tuple[str, ...]


def simulate_choices(demo: DemoRound, seed: int = 2026) -> Iterator[DemoBallot]:
    """One ballot per representative per department of their sitting, streamed in the order a round is scored.

    Sitting by sitting, department by department in report order, then every representative of the sitting (the
    whole hall scores a department when its report ends). Each department has a seeded tendency, so scores spread
    over roughly 81-95 and the ranking differs with the seed; ~3% choose 不了解, ~8% add a comment fitting their
    choice and the department, ~1% sign a suggestion.
    """
    plan = demo.plan
    rng = random.Random(f"choices:{seed}")
    keys = [d.key for d in plan.departments]
    tendencies = _spread(len(keys), rng)
    unknown_rate = {key: rng.uniform(*UNKNOWN_RATE_RANGE) for key in keys}
    tendency = dict(zip(keys, tendencies, strict=True))
    table = {d.key: d.comments for d in texts.DEPARTMENTS}
    comments = {key: parse_comments(table.get(key, "")) for key in keys}
    places = {key: district for key, _, district, _ in texts.SUB_VENUES}
    districts = list(places.values())
    members: dict[str, list[int]] = {s.key: [] for s in plan.sittings}
    for index, rep in enumerate(plan.representatives):
        members[rep.sitting].append(index)
    category_names = {c.key: c.name for c in plan.categories}
    for sitting in plan.sittings:
        for dept in sitting.agenda:
            mixes = {
                c.key: Weighted(_level_weights(tendency[dept] + CATEGORY_TENDENCY.get(c.key, 0.0)))
                for c in plan.categories
            }
            for index in members[sitting.key]:
                rep = plan.representatives[index]
                choice = UNKNOWN if rng.random() < unknown_rate[dept] else mixes[rep.category].pick(rng)
                comment = signed = None
                if rng.random() < COMMENT_RATE[choice]:
                    place = places.get(rep.venue) or rng.choice(districts)
                    comment = _comment(choice, comments[dept], place, rng)
                if rng.random() < SIGNED_RATE:
                    place = places.get(rep.venue) or rng.choice(districts)
                    signed = _signed(rep.category, category_names, comments[dept], place, rng)
                yield DemoBallot(index, dept, choice, comment, signed)


def _spread(count: int, rng: random.Random) -> list[float]:
    """Evenly spaced tendencies with a little jitter, shuffled: an interesting ranking without near-ties."""
    low, high = TENDENCY_RANGE
    step = (high - low) / max(1, count - 1)
    values = [low + i * step + rng.uniform(-0.3, 0.3) * step for i in range(count)]
    rng.shuffle(values)
    return values


def _level_weights(t: float) -> dict[str, float]:
    """Shares of the four levels for tendency t (clamped to -0.2..1.1); E[points] ≈ 81 + 13 t."""
    t = max(-0.2, min(1.1, t))
    satisfied = 0.45 + 0.40 * t
    dissatisfied = max(0.005, 0.05 - 0.04 * t)
    basically = max(0.02, 0.15 - 0.10 * t)
    fairly = 1.0 - satisfied - dissatisfied - basically
    return dict(zip(LEVELS, (satisfied, fairly, basically, dissatisfied), strict=True))


def parse_comments(block: str) -> _Comments:
    """A department's own comments; a department missing from the table gets the generic ones."""
    lines = [line.strip() for line in block.strip().splitlines() if line.strip()]

    def kind(mark: str, fallback: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(line[2:] for line in lines if line.startswith(mark + " ")) or fallback

    return _Comments(
        praise=kind("+", texts.GENERIC_PRAISE),
        complaints=kind("-", texts.GENERIC_COMPLAINTS),
        suggestions=kind("?", texts.GENERIC_SUGGESTIONS),
    )


def _comment(choice: str, own: _Comments, place: str, rng: random.Random) -> str:
    if choice == UNKNOWN:
        if rng.random() < 0.7:
            return rng.choice(texts.UNKNOWN_COMMENTS)
        return _fill(rng.choice(own.suggestions), place)
    mood = ("praise", "complaint", "suggestion")[_pick_index(COMMENT_MOOD[choice], rng)]
    generic = rng.random() < GENERIC_COMMENT_SHARE
    if mood == "praise":
        text = rng.choice(texts.GENERIC_PRAISE if generic else own.praise) + rng.choice(texts.PRAISE_ENDINGS)
    elif mood == "complaint":
        text = rng.choice(texts.GENERIC_COMPLAINTS if generic else own.complaints) + rng.choice(
            texts.COMPLAINT_ENDINGS
        )
    else:
        text = rng.choice(texts.GENERIC_SUGGESTIONS if generic else own.suggestions) + rng.choice(
            texts.SUGGESTION_ENDINGS
        )
    if rng.random() < 0.15 and mood != "suggestion":
        # Some people say two things: what is wrong (or right), and what they would like.
        text = text.rstrip("。！") + "。" + rng.choice(own.suggestions) + "。"
    return _fill(text, place)


def _signed(
    category: str, category_names: dict[str, str], own: _Comments, place: str, rng: random.Random
) -> str:
    intro = texts.SELF_INTRODUCTION.get(category, f"作为{category_names.get(category, '市民代表')}")
    problem = rng.choice(own.complaints)
    wish = rng.choice(own.suggestions)
    detail = rng.choice(texts.SIGNED_DETAILS)
    ending = rng.choice(texts.SIGNED_ENDINGS)
    return _fill(f"{intro}，反映一个问题：{problem}。{detail}{wish}。{ending}", place)


def _pick_index(weights: Sequence[int], rng: random.Random) -> int:
    return rng.choices(range(len(weights)), weights=weights)[0]


def _fill(text: str, place: str) -> str:
    return text.replace("{place}", place)
