"""评分中不显示票型 — while a department's window is open, the organiser's results show how many have voted
for it, never how: level counts, abstentions, scores, rates and rank move with each ballot, so whoever can
cast in someone's name (an amendment replaces their ballot) would read that person's earlier choice off the
change. The figures appear once the window closes.

各档票数 — even then only results officers (计票员) and auditors (监督员) see how many chose each level (and
abstained); the 会务组, who can open windows and re-issue cards, see scores and counts of votes only."""

from __future__ import annotations

from typing import Any

from web.organiser.reads import OPEN_WINDOWS

HIDDEN = ("rank", "score", "satisfaction_rate", "final", "valid_votes")
"""A sealed line's numbers: valid votes too, since how many have voted less how many votes are valid is how
many abstained (不了解), and an amendment in someone's name from or to 不了解 moves it."""
LEVEL_COUNT_READERS = frozenset({"results_officer", "auditor"})
"""The roles shown a department's level counts once its window has closed."""


async def scoring_now(reads: Any, round_key: str) -> set[str]:
    """The departments whose window is open."""
    return {r["department"] for r in await reads.fetch(OPEN_WINDOWS, round_key)}


def without_level_counts(groups: list[Any]) -> list[Any]:
    """The ranking lines with no level counts or abstentions (nothing of the tally but the composite's other
    components, which are not ballots): for a role not in LEVEL_COUNT_READERS."""
    return [
        {**g, "lines": [{**line, "tally": _components_only(line["tally"])} for line in g["lines"]]}
        for g in groups
    ]


def _components_only(tally: dict[str, Any]) -> dict[str, Any]:
    return {"components": tally["components"]} if tally.get("components") else {}


def sealed(line: dict[str, Any]) -> dict[str, Any]:
    """A ranking line of a department being scored: how many have voted (已评, as the agenda and the projector
    say), nothing that shows choices."""
    voted = int(line.get("returned") or 0)
    return {**line, **dict.fromkeys(HIDDEN), "tally": {}, "sealed": True, "status": f"评分中 · 已评 {voted}"}
