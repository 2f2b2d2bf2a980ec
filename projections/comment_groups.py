"""合并主题 — a department's anonymous comments as themes of merged groups, each with its count and a
representative sentence, instead of the same line repeated 47 times (a pure function, no I/O).

Where the organiser has triaged a comment (its opinion in opinions_view: theme, merged group, 非意见, redacted
text), that decision is used: the redacted text is what is shown, its group is the organiser's, its theme the
organiser's, and a comment marked 非意见 is left out. Comments not triaged (yet) are grouped by the merge
suggestion's near-duplicate join (``projections.opinion_similarity``), themed from the keywords, and any
personal data found in them is masked (``evaluation.personal_data``): a department never reads a phone number
a citizen typed, confirmed or not.

A comment is matched to its opinion by its text (the opinion keeps the comment's stripped text, and only a
one-way hash of its ballot): identical texts are interchangeable, so nothing links a group to a ballot.

A group's levels (等次分布) are given only for a group of at least k = 5 comments (``evaluation.small_groups``)
that gave more than one level: the levels of a group of one, or of five who all gave 不满意, are each writer's
own grade beside their own words, and the same page lists the signed suggestions by name. Every page and file
takes the levels from here, so none can show them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evaluation.personal_data import proposed_redaction
from evaluation.small_groups import SMALLEST_GROUP
from projections.opinion_similarity import OpinionText, merge_suggestions, suggested_theme

OTHER_THEME = "其他"
"""The theme of a group neither the organiser nor the keywords could place."""


@dataclass(frozen=True)
class Triaged:
    """What the organiser decided about one comment (its opinions_view row)."""

    text: str
    shown: str
    theme: str | None
    group: str | None
    not_opinion: bool
    redacted: bool


@dataclass(frozen=True)
class CommentGroup:
    """合并意见 — comments saying the same thing: the most repeated sentence, how many, their levels."""

    text: str
    count: int
    levels: tuple[tuple[str, int], ...]
    """(level label, comments), most first; empty unless ``levels_shown``."""
    merged_by_organiser: bool


@dataclass(frozen=True)
class ThemeSummary:
    """意见主题 — its groups, largest first, and how many comments in all."""

    theme: str
    count: int
    groups: tuple[CommentGroup, ...]


@dataclass(frozen=True)
class Merged:
    """The themes, largest first; how many comments were set aside as 非意见; and the (text, level) of every
    comment kept, as a department may read it (redacted or masked)."""

    themes: list[ThemeSummary]
    set_aside: int
    shown: list[tuple[str, str]]


@dataclass(frozen=True)
class _Item:
    shown: str
    level: str
    theme: str | None
    group: str | None


def _items(comments: Iterable[tuple[str, str]], triage: Iterable[Triaged]) -> tuple[list[_Item], int]:
    """Each comment (text, level) with its triage, and how many were set aside as 非意见."""
    by_text: dict[str, list[Triaged]] = defaultdict(list)
    for t in sorted(triage, key=lambda t: (t.text, t.group or "", t.theme or "", t.shown)):
        by_text[t.text.strip()].append(t)
    items: list[_Item] = []
    set_aside = 0
    for text, level in comments:
        text = text.strip()
        if not text:
            continue
        pool = by_text.get(text)
        if not pool:
            items.append(_Item(proposed_redaction(text), level, None, None))
            continue
        t = pool.pop(0) if len(pool) > 1 else pool[0]
        if t.not_opinion:
            set_aside += 1
        else:
            shown = t.shown.strip() if t.redacted else proposed_redaction(t.shown.strip())
            items.append(_Item(shown, level, t.theme, t.group))
    return items, set_aside


def levels_shown(levels: Counter[str]) -> bool:
    """Whether a group's levels may be shown: at least k comments, and not all of one level (else the
    line would say each writer's grade beside their words as surely as a group of one)."""
    return sum(levels.values()) >= SMALLEST_GROUP and len(levels) > 1


def _group(members: Sequence[_Item], by_organiser: bool) -> tuple[str | None, CommentGroup]:
    said = Counter(m.shown for m in members)
    text = min(said, key=lambda s: (-said[s], s))
    levels = Counter(m.level for m in members)
    chosen = Counter(m.theme for m in members if m.theme)
    theme = min(chosen, key=lambda t: (-chosen[t], t)) if chosen else suggested_theme(said)
    ordered = tuple(sorted(levels.items(), key=lambda kv: (-kv[1], kv[0]))) if levels_shown(levels) else ()
    return theme, CommentGroup(text, len(members), ordered, by_organiser)


def merged_themes(comments: Iterable[tuple[str, str]], triage: Iterable[Triaged] = ()) -> Merged:
    """The themes of the comments (text, level) with their merged groups (see ``Merged``)."""
    items, set_aside = _items(comments, triage)
    groups: list[tuple[str | None, CommentGroup]] = []
    merged: dict[str, list[_Item]] = defaultdict(list)
    loose: list[_Item] = []
    for item in items:
        (merged[item.group] if item.group else loose).append(item)
    groups.extend(_group(members, True) for members in merged.values())
    suggested = merge_suggestions(OpinionText(str(n), "", item.shown) for n, item in enumerate(loose))
    clustered: set[int] = set()
    for s in suggested:
        members = [loose[int(i)] for i in s.opinion_ids]
        clustered.update(int(i) for i in s.opinion_ids)
        groups.append(_group(members, False))
    groups.extend(_group([item], False) for n, item in enumerate(loose) if n not in clustered)
    by_theme: dict[str, list[CommentGroup]] = defaultdict(list)
    for theme, group in groups:
        by_theme[theme or OTHER_THEME].append(group)
    summaries = [
        ThemeSummary(theme, sum(g.count for g in gs), tuple(sorted(gs, key=lambda g: (-g.count, g.text))))
        for theme, gs in by_theme.items()
    ]
    ordered = sorted(summaries, key=lambda t: (t.theme == OTHER_THEME, -t.count, t.theme))
    return Merged(ordered, set_aside, [(item.shown, item.level) for item in items])
