"""意见汇总 — what a department may read about what citizens said of it (a pure function, no I/O).

Secret ballot (无记名): comments carry no name, venue or time; they are sorted by text, so their order
says nothing about who cast them when. Nothing at all is shown until at least ``MIN_RETURNED``
representatives have returned a ballot for the department: below that, ``NotEnough`` instead.
Signed suggestions (留名建议) are kept apart, with the signer's name, for the department to answer.

The web reads the counting ballots and the suggestions of one department::

    SELECT choice, comment FROM ballots_view WHERE round_key = $1 AND department = $2 AND counted
    SELECT name, text, answer FROM suggestions_view WHERE round_key = $1 AND department = $2
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from evaluation.instrument import SCORED, UNKNOWN, Instrument
from evaluation.small_groups import SMALLEST_GROUP
from projections.comment_groups import ThemeSummary, Triaged, merged_themes
from projections.keywords import keywords, themes

MIN_RETURNED = SMALLEST_GROUP


@dataclass(frozen=True)
class NotEnough:
    """评议人数不足 — fewer than ``needed`` representatives returned a ballot: nothing is shown."""

    department: str
    needed: int = MIN_RETURNED
    message: str = f"评议人数不足 {MIN_RETURNED} 人，暂不显示意见汇总"


@dataclass(frozen=True)
class Comment:
    """One anonymous comment and the level its ballot gave."""

    text: str
    level: str


@dataclass(frozen=True)
class SignedSuggestion:
    """留名建议 — signed on purpose, for a reply."""

    name: str
    text: str
    answer: str | None


@dataclass(frozen=True)
class Feedback:
    """意见汇总 of one department."""

    department: str
    sitting: str
    """The sitting (场次) — the finest time shown."""
    returned: int
    level_counts: list[tuple[str, int]]
    """(level label, ballots), in the instrument's order, abstentions last."""
    comments: list[Comment]
    keywords: list[tuple[str, float]]
    themes: list[tuple[str, int]]
    suggestions: list[SignedSuggestion]
    merged: list[ThemeSummary] = field(default_factory=list)
    """合并主题: the comments as themes of merged groups with counts (``projections.comment_groups``)."""
    set_aside: int = 0
    """Comments the organiser marked 非意见, left out of ``merged``."""


def level_label(instrument: Instrument, choice: str) -> str:
    if choice == UNKNOWN:
        return instrument.unknown_label
    if choice == SCORED:
        return "按指标评分"
    level = instrument.level(choice)
    return level.label if level else choice


def department_feedback(
    department: str,
    instrument: Instrument,
    ballots: Iterable[tuple[str, str]],
    suggestions: Iterable[tuple[str, str, str | None]] = (),
    sitting: str = "",
    triage: Iterable[Triaged] = (),
) -> Feedback | NotEnough:
    """From the department's counting ballots as (choice, comment), its suggestions as (name, text, answer) and
    the organiser's triage of its comments (``triage``, from opinions_view)."""
    ballots = list(ballots)
    if len(ballots) < MIN_RETURNED:
        return NotEnough(department)
    counted = Counter(choice for choice, _ in ballots)
    order = [*instrument.choices()] + [c for c in sorted(counted) if c not in instrument.choices()]
    said = [(text, level_label(instrument, choice)) for choice, text in ballots if text.strip()]
    merged = merged_themes(sorted(said), triage)
    comments = sorted((Comment(text, level) for text, level in merged.shown), key=lambda c: (c.text, c.level))
    texts = [c.text for c in comments]
    return Feedback(
        department=department,
        sitting=sitting,
        returned=len(ballots),
        level_counts=[(level_label(instrument, c), counted[c]) for c in order],
        comments=comments,
        keywords=keywords(texts),
        themes=themes(texts),
        suggestions=sorted(
            (SignedSuggestion(n, t, a) for n, t, a in suggestions), key=lambda s: (s.text, s.name)
        ),
        merged=merged.themes,
        set_aside=merged.set_aside,
    )
