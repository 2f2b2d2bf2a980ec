"""评议结果公示 — what the public notice of a published round says: the 公示期, each group's ranking with the
composite's parts, each department's satisfaction rate and its change from the previous round.

Pure: the views' rows in, a ``Notice`` out; the web page (web/public/notice.py) and the PDF
(web/public/notice_pdf.py) both show this one object, so they cannot say different things. Every number passes
``projections.public_numbers`` first: a department below k = 5 ballots shows 「不足 5 票，不公布」 and no
number, not even its other components'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from evaluation.round_day import day_of
from projections.public_numbers import public_line
from projections.year_over_year import YearLine

NOTICE_DAYS = 7
"""公示期: seven calendar days from the day of publication, both included."""
LIVE = "live"
PART_NAMES = {LIVE: "现场评议", "daily": "日常评议", "online": "网络评议"}


@dataclass(frozen=True)
class NoticeLine:
    rank: int | None
    status: str
    """Why a department has no rank (有效票不足, 缺少组成部分, 无有效票, or 「不足 5 票，不公布」 when
    ``suppressed``); "ranked" when it has one."""
    name: str
    short_name: str
    """The department's short name (its name when it has none): the chart's label."""
    parts: tuple[str | None, ...]
    """The composite's parts' scores, in ``Notice.parts`` order (the live score first)."""
    final: str | None
    satisfaction_rate: str | None
    change: str
    suppressed: bool


@dataclass(frozen=True)
class NoticeGroup:
    name: str
    lines: tuple[NoticeLine, ...]


@dataclass(frozen=True)
class Notice:
    round_key: str
    title: str
    published_on: date | None
    until: date | None
    parts: tuple[tuple[str, str], ...]
    """(name, weight as a percentage) of each part of the composite, the live evaluation first."""
    groups: tuple[NoticeGroup, ...]
    compared_with: str
    """The previous round's title, when the round follows one (历年对比), else ""."""

    @property
    def composite(self) -> bool:
        return len(self.parts) > 1


def in_round_order(groups: Mapping[str, str]) -> list[str]:
    """The round's groups in its own order, the one the ranking (``projections.ranking``), the organiser's results
    and the projector use: by key. Not the rounds_view row's: a jsonb object keeps its keys shortest first."""
    return sorted(groups)


def part_name(key: str) -> str:
    return PART_NAMES.get(key, key)


def notice_period(published_at: datetime | None) -> tuple[date | None, date | None]:
    """公示期: from the day of publication (Beijing time) for ``NOTICE_DAYS`` days."""
    if published_at is None:
        return None, None
    first = day_of(published_at)
    return first, first + timedelta(days=NOTICE_DAYS - 1)


def public_notice(
    round_: Mapping[str, Any],
    published_at: datetime | None,
    names: Mapping[str, str],
    rankings: Mapping[str, Sequence[Mapping[str, Any]]],
    tallies: Mapping[str, Mapping[str, Any]],
    years: Mapping[str, Sequence[YearLine]],
    short_names: Mapping[str, str] | None = None,
) -> Notice:
    """``round_``: its rounds_view row (round_key, title, groups, instrument); ``rankings``: group key → lines;
    ``tallies``: department → results_view.tally; ``years``: department → its lines, newest first;
    ``short_names``: department → its short name, where it has one."""
    weights = dict(round_["instrument"].get("components") or {LIVE: "1"})
    keys = [LIVE, *sorted(k for k in weights if k != LIVE)]
    parts = tuple((part_name(k), f"{Decimal(weights[k]) * 100:g}%") for k in keys)

    def line(entry: Mapping[str, Any]) -> NoticeLine:
        shown = public_line(entry)
        dept = str(entry["department"])
        hidden = bool(shown["suppressed"])
        others = (tallies.get(dept) or {}).get("components") or {}
        scores = tuple(None if hidden else (shown["score"] if k == LIVE else others.get(k)) for k in keys)
        mine = years.get(dept) or ()
        name = names.get(dept, dept)
        return NoticeLine(
            rank=shown.get("rank"),
            status=str(shown.get("status") or ""),
            name=name,
            short_name=(short_names or {}).get(dept) or name,
            parts=scores,
            final=shown.get("final"),
            satisfaction_rate=shown.get("satisfaction_rate"),
            change=mine[0].change_words if len(mine) > 1 else "—",
            suppressed=hidden,
        )

    groups = tuple(
        NoticeGroup(round_["groups"][key], tuple(line(e) for e in rankings[key]))
        for key in in_round_order(round_["groups"])
        if rankings.get(key)
    )
    compared = next((lines[1].title for lines in years.values() if len(lines) > 1), "")
    first, until = notice_period(published_at)
    return Notice(round_["round_key"], round_["title"], first, until, parts, groups, compared)
